// TPC-H: the 22 queries over our generated Parquet files (src/tpch/), deft beside DuckDB and
// polars in one run, every answer checked against DuckDB's. Knobs: TPCH_SF (default 1),
// TPCH_QUERIES (e.g. q01,q06), TPCH_ENGINES (e.g. deft,duckdb). At SF >= 1 the default is 3
// timed runs after the warm-up (a full run stays near 10 minutes); BENCH_RUNS overrides.
import type { DuckDBResultReader } from "@duckdb/node-api";
import type { Table } from "apache-arrow";
import type pl from "nodejs-polars";
import { type Case, NotAvailableError, type Workload } from "../runner.js";
import { type Answer, answerOfArrow, answerOfDuckDB, expectSameAnswer } from "../tpch/answers.js";
import { runDeft } from "../tpch/deft.js";
import { openTpchDuckDB, type TpchDuckDB } from "../tpch/duckdb.js";
import { ensureTpch, scaleFactor, type TpchFiles } from "../tpch/generate.js";
import { answerOfPolars, polarsTables } from "../tpch/polars.js";
import { QUERIES } from "../tpch/queries/index.js";
import type { TpchQuery } from "../tpch/query.js";
import { summarizeTotals, TOTAL } from "../tpch/summary.js";

const SF = scaleFactor();
const ENGINES = ["deft", "deft threads 1", "duckdb", "duckdb threads 1", "polars"] as const;
type Engine = (typeof ENGINES)[number];

function listEnv<T extends string>(name: string, known: readonly T[]): T[] {
  const raw = process.env[name];
  if (!raw) return [...known];
  const picked = raw.split(",").map((s) => s.trim());
  const unknown = picked.filter((p) => !known.includes(p as T));
  if (unknown.length > 0) {
    throw new Error(`${name}: unknown ${unknown.join(", ")}; choose from ${known.join(", ")}`);
  }
  return picked as T[];
}

const engines = listEnv("TPCH_ENGINES", ENGINES);
const queries = (() => {
  const names = listEnv(
    "TPCH_QUERIES",
    QUERIES.map((q) => q.name),
  );
  return QUERIES.filter((q) => names.includes(q.name));
})();

let files: TpchFiles | undefined;
let duck: TpchDuckDB | undefined;
let duck1: TpchDuckDB | undefined;
const expected = new Map<string, Answer>();

function queryCases(q: TpchQuery): Case[] {
  const same = (label: string, answer: Answer) =>
    expectSameAnswer(`${q.name} (${label})`, answer, expected.get(q.name)!, q.ordered);
  const all: Record<Engine, Case> = {
    deft: {
      label: "deft",
      run: () => runDeft(q, files!, SF),
      check: (t) => same("deft", answerOfArrow(t as Table)),
    },
    "deft threads 1": {
      label: "deft threads 1",
      run: () => runDeft(q, files!, SF, 1),
      check: (t) => same("deft threads 1", answerOfArrow(t as Table)),
    },
    duckdb: {
      label: "duckdb",
      run: () => duck!.read(q.sql(SF)),
      check: (r) => same("duckdb", answerOfDuckDB(r as DuckDBResultReader)),
    },
    "duckdb threads 1": {
      label: "duckdb threads 1",
      run: () => duck1!.read(q.sql(SF)),
      check: (r) => same("duckdb threads 1", answerOfDuckDB(r as DuckDBResultReader)),
    },
    polars: {
      label: "polars",
      setup: () => {
        if (!q.polars) throw new NotAvailableError(`${q.name} is not written for polars`);
      },
      run: () => q.polars!(polarsTables(files!), SF).collect(),
      check: (df) => same("polars", answerOfPolars(df as pl.DataFrame)),
    },
  };
  return engines.map((e) => ({ ...all[e], group: q.name }));
}

const workload: Workload = {
  name: "tpch",
  description:
    `TPC-H at scale factor ${SF}: the 22 queries from Parquet (our seeded generator, snappy, ` +
    "131,072-row row groups), deft's DataFrame API beside DuckDB's standard SQL and polars' " +
    "lazy API; every answer checked against DuckDB's. `threads 1`: deft's `threads: 1` run " +
    "option (everything on the calling thread; the default uses every core) and DuckDB's `threads=1`. " +
    `"${TOTAL}" sums the medians of the queries every engine answered.`,
  cases: queries.flatMap(queryCases),
  baseline: "duckdb",
  derived: [
    { name: "cold ms", value: (row) => row.coldMs },
    {
      name: "geomean vs duckdb",
      format: "ratio",
      value: (row) => row.derived["geomean vs duckdb"],
    },
    { name: "worst vs duckdb", format: "ratio", value: (row) => row.derived["worst vs duckdb"] },
  ],
  summarize: (rows) => summarizeTotals(rows, engines, "duckdb"),
  summaryGroups: [TOTAL],
  comparisons:
    engines.includes("deft") && engines.includes("duckdb")
      ? [
          {
            name: "total: deft / duckdb",
            group: TOTAL,
            numerator: "deft",
            denominator: "duckdb",
            target: "<= 6x",
          },
        ]
      : [],
  setup: async () => {
    files = ensureTpch(SF, undefined, console.log).files;
    duck = await openTpchDuckDB(files);
    if (engines.includes("duckdb threads 1")) duck1 = await openTpchDuckDB(files, 1);
    for (const q of queries) expected.set(q.name, await duck.query(q.sql(SF)));
  },
  teardown: () => {
    duck?.close();
    duck1?.close();
    duck = duck1 = undefined;
    expected.clear();
  },
  runs: SF >= 1 ? 3 : 5,
};

export default workload;
