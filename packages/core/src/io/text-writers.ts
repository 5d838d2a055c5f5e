import fsp from "node:fs/promises";
import { type RecordBatch, type Schema, Type } from "apache-arrow";
import { type CellFormatter, cellFormatter } from "./format-values.js";
import {
  type FormatWriter,
  type WriteOptions,
  type WriteResult,
  writeBatches,
} from "./write-batches.js";

export interface CsvWriteOptions extends WriteOptions {
  /** Field separator (default ","). */
  delimiter?: string;
  /** Write a header line (default true). */
  header?: boolean;
}

type Batches = AsyncIterable<RecordBatch> | Iterable<RecordBatch>;

/**
 * Writes CSV: nulls as empty fields, empty strings as "" (so they read back as empty, not
 * null), timestamps as ISO 8601 (with "Z" when the column has a time zone).
 */
export async function writeCsvBatches(
  batches: Batches,
  schema: Schema,
  target: string,
  options: CsvWriteOptions = {},
  signal?: AbortSignal,
): Promise<WriteResult> {
  const delim = options.delimiter ?? ",";
  if (delim.length !== 1 || delim === '"' || delim === "\n")
    throw new TypeError(`writeCsv: delimiter must be one character other than a quote or newline.`);
  const header = options.header ?? true;
  const needsQuote = new RegExp(`["\\r\\n${delim.replace(/[\\\]^-]/g, "\\$&")}]`);
  const quote = (s: string): string =>
    s === "" ? '""' : needsQuote.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  // Fail before anything is written when a column cannot be held as text.
  for (const f of schema.fields) checkCsvType(f.name, f.type.typeId);
  const encode = (batch: RecordBatch): string => {
    const cols = batch.data.children.map((d, c) => cellFormatter(d, false, schema.fields[c]!.name));
    return rowsText(batch.numRows, cols, delim, (s) => (s === null ? "" : quote(s)));
  };
  const head = header ? `${schema.fields.map((f) => quote(f.name)).join(delim)}\n` : "";
  return writeBatches("CSV", "csv", batches, schema, target, options, signal, (file) =>
    openTextWriter(file, head, encode),
  );
}

/** Writes NDJSON: one object per row; Int64 beyond 2^53 as strings; nested types as JSON. */
export async function writeJsonBatches(
  batches: Batches,
  schema: Schema,
  target: string,
  options: WriteOptions = {},
  signal?: AbortSignal,
): Promise<WriteResult> {
  const keys = schema.fields.map((f) => `${JSON.stringify(f.name)}:`);
  const encode = (batch: RecordBatch): string => {
    const cols = batch.data.children.map((d, c) => cellFormatter(d, true, schema.fields[c]!.name));
    const parts: string[] = [];
    const n = batch.numRows;
    for (let i = 0; i < n; i++) {
      let line = "{";
      for (let c = 0; c < cols.length; c++) {
        if (c > 0) line += ",";
        line += keys[c]! + (cols[c]!(i) ?? "null");
      }
      parts.push(`${line}}\n`);
    }
    return parts.join("");
  };
  return writeBatches("NDJSON", "ndjson", batches, schema, target, options, signal, (file) =>
    openTextWriter(file, "", encode),
  );
}

const NO_CSV_FORM = new Set<Type>([
  Type.Binary,
  Type.LargeBinary,
  Type.FixedSizeBinary,
  Type.List,
  Type.FixedSizeList,
  Type.Struct,
  Type.Map,
]);

function checkCsvType(name: string, typeId: Type): void {
  if (NO_CSV_FORM.has(typeId)) {
    throw new TypeError(
      `CSV cannot hold column "${name}" (nested or binary). Write Parquet, Arrow or NDJSON instead, or drop/cast the column first.`,
    );
  }
}

function rowsText(
  n: number,
  cols: CellFormatter[],
  delim: string,
  cell: (s: string | null) => string,
): string {
  const lines: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    let line = cell(cols[0] ? cols[0](i) : null);
    for (let c = 1; c < cols.length; c++) line += delim + cell(cols[c]!(i));
    lines[i] = line;
  }
  return n ? `${lines.join("\n")}\n` : "";
}

async function openTextWriter(
  file: string,
  head: string,
  encode: (b: RecordBatch) => string,
): Promise<FormatWriter> {
  const fh = await fsp.open(file, "w");
  if (head) await fh.write(head);
  let closed = false;
  return {
    async write(batch) {
      if (batch.numRows > 0) await fh.write(encode(batch));
    },
    async finish() {
      closed = true;
      await fh.close();
    },
    async abort() {
      if (closed) return;
      closed = true;
      await fh.close().catch(() => {});
    },
  };
}
