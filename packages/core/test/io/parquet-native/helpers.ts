import fs from "node:fs";
import { type DeftEvent, readParquet, type ScanEndEvent } from "@deft/core";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import {
  Table as ArrowTable,
  type RecordBatch,
  type Table,
  Type,
  tableFromIPC,
  tableToIPC,
  type Vector,
} from "apache-arrow";
import {
  Compression,
  type Encoding,
  ParquetFile,
  type RecordBatch as WasmRecordBatch,
  Table as WasmTable,
  WriterPropertiesBuilder,
  WriterVersion,
  writeParquet,
} from "parquet-wasm";
import { expect } from "vitest";

let connection: Promise<DuckDBConnection> | undefined;

/** One in-memory DuckDB per test file, for writing files and reading them as the reference. */
export function duck(): Promise<DuckDBConnection> {
  connection ??= DuckDBInstance.create(":memory:").then((db) => db.connect());
  return connection;
}

export async function duckRows(sql: string): Promise<Record<string, unknown>[]> {
  const con = await duck();
  return (await con.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
}

export async function duckRun(sql: string): Promise<void> {
  await (await duck()).run(sql);
}

/** A file read through readParquet, with the scan's decoder. */
export async function readWithDeft(
  file: string,
  columns: string[],
  threads = 1,
): Promise<{ table: Table; decoder: ScanEndEvent["decoder"] }> {
  let scan: ScanEndEvent | undefined;
  const progress = (e: DeftEvent) => {
    if (e.type === "scan:end") scan = e;
  };
  const table = await readParquet(file, { columns }).toArrow({ threads, progress });
  return { table, decoder: scan?.decoder };
}

const hex = (b: Uint8Array): string =>
  Array.from(b, (x) => x.toString(16).padStart(2, "0"))
    .join("")
    .toUpperCase();

/** A number as text that tells -0 from 0. */
export const num = (v: number): string => (Object.is(v, -0) ? "-0" : String(v));

/**
 * A value of an Arrow column as comparable text: numbers and bigints printed, strings as
 * they are, bytes as upper-case hex, null as null. Reads the raw buffers, not Arrow's
 * conversions, so the decoded bits themselves are compared.
 */
export function cell(v: Vector, i: number): string | null {
  if (!v.isValid(i)) return null;
  const x = v.get(i) as unknown;
  switch (v.type.typeId) {
    case Type.Float:
      return num(x as number);
    case Type.Binary:
    case Type.LargeBinary:
    case Type.FixedSizeBinary:
      return hex(x as Uint8Array);
    case Type.Timestamp:
    case Type.Date: {
      // Arrow JS converts these to milliseconds; read the stored integer instead.
      let at = i;
      for (const d of v.data) {
        if (at < d.length) return String((d.values as ArrayLike<number | bigint>)[at]);
        at -= d.length;
      }
      return null;
    }
    default:
      return typeof x === "string" ? x : String(x);
  }
}

export function columnCells(t: Table, name: string): (string | null)[] {
  const v = t.getChild(name)!;
  const out: (string | null)[] = [];
  for (let i = 0; i < t.numRows; i++) out.push(cell(v, i));
  return out;
}

/** DuckDB's value as the same text as `cell` gives (the SQL casts make the kinds agree). */
export function duckCell(x: unknown): string | null {
  if (x === null || x === undefined) return null;
  if (typeof x === "number") return num(x);
  if (x instanceof Uint8Array) return hex(x);
  return String(x);
}

/** Expects two columns of text cells equal, naming the first row that differs. */
export function expectSameCells(
  got: readonly (string | null)[],
  want: readonly (string | null)[],
  what: string,
): void {
  if (got.length !== want.length) {
    throw new Error(`${what}: ${got.length} rows, expected ${want.length}`);
  }
  for (let i = 0; i < want.length; i++) {
    if (got[i] !== want[i]) {
      throw new Error(`${what}: row ${i} is ${got[i]}, expected ${want[i]}`);
    }
  }
}

/** The file's columns as parquet-wasm (arrow-rs) decodes them: the reference decoder. */
export async function readWithWasm(file: string, columns: string[]): Promise<Table> {
  const pf = await ParquetFile.fromFile(await fs.openAsBlob(file));
  try {
    const stream = await pf.stream({ columns, batchSize: 1 << 20 });
    const batches: RecordBatch[] = [];
    for await (const b of stream as unknown as AsyncIterable<WasmRecordBatch>) {
      batches.push(...tableFromIPC(b.intoIPCStream()).batches);
    }
    return new ArrowTable(batches);
  } finally {
    pf.free();
  }
}

/** Options for writing a test file with parquet-wasm (arrow-rs), for its encoders' variety. */
export interface WasmWriteOptions {
  compression?: Compression;
  version?: WriterVersion;
  dictionary?: boolean;
  encoding?: Encoding;
  /** Per-column encodings (dictionary off for those columns). */
  columnEncodings?: Record<string, Encoding>;
  pageBytes?: number;
  rowGroupSize?: number;
}

export function writeWithWasm(table: Table, file: string, o: WasmWriteOptions = {}): void {
  let b = new WriterPropertiesBuilder()
    .setCompression(o.compression ?? Compression.UNCOMPRESSED)
    .setWriterVersion(o.version ?? WriterVersion.V1)
    .setDictionaryEnabled(o.dictionary ?? true);
  if (o.encoding !== undefined) b = b.setEncoding(o.encoding);
  for (const [c, e] of Object.entries(o.columnEncodings ?? {})) {
    b = b.setColumnDictionaryEnabled(c, false).setColumnEncoding(c, e);
  }
  if (o.pageBytes !== undefined) b = b.setDataPageSizeLimit(o.pageBytes).setWriteBatchSize(64);
  if (o.rowGroupSize !== undefined) b = b.setMaxRowGroupSize(o.rowGroupSize);
  const wasmTable = WasmTable.fromIPCStream(tableToIPC(table, "stream"));
  fs.writeFileSync(file, writeParquet(wasmTable, b.build()));
}

/** Expects two Arrow tables to hold the same cells in `columns` (types printed equal too). */
export function expectSameTables(got: Table, want: Table, columns: string[], what: string): void {
  expect(got.numRows).toBe(want.numRows);
  for (const c of columns) {
    expect(String(got.getChild(c)!.type)).toBe(String(want.getChild(c)!.type));
    expectSameCells(columnCells(got, c), columnCells(want, c), `${what} column ${c}`);
  }
}
