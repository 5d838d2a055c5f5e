// The source a file reader (and a plan read back from JSON) opens for its resolved files.
import type { ScanSource } from "../plan/source.js";
import { type CsvReadOptions, CsvSource } from "./csv.js";
import { openFileSet } from "./file-set.js";
import { type HiveOptions, hiveSegments } from "./hive.js";
import { type JsonReadOptions, NdjsonSource } from "./ndjson.js";
import { type ParquetReadOptions, ParquetSource } from "./parquet-source.js";

/**
 * The reader's options as one file's source takes them: without the file-set ones, and with
 * `columns` naming the files' own columns only (partition keys are added after them).
 */
function own<O extends HiveOptions & { columns?: string[] }>(
  options: O,
  paths: readonly string[],
): Omit<O, "hivePartitioning"> {
  const { hivePartitioning, ...rest } = options;
  if (!rest.columns || hivePartitioning === false || paths.length === 0) return rest;
  const keys = new Set(hiveSegments(paths[0]!).map(([k]) => k));
  return { ...rest, columns: rest.columns.filter((c) => !keys.has(c)) };
}

export function openParquetFiles(
  paths: readonly string[],
  options: ParquetReadOptions,
): ScanSource {
  const opts = own(options, paths);
  return openFileSet(
    "Parquet",
    "parquet",
    paths,
    options.hivePartitioning !== false,
    false,
    (files) => new ParquetSource(files, opts),
  );
}

export function openCsvFiles(
  paths: readonly string[],
  options: CsvReadOptions & HiveOptions,
): ScanSource {
  const opts = own(options, paths);
  return openFileSet(
    "CSV",
    "csv",
    paths,
    options.hivePartitioning !== false,
    true,
    (files, types) =>
      new CsvSource(files[0]!, types ? { ...opts, schema: { ...types, ...opts.schema } } : opts),
  );
}

export function openJsonFiles(
  paths: readonly string[],
  options: JsonReadOptions & HiveOptions,
): ScanSource {
  const opts = own(options, paths);
  return openFileSet(
    "NDJSON",
    "ndjson",
    paths,
    options.hivePartitioning !== false,
    true,
    (files, types) =>
      new NdjsonSource(files[0]!, types ? { ...opts, schema: { ...types, ...opts.schema } } : opts),
  );
}
