// DuckDB over the same Parquet files: one view per table, so the standard query text runs as
// written. `threads` pins DuckDB's worker threads (its default is every core).
import { DuckDBConnection, DuckDBInstance, type DuckDBResultReader } from "@duckdb/node-api";
import { type Answer, answerOfDuckDB } from "./answers.js";
import { TABLES, type TpchFiles } from "./generate.js";

export interface TpchDuckDB {
  query(sql: string): Promise<Answer>;
  /** Runs `sql` and reads every row (what the benchmark times). */
  read(sql: string): Promise<DuckDBResultReader>;
  close(): void;
}

export async function openTpchDuckDB(files: TpchFiles, threads?: number): Promise<TpchDuckDB> {
  const instance = await DuckDBInstance.create(
    ":memory:",
    threads === undefined ? {} : { threads: String(threads) },
  );
  const con = await DuckDBConnection.create(instance);
  for (const t of TABLES) {
    await con.run(
      `CREATE VIEW ${t} AS SELECT * FROM read_parquet('${files[t].replaceAll("'", "''")}')`,
    );
  }
  return {
    query: async (sql) => answerOfDuckDB(await con.runAndReadAll(sql)),
    read: (sql) => con.runAndReadAll(sql),
    close: () => {
      con.closeSync();
      instance.closeSync();
    },
  };
}
