import fs from "node:fs";
import path from "node:path";
import { type Field, makeData, RecordBatch, Schema, Struct, tableFromIPC } from "apache-arrow";
import { ParquetFile, type RecordBatch as WasmRecordBatch } from "parquet-wasm";
import { abortError, type ExecContext } from "../exec/context.js";
import { formatExpr } from "../expr/expr.js";
import type { ScanRequest, ScanSource } from "../plan/source.js";
import { FileError, resolveFiles } from "./files.js";
import { type ParquetFooter, readParquetFooter } from "./parquet-footer.js";
import { mayMatch, rowGroupStats } from "./parquet-prune.js";
import { checkSameType, projectBatch, selectFields } from "./schema-utils.js";

/** Options of `readParquet`. */
export interface ParquetReadOptions {
  /** Read only these columns (in this order). The optimizer can narrow this further. */
  columns?: string[];
  /** Rows per decoded batch (default 131,072). Large batches decode faster; small ones use less memory. */
  batchSize?: number;
}

/** What the most recent scan did: proof of pushdown for tests and `explain`. */
export interface ParquetScanStats {
  filesOpened: number;
  rowGroupsRead: number;
  rowGroupsSkipped: number;
  /** Names of the columns decoded (empty when only row counts were needed). */
  columnsDecoded: string[];
  rowsRead: number;
}

const DEFAULT_BATCH_SIZE = 131_072;

/**
 * One or more Parquet files read as one table. Footers are parsed when the source is built
 * (so the schema is known at once); row groups are decoded lazily by parquet-wasm, one row
 * group at a time, so a consumer that stops pulling stops the decoding.
 */
export class ParquetSource implements ScanSource {
  readonly kind = "parquet";
  readonly usesFilter = true;
  readonly schema: Schema;
  readonly numRows: number;
  readonly files: readonly ParquetFooter[];
  readonly batchSize: number;
  stats: ParquetScanStats = emptyStats();

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
    if (request?.filter) out += ` filter=${formatExpr(request.filter)} (row-group statistics)`;
    if (request?.limit !== undefined) out += ` limit=${request.limit}`;
    return out;
  }

  async *scan(request: ScanRequest, ctx: ExecContext): AsyncGenerator<RecordBatch> {
    const columns = request.columns ?? this.schema.fields.map((f) => f.name);
    const outSchema = selectFields("Parquet", this.files[0]!.path, this.schema, columns);
    const stats = emptyStats();
    stats.columnsDecoded = [...columns];
    this.stats = stats;
    let remaining = request.limit ?? Number.POSITIVE_INFINITY;
    for (const file of this.files) {
      if (remaining <= 0) return;
      const groups: number[] = [];
      file.metadata.row_groups.forEach((_, i) => {
        if (
          request.filter &&
          !mayMatch(request.filter, rowGroupStats(file.metadata, i), file.schema)
        )
          stats.rowGroupsSkipped++;
        else groups.push(i);
      });
      if (groups.length === 0) continue;
      if (columns.length === 0) {
        // Only row counts are needed (e.g. count()): the footer has them, nothing is decoded.
        for (const g of groups) {
          if (remaining <= 0) return;
          if (ctx.signal.aborted) throw abortError(ctx.signal);
          const n = Math.min(Number(file.metadata.row_groups[g]!.num_rows), remaining);
          stats.rowGroupsRead++;
          stats.rowsRead += n;
          remaining -= n;
          yield emptyBatch(n);
        }
        continue;
      }
      let pf: ParquetFile;
      try {
        pf = await ParquetFile.fromFile(await fs.openAsBlob(file.path));
      } catch (err) {
        throw new FileError(
          "Parquet",
          file.path,
          `cannot be opened for decoding: ${errorText(err)}`,
          { cause: err },
        );
      }
      stats.filesOpened++;
      try {
        for (const g of groups) {
          if (remaining <= 0) return;
          if (ctx.signal.aborted) throw abortError(ctx.signal);
          stats.rowGroupsRead++;
          for await (const batch of this.decodeRowGroup(
            pf,
            file,
            g,
            columns,
            outSchema,
            remaining,
            ctx,
          )) {
            stats.rowsRead += batch.numRows;
            remaining -= batch.numRows;
            yield batch;
            if (remaining <= 0) return;
          }
        }
      } finally {
        pf.free();
      }
    }
  }

  private async *decodeRowGroup(
    pf: ParquetFile,
    file: ParquetFooter,
    group: number,
    columns: string[],
    outSchema: Schema,
    remaining: number,
    ctx: ExecContext,
  ): AsyncGenerator<RecordBatch> {
    const fail = (err: unknown): FileError =>
      err instanceof FileError
        ? err
        : new FileError(
            "Parquet",
            file.path,
            `row group ${group} cannot be decoded (corrupt or truncated data?): ${errorText(err)}`,
            { cause: err },
          );
    let reader: ReadableStreamDefaultReader<WasmRecordBatch>;
    try {
      const limit = Number.isFinite(remaining) ? remaining : undefined;
      const stream = await pf.stream({
        columns,
        rowGroups: [group],
        batchSize: this.batchSize,
        limit,
      });
      reader = stream.getReader() as ReadableStreamDefaultReader<WasmRecordBatch>;
    } catch (err) {
      throw fail(err);
    }
    let checked = false;
    try {
      while (true) {
        if (ctx.signal.aborted) throw abortError(ctx.signal);
        let next: Awaited<ReturnType<typeof reader.read>>;
        try {
          next = await reader.read();
        } catch (err) {
          throw fail(err);
        }
        if (next.done) return;
        // IPC bytes are measured as fast as FFI here and need no extra dependency.
        const table = tableFromIPC(next.value.intoIPCStream());
        for (const batch of table.batches) {
          if (!checked) {
            checkDecodedTypes(file.path, outSchema, batch.schema);
            checked = true;
          }
          yield projectBatch(batch, outSchema);
        }
      }
    } finally {
      await reader.cancel().catch(() => {});
    }
  }
}

const emptyStats = (): ParquetScanStats => ({
  filesOpened: 0,
  rowGroupsRead: 0,
  rowGroupsSkipped: 0,
  columnsDecoded: [],
  rowsRead: 0,
});

function emptyBatch(n: number): RecordBatch {
  return new RecordBatch(
    new Schema([]),
    makeData({ type: new Struct([]), length: n, nullCount: 0, children: [] }),
  );
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
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

/** parquet-wasm must decode to the types the footer promised; say so plainly if not. */
function checkDecodedTypes(file: string, expected: Schema, actual: Schema): void {
  for (const f of expected.fields) {
    const got = actual.fields.find((g: Field) => g.name === f.name);
    if (!got || String(got.type) !== String(f.type)) {
      throw new FileError(
        "Parquet",
        file,
        `column "${f.name}" decoded as ${got ? String(got.type) : "nothing"} but the footer maps to ${String(f.type)}. Please report this file's schema.`,
      );
    }
  }
}
