// The file in/out layer: readers return lazy DataFrames, writers consume batch streams.
import { DataFrame } from "../dataframe.js";
import { sourceNode } from "../plan/nodes/source.js";
import { type CsvReadOptions, CsvSource } from "./csv.js";
import { IpcSource } from "./ipc.js";
import { type JsonReadOptions, NdjsonSource } from "./ndjson.js";
import { type ParquetReadOptions, ParquetSource } from "./parquet-source.js";

export { type CsvReadOptions, CsvSource } from "./csv.js";
export { FileError, type FileKind, globFiles } from "./files.js";
export { type ArrowWriteOptions, IpcSource, writeArrowBatches } from "./ipc.js";
export { type JsonReadOptions, NdjsonSource } from "./ndjson.js";
export { type ParquetReadOptions, ParquetSource } from "./parquet-source.js";
export { type ParquetWriteOptions, writeParquetBatches } from "./parquet-writer.js";
export { type CsvWriteOptions, writeCsvBatches, writeJsonBatches } from "./text-writers.js";
export type { WriteOptions, WriteResult } from "./write-batches.js";

/**
 * Reads one Parquet file, a glob ("data/*.parquet", "**" for any depth) or an array of paths
 * as one table. The footers are read now, so the schema is known at once; data is decoded
 * when the DataFrame runs, one row group at a time, with only the needed columns.
 */
export function readParquet(
  input: string | readonly string[],
  options: ParquetReadOptions = {},
): DataFrame {
  const source = new ParquetSource(input, options);
  const paths = source.files.map((f) => f.path);
  return new DataFrame(sourceNode({ format: "parquet", paths, options: { ...options } }, source));
}

/** Reads an Arrow IPC file (`.arrow`, random access) or stream (`.arrows`). */
export function readArrow(path: string): DataFrame {
  return new DataFrame(
    sourceNode({ format: "ipc", paths: [path], options: {} }, new IpcSource(path)),
  );
}

/** Reads a CSV file; column types are inferred from the first rows unless given in `schema`. */
export function readCsv(path: string, options: CsvReadOptions = {}): DataFrame {
  const opts = { ...options };
  return new DataFrame(
    sourceNode({ format: "csv", paths: [path], options: opts }, new CsvSource(path, opts)),
  );
}

/** Reads newline-delimited JSON (one object per line). */
export function readJson(path: string, options: JsonReadOptions = {}): DataFrame {
  const opts = { ...options };
  return new DataFrame(
    sourceNode({ format: "ndjson", paths: [path], options: opts }, new NdjsonSource(path, opts)),
  );
}
