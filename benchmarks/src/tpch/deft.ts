// The eight tables as deft frames (lazy Parquet scans) and one query run to an Arrow table.
import { type DataFrame, type RunOptions, readParquet } from "@deft/core";
import type { Table } from "apache-arrow";
import { TABLES, type TpchFiles } from "./generate.js";
import type { Tables, TpchQuery } from "./query.js";

export function deftTables(files: TpchFiles): Tables {
  return Object.fromEntries(TABLES.map((t) => [t, readParquet(files[t])])) as Record<
    (typeof TABLES)[number],
    DataFrame
  >;
}

/** Run options with the thread count; without one the engine uses every core. */
export function runOptions(threads: number | undefined): RunOptions {
  return threads === undefined ? {} : { threads };
}

/** Builds the query's plan over fresh scans (planning is part of the timed work) and runs it. */
export function runDeft(
  query: TpchQuery,
  files: TpchFiles,
  sf: number,
  threads?: number,
): Promise<Table> {
  return query.deft(deftTables(files), sf).toArrow(runOptions(threads));
}
