import type { RecordBatch, Schema } from "apache-arrow";
import type { ExecContext } from "../exec/context.js";
import type { ExprNode } from "../expr/ast.js";

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
