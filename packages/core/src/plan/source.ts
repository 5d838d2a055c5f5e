import type { RecordBatch, Schema } from "apache-arrow";
import type { ExecContext } from "../exec/context.js";
import type { ExprNode } from "../expr/ast.js";
import type { CsvReadOptions } from "../io/csv.js";
import type { HiveOptions } from "../io/hive.js";
import type { JsonReadOptions } from "../io/ndjson.js";
import type { ParquetReadOptions } from "../io/parquet-source.js";

/** What the optimizer may push into a scan. Every field is optional; absent means "all". */
export interface ScanRequest {
  /** Only these columns, in this order, are needed downstream. */
  columns?: string[];
  /**
   * A predicate the scan may use to skip whole row groups/files (statistics). The executor
   * still applies the filter to every row afterwards, so a scan may ignore it.
   */
  filter?: ExprNode;
  /** The consumer needs at most this many rows (before any filter that was not pushed). */
  limit?: number;
  /**
   * Columns a group-by right above the scan groups by (a hint, which a scan may ignore): a
   * Parquet scan keeps the dictionary codes of those it reads from a small dictionary, so
   * the group-by looks up each distinct value once instead of hashing every row's.
   */
  groupKeys?: string[];
  /**
   * Read only these parts of the source (one partition of a scan that runs on the compute
   * threads); absent means the whole source.
   */
  split?: ScanSplit[];
}

/** A scan cut into partitions, and the row groups its statistics skipped (for its events). */
export interface ScanPartitions {
  splits: ScanSplit[][];
  rowGroupsSkipped: number;
}

/** A part of a file source: these row groups of this file (as the source resolved its path). */
export interface ScanSplit {
  path: string;
  rowGroups: number[];
}

/**
 * A data source behind a Source plan node: memory, range, Parquet, Arrow IPC, CSV, NDJSON.
 * `schema` is known when the plan is built; `scan` streams batches with back-pressure (it is
 * pulled by the consumer and must stop reading when the consumer stops).
 */
export interface ScanSource {
  /** Short kind for explain: "memory", "parquet", … */
  readonly kind: string;
  /** The full schema, known before any scan (a request's `columns` select from it). */
  readonly schema: Schema;
  /** One line for explain, e.g. `parquet flights.parquet (3 row groups)`. */
  describe(): string;
  /**
   * How the scan splits into tasks for the compute threads, for `explain({ physical: true })`,
   * e.g. `11 row-group tasks` (absent when it does not split).
   */
  describeTasks?(request: ScanRequest): string;
  /**
   * The scan cut into partitions that can be read independently (each one or more splits),
   * in source order; undefined when the source cannot be split.
   */
  partitions?(request: ScanRequest): ScanPartitions | undefined;
  /** Whether a filter given in ScanRequest is used to skip data (shown in explain). */
  readonly usesFilter: boolean;
  /** Exact row count when cheaply known (memory, range, Parquet footer), else undefined. */
  readonly numRows?: number;
  /**
   * Streams the data as batches holding `request.columns` in that order (every column when
   * absent); may stop after `request.limit` rows; should stop reading once `ctx.signal` aborts.
   */
  scan(request: ScanRequest, ctx: ExecContext): AsyncIterable<RecordBatch>;
}

/**
 * What a source node holds: plain data naming where rows come from, resolved to a live
 * ScanSource through the format registry (sources/registry.ts). File formats list their
 * files (globs already expanded) and the reader's options; `memory` holds its batches by
 * reference (written as Arrow IPC only when the plan is turned into JSON); `range` holds its
 * bounds; `broadcast` is the materialized side of a join that a compute thread probes (its
 * rows travel beside the task, in shared memory: see exec/broadcast.ts); `shuffle` is one hash
 * bucket of a shuffled join side, the files its tasks wrote (exec/shuffle-join.ts); `object` stands for a ScanSource handed to DataFrame.fromSource, which only this
 * process can read.
 */
export type SourceDescriptor =
  | {
      readonly format: "parquet";
      readonly paths: readonly string[];
      readonly options: ParquetReadOptions;
    }
  | {
      readonly format: "ipc";
      readonly paths: readonly [string];
      readonly options: Record<string, never>;
    }
  | {
      readonly format: "csv";
      readonly paths: readonly string[];
      readonly options: CsvReadOptions & HiveOptions;
    }
  | {
      readonly format: "ndjson";
      readonly paths: readonly string[];
      readonly options: JsonReadOptions & HiveOptions;
    }
  | {
      readonly format: "memory";
      readonly paths: readonly [];
      readonly options: Record<string, never>;
      readonly schema: Schema;
      readonly batches: readonly RecordBatch[];
    }
  | {
      readonly format: "range";
      readonly paths: readonly [];
      readonly options: { readonly start: number; readonly end: number; readonly step: number };
    }
  | {
      readonly format: "broadcast";
      readonly paths: readonly [];
      readonly options: { readonly slot: number };
      readonly schema: Schema;
    }
  | {
      readonly format: "shuffle";
      readonly paths: readonly string[];
      readonly options: Record<string, never>;
      readonly schema: Schema;
    }
  | {
      readonly format: "object";
      readonly paths: readonly [];
      readonly options: { readonly kind: string };
    };

export type SourceFormatName = SourceDescriptor["format"];
