// Helpers for the peer engines: moving an apache-arrow Table into parquet-wasm and DuckDB, and
// reading Parquet with raw parquet-wasm. All of this is setup work, outside the timed region,
// except the parquet-wasm read/write functions, which are the raw baseline the I/O cases time.
import { mkdtempSync, openAsBlob, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { type RecordBatch, Table, tableFromIPC, tableToIPC } from "apache-arrow";
import type * as aq from "arquero";
import type pl from "nodejs-polars";
import {
  Compression,
  ParquetFile,
  readParquet,
  type RecordBatch as WasmRecordBatch,
  Table as WasmTable,
  WriterPropertiesBuilder,
  writeParquet,
} from "parquet-wasm";

export type ParquetCompression = "snappy" | "zstd" | "none";

const wasmCompression: Record<ParquetCompression, Compression> = {
  snappy: Compression.SNAPPY,
  zstd: Compression.ZSTD,
  none: Compression.UNCOMPRESSED,
};

/** A scratch directory in os.tmpdir(), removed by the returned function. */
export function scratchDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `deft-bench-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** apache-arrow Table -> Parquet bytes with raw parquet-wasm (through Arrow IPC). */
export function parquetWasmEncode(
  table: Table,
  compression: ParquetCompression,
  rowGroupSize?: number,
): Uint8Array {
  let props = new WriterPropertiesBuilder().setCompression(wasmCompression[compression]);
  if (rowGroupSize !== undefined) props = props.setMaxRowGroupSize(rowGroupSize);
  const wasmTable = WasmTable.fromIPCStream(tableToIPC(table, "stream"));
  return writeParquet(wasmTable, props.build());
}

/** Parquet file -> apache-arrow Table with parquet-wasm's one-shot `readParquet`. */
export function parquetWasmReadSync(path: string): Table {
  const wasmTable = readParquet(readFileSync(path));
  return tableFromIPC(wasmTable.intoIPCStream());
}

/** Parquet file -> apache-arrow Table with parquet-wasm's streaming reader, as deft uses it. */
export async function parquetWasmReadStream(path: string, batchSize: number): Promise<Table> {
  const file = await ParquetFile.fromFile(await openAsBlob(path));
  try {
    const stream = await file.stream({ batchSize });
    const batches: RecordBatch[] = [];
    for await (const b of stream as unknown as AsyncIterable<WasmRecordBatch>) {
      batches.push(...tableFromIPC(b.intoIPCStream()).batches);
    }
    return new Table(batches);
  } finally {
    file.free();
  }
}

export interface DuckDB {
  con: DuckDBConnection;
  close: () => void;
}

export async function openDuckDB(): Promise<DuckDB> {
  const instance = await DuckDBInstance.create(":memory:");
  const con = await DuckDBConnection.create(instance);
  return {
    con,
    close: () => {
      con.closeSync();
      instance.closeSync();
    },
  };
}

/** Loads an apache-arrow Table into a DuckDB table through an uncompressed Parquet file (the
 * node API has no Arrow scan; the appender would cost a JS call per value). */
export async function loadIntoDuckDB(db: DuckDB, name: string, table: Table): Promise<void> {
  const scratch = scratchDir("duckdb-load");
  try {
    const file = join(scratch.dir, `${name}.parquet`);
    writeFileSync(file, parquetWasmEncode(table, "none", 1 << 20));
    await db.con.run(`CREATE OR REPLACE TABLE ${name} AS SELECT * FROM read_parquet('${file}')`);
  } finally {
    scratch.remove();
  }
}

/** The first row of a query's result, as JS values (for checks). */
export async function duckdbRow(db: DuckDB, sql: string): Promise<Record<string, unknown>> {
  const reader = await db.con.runAndReadAll(sql);
  const rows = reader.getRowObjectsJS();
  if (rows.length === 0) throw new Error(`DuckDB query returned no rows: ${sql}`);
  return rows[0]!;
}

/** A numeric column of an apache-arrow Table as one typed array (for checks). */
export function arrowColumn(t: unknown, name: string): ArrayLike<number> {
  const table = t as Table;
  const v = table.getChild(name);
  if (!v) {
    throw new Error(
      `result has no column "${name}"; it has ${table.schema.fields.map((f) => f.name).join(", ")}`,
    );
  }
  return v.toArray() as ArrayLike<number>;
}

/** A numeric column of a nodejs-polars DataFrame as a typed array (for checks). */
export function polarsColumn(df: unknown, name: string): ArrayLike<number> {
  return (df as pl.DataFrame).getColumn(name).toTypedArray() as ArrayLike<number>;
}

/** A numeric column of an Arquero table (for checks). */
export function arqueroColumn(t: unknown, name: string): ArrayLike<number> {
  return (t as aq.ColumnTable).array(name) as ArrayLike<number>;
}
