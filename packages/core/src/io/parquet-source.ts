import path from "node:path";
import { makeData, RecordBatch, Schema, Struct } from "apache-arrow";
import { abortError, type ExecContext } from "../exec/context.js";
import { formatExpr } from "../expr/expr.js";
import type { ScanPartitions, ScanRequest, ScanSource } from "../plan/source.js";
import { FileError, resolveFiles } from "./files.js";
import type { HiveOptions } from "./hive.js";
import { sameValues } from "./parquet-arrow-types.js";
import { decodeFilterJson } from "./parquet-filter.js";
import { type ParquetFooter, readParquetFooter } from "./parquet-footer.js";
import { type DecodedColumn, decodeOnThreads, type ScanCounts } from "./parquet-scan.js";
import { planRowGroups } from "./parquet-tasks.js";
import { checkSameType, selectFields } from "./schema-utils.js";

/** Options of `readParquet`. */
export interface ParquetReadOptions extends HiveOptions {
  /** Read only these columns (in this order). The optimizer can narrow this further. */
  columns?: string[];
  /** Rows per decoded batch (default 131,072). Large batches decode faster; small ones use less memory. */
  batchSize?: number;
}

const DEFAULT_BATCH_SIZE = 131_072;

/**
 * One or more Parquet files read as one table. Footers are parsed when the source is built
 * (so the schema is known at once); row groups are decoded lazily on the compute threads (by
 * deft's own decoder for flat columns, else parquet-wasm), a bounded number ahead, so a
 * consumer that stops pulling stops the decoding.
 */
export class ParquetSource implements ScanSource {
  readonly kind = "parquet";
  readonly usesFilter = true;
  readonly schema: Schema;
  readonly numRows: number;
  readonly files: readonly ParquetFooter[];
  readonly batchSize: number;

  constructor(input: string | readonly string[], options: ParquetReadOptions = {}) {
    const paths = resolveFiles("Parquet", input);
    this.files = paths.map(readParquetFooter);
    const first = this.files[0]!;
    for (const other of this.files.slice(1)) checkSameSchema(first, other);
    this.schema = options.columns
      ? selectFields("Parquet", first.path, first.schema, options.columns)
      : first.schema;
    this.numRows = this.files.reduce((n, f) => n + Number(f.metadata.num_rows), 0);
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new RangeError(`readParquet: batchSize must be a positive integer, got ${batchSize}.`);
    }
    this.batchSize = batchSize;
  }

  describe(request?: ScanRequest): string {
    const rowGroups = this.files.reduce((n, f) => n + f.metadata.row_groups.length, 0);
    const names = this.files.map((f) => path.basename(f.path));
    const what =
      names.length === 1
        ? names[0]
        : `${names.length} files [${names.slice(0, 3).join(", ")}${names.length > 3 ? ", …" : ""}]`;
    let out = `parquet ${what} (${rowGroups} row groups, ${this.numRows} rows)`;
    if (request?.columns) out += ` columns=[${request.columns.join(", ")}]`;
    if (request?.filter) {
      const how =
        request.limit === undefined
          ? "row-group statistics, while decoding"
          : "row-group statistics";
      out += ` filter=${formatExpr(request.filter)} (${how})`;
    }
    if (request?.limit !== undefined) out += ` limit=${request.limit}`;
    return out;
  }

  describeTasks(request: ScanRequest): string {
    if (request.columns?.length === 0) return "row counts from the footers";
    const { tasks } = planRowGroups(this.files, request, this.batchSize);
    return `${tasks.length} row-group ${tasks.length === 1 ? "task" : "tasks"}`;
  }

  /**
   * The row-group tasks of a scan as partitions, for running a chain of operators per
   * partition on the compute threads; undefined when a limit or a count-only scan makes
   * the whole-source path cheaper.
   */
  partitions(request: ScanRequest): ScanPartitions | undefined {
    if (request.limit !== undefined || request.columns?.length === 0) return undefined;
    const { tasks, rowGroupsSkipped } = planRowGroups(this.files, request, this.batchSize);
    const splits = tasks.map((t) => [{ path: t.file.path, rowGroups: t.rowGroups }]);
    return { splits, rowGroupsSkipped };
  }

  /**
   * Streams the requested columns in file and row-group order. Row groups are decoded on the
   * compute threads (see `decodeOnThreads`); a count-only scan answers from the footers.
   * Emits one `scan:end` event with what was read and skipped.
   */
  async *scan(request: ScanRequest, ctx: ExecContext): AsyncGenerator<RecordBatch> {
    const columns = request.columns ?? this.schema.fields.map((f) => f.name);
    const outSchema = selectFields("Parquet", this.files[0]!.path, this.schema, columns);
    const plan = planRowGroups(this.files, request, this.batchSize);
    const counts: ScanCounts = {
      filesOpened: 0,
      rowGroupsRead: 0,
      rowsRead: 0,
      decoders: new Set(),
    };
    try {
      if (columns.length === 0) {
        // Only row counts are needed (e.g. count()): the footer has them, nothing is decoded.
        for (const task of plan.tasks) {
          for (const n of task.groupRows) {
            if (ctx.signal.aborted) throw abortError(ctx.signal);
            counts.rowGroupsRead++;
            counts.rowsRead += n;
            yield emptyBatch(n);
          }
        }
        return;
      }
      const check = (file: string, decoded: readonly DecodedColumn[]) =>
        checkDecodedTypes(file, outSchema, decoded);
      // Without a limit, the filter is evaluated while decoding: a limit counts rows before it.
      const filter = request.limit === undefined ? decodeFilterJson(request.filter) : undefined;
      yield* decodeOnThreads(plan.tasks, columns, outSchema, this.batchSize, check, counts, ctx, {
        filter,
        codes: request.groupKeys?.filter((k) => columns.includes(k)),
      });
    } finally {
      const { decoders, ...read } = counts;
      ctx.emit({
        type: "scan:end",
        format: "parquet",
        ...read,
        ...(decoders.size > 0 && {
          decoder: decoders.size === 1 ? [...decoders][0]! : "mixed",
        }),
        rowGroupsSkipped: plan.rowGroupsSkipped,
        columnsDecoded: [...columns],
        tasks: columns.length === 0 ? 0 : plan.tasks.length,
        threads: ctx.threads,
      });
    }
  }
}

function emptyBatch(n: number): RecordBatch {
  return new RecordBatch(
    new Schema([]),
    makeData({ type: new Struct([]), length: n, nullCount: 0, children: [] }),
  );
}

function checkSameSchema(a: ParquetFooter, b: ParquetFooter): void {
  const bFields = new Map(b.schema.fields.map((f) => [f.name, f]));
  for (const f of a.schema.fields) {
    const g = bFields.get(f.name);
    if (!g) {
      throw new Error(
        `Parquet files "${a.path}" and "${b.path}" have different schemas: column "${f.name}" is missing from the second. Read them separately and select common columns, or pass { columns }.`,
      );
    }
    checkSameType(f, g, a.path, b.path);
  }
  for (const g of b.schema.fields) {
    if (!a.schema.fields.some((f) => f.name === g.name)) {
      throw new Error(
        `Parquet files "${a.path}" and "${b.path}" have different schemas: column "${g.name}" is only in the second. Read them separately, or pass { columns }.`,
      );
    }
  }
}

/** The decoders must decode to the types the footer promised; say so plainly if not. */
function checkDecodedTypes(file: string, expected: Schema, actual: readonly DecodedColumn[]): void {
  for (const f of expected.fields) {
    const got = actual.find((g) => g.name === f.name);
    const same =
      got !== undefined &&
      (typeof got.type === "string" ? got.type === String(f.type) : sameValues(got.type, f.type));
    if (!same) {
      throw new FileError(
        "Parquet",
        file,
        `column "${f.name}" decoded as ${got ? String(got.type) : "nothing"} but the footer maps to ${String(f.type)}. Please report this file's schema.`,
      );
    }
  }
}
