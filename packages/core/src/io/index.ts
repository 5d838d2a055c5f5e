// The file in/out layer: readers return lazy DataFrames, writers consume batch streams.
import { DataFrame } from "../dataframe.js";
import { sourceNode } from "../plan/nodes/source.js";
import type { CsvReadOptions } from "./csv.js";
import { resolveFiles } from "./files.js";
import type { HiveOptions } from "./hive.js";
import { IpcSource } from "./ipc.js";
import type { JsonReadOptions } from "./ndjson.js";
import { openCsvFiles, openJsonFiles, openParquetFiles } from "./open-files.js";
import type { ParquetReadOptions } from "./parquet-source.js";

export { type CsvReadOptions, CsvSource } from "./csv.js";
export { FileError, type FileKind, globFiles } from "./files.js";
export type { HiveOptions } from "./hive.js";
export { type ArrowWriteOptions, IpcSource, writeArrowBatches } from "./ipc.js";
export { type JsonReadOptions, NdjsonSource } from "./ndjson.js";
export { type ParquetReadOptions, ParquetSource } from "./parquet-source.js";
export { type ParquetWriteOptions, writeParquetBatches } from "./parquet-writer.js";
export { type CsvWriteOptions, writeCsvBatches, writeJsonBatches } from "./text-writers.js";
export type { WriteOptions, WriteResult } from "./write-batches.js";

/**
 * Reads one Parquet file, a glob ("data/*.parquet", "**" for any depth), a folder (every file
 * under it) or an array of these as one table. `key=value` directories in the files' paths
 * (hive partitioning) become columns after the files' own, unless `hivePartitioning: false`.
 * The footers are read now, so the schema is known at once; data is decoded when the
 * DataFrame runs, one row group at a time, with only the needed columns.
 */
export function readParquet(
  input: string | readonly string[],
  options: ParquetReadOptions = {},
): DataFrame {
  const paths = resolveFiles("Parquet", input);
  const source = openParquetFiles(paths, options);
  return new DataFrame(sourceNode({ format: "parquet", paths, options: { ...options } }, source));
}

/** Reads an Arrow IPC file (`.arrow`, random access) or stream (`.arrows`). */
export function readArrow(path: string): DataFrame {
  return new DataFrame(
    sourceNode({ format: "ipc", paths: [path], options: {} }, new IpcSource(path)),
  );
}

/**
 * Reads a CSV file, a glob, a folder or an array of these (files of one layout) as one table;
 * column types are inferred from the first rows unless given in `schema`. Hive partition
 * directories become columns as in readParquet.
 */
export function readCsv(
  input: string | readonly string[],
  options: CsvReadOptions & HiveOptions = {},
): DataFrame {
  const paths = resolveFiles("CSV", input);
  const opts = { ...options };
  return new DataFrame(
    sourceNode({ format: "csv", paths, options: opts }, openCsvFiles(paths, opts)),
  );
}

/** Reads newline-delimited JSON (one object per line): a file, glob, folder or array of these. */
export function readJson(
  input: string | readonly string[],
  options: JsonReadOptions & HiveOptions = {},
): DataFrame {
  const paths = resolveFiles("NDJSON", input);
  const opts = { ...options };
  return new DataFrame(
    sourceNode({ format: "ndjson", paths, options: opts }, openJsonFiles(paths, opts)),
  );
}
