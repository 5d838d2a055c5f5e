// Window functions over 10M rows in 1000 partitions (an int32 key), ordered by a unique int32
// key: rank, lag, a running sum and a 3-row moving average (rows [-2, 0]), each its own group.
// polars sorts by (partition, order) and computes `.over(partition)`, as its users write it;
// DuckDB materializes the query into a temporary table. Every engine's answer is checked
// against a plain JS reference by two checksums over (row id, value).
import { col, DataFrame, rank } from "@deft/core";
import type { Table } from "apache-arrow";
import { tableFromArrays } from "apache-arrow";
import pl from "nodejs-polars";
import { expectClose, permutationInt32, uniformFloat64, uniformInt32 } from "../data.js";
import { type DuckDB, duckdbRow, loadIntoDuckDB } from "../peers.js";
import type { Case } from "../runner.js";

const ROWS = Number(process.env.BENCH_EXPRESSIONS_ROWS ?? 10_000_000);
const PARTS = 1000;

export const WINDOW_GROUPS = {
  rank: "window rank",
  lag: "window lag",
  cumSum: "window cumSum",
  mavg: "window moving avg 3",
} as const;
type Fn = keyof typeof WINDOW_GROUPS;

let k: Int32Array = new Int32Array(0);
let t: Int32Array = new Int32Array(0);
let v: Float64Array = new Float64Array(0);
let id: Int32Array = new Int32Array(0);
let db: DuckDB | undefined;
let plFrame: pl.DataFrame | undefined;
const expected = new Map<Fn, { sum: number; weighted: number }>();

/** Checksums of (row id, value): the plain sum and a sum weighted by the id (nulls skipped). */
function checksums(ids: ArrayLike<number>, values: ArrayLike<number | null>) {
  let sum = 0;
  let weighted = 0;
  for (let i = 0; i < ids.length; i++) {
    const x = values[i];
    if (x === null || x === undefined || Number.isNaN(x)) continue;
    sum += Number(x);
    weighted += Number(x) * ((Number(ids[i]) % 7) + 1);
  }
  return { sum, weighted };
}

function check(fn: Fn, ids: ArrayLike<number>, values: ArrayLike<number | null>): void {
  const got = checksums(ids, values);
  const want = expected.get(fn)!;
  expectClose(`${fn} checksum`, got.sum, want.sum);
  expectClose(`${fn} id-weighted checksum`, got.weighted, want.weighted);
}

/** The reference: rows grouped by partition in order-key order, each function by its definition. */
function reference(): void {
  const byT = new Int32Array(ROWS);
  for (let i = 0; i < ROWS; i++) byT[t[i]!] = i;
  const starts = new Int32Array(PARTS + 1);
  for (let i = 0; i < ROWS; i++) starts[k[i]! + 1]!++;
  for (let p = 0; p < PARTS; p++) starts[p + 1]! += starts[p]!;
  const at = starts.slice(0, PARTS);
  const order = new Int32Array(ROWS);
  for (let j = 0; j < ROWS; j++) order[at[k[byT[j]!]!]!++] = byT[j]!;
  const out: Record<Fn, Float64Array> = {
    rank: new Float64Array(ROWS),
    lag: new Float64Array(ROWS),
    cumSum: new Float64Array(ROWS),
    mavg: new Float64Array(ROWS),
  };
  for (let p = 0; p < PARTS; p++) {
    let run = 0;
    for (let j = starts[p]!; j < starts[p + 1]!; j++) {
      const r = order[j]!;
      const pos = j - starts[p]!;
      run += v[r]!;
      out.rank[r] = pos + 1;
      out.lag[r] = pos > 0 ? v[order[j - 1]!]! : Number.NaN;
      out.cumSum[r] = run;
      const from = Math.max(starts[p]!, j - 2);
      let s = 0;
      for (let q = from; q <= j; q++) s += v[order[q]!]!;
      out.mavg[r] = s / (j - from + 1);
    }
  }
  for (const fn of Object.keys(out) as Fn[]) expected.set(fn, checksums(id, out[fn]));
}

const byKT = { partitionBy: "k", orderBy: "t" } as const;
const deftExpr = {
  rank: () => rank().over(byKT),
  lag: () => col("v").lag().over(byKT),
  cumSum: () => col("v").cumSum().over(byKT),
  mavg: () =>
    col("v")
      .mean()
      .over({ ...byKT, frame: { rows: [-2, 0] } }),
};
const polarsExpr = {
  rank: () => pl.col("t").rank("min").over("k"),
  lag: () => pl.col("v").shift(1).over("k"),
  cumSum: () => pl.col("v").cumSum().over("k"),
  mavg: () => pl.col("v").rollingMean({ windowSize: 3, minPeriods: 1 }).over("k"),
};
const sql = {
  rank: "rank() OVER w",
  lag: "lag(v) OVER w",
  cumSum: "sum(v) OVER (w ROWS UNBOUNDED PRECEDING)",
  mavg: "avg(v) OVER (w ROWS 2 PRECEDING)",
};

let deftFrame: ReturnType<typeof DataFrame.fromColumns> | undefined;

function casesOf(fn: Fn): Case[] {
  const group = WINDOW_GROUPS[fn];
  return [
    {
      label: "polars",
      group,
      setup: () => {
        plFrame ??= pl.DataFrame([
          pl.Series("i", id),
          pl.Series("k", k),
          pl.Series("t", t),
          pl.Series("v", v),
        ]);
      },
      run: () =>
        plFrame!.sort(["k", "t"]).select(pl.col("i"), polarsExpr[fn]().cast(pl.Float64).alias("w")),
      check: (df) => {
        const f = df as pl.DataFrame;
        check(fn, f.getColumn("i").toTypedArray(), f.getColumn("w").toArray() as (number | null)[]);
      },
    },
    {
      label: "duckdb",
      group,
      run: () =>
        db!.con.run(
          `CREATE OR REPLACE TEMP TABLE wout AS SELECT i, ${sql[fn]} AS w FROM win WINDOW w AS (PARTITION BY k ORDER BY t)`,
        ),
      check: async () => {
        const row = await duckdbRow(
          db!,
          "SELECT sum(w)::DOUBLE AS s, sum(w * (i % 7 + 1))::DOUBLE AS ws FROM wout",
        );
        const want = expected.get(fn)!;
        expectClose(`${fn} checksum`, Number(row.s), want.sum);
        expectClose(`${fn} id-weighted checksum`, Number(row.ws), want.weighted);
      },
    },
    {
      label: "deft",
      group,
      setup: () => {
        deftFrame ??= DataFrame.fromColumns({ i: id, k, t, v });
      },
      run: () => deftFrame!.select(col("i"), deftExpr[fn]().alias("w")).toArrow(),
      check: (r) => {
        const table = r as Table;
        const w = table.getChild("w")!;
        const values = Array.from({ length: w.length }, (_, j) => {
          const x = w.get(j);
          return x === null ? null : Number(x);
        });
        check(fn, table.getChild("i")!.toArray() as Int32Array, values);
      },
    },
  ];
}

export const windowCases: Case[] = (Object.keys(WINDOW_GROUPS) as Fn[]).flatMap(casesOf);

export async function setupWindows(duck: DuckDB): Promise<void> {
  db = duck;
  k = uniformInt32(ROWS, PARTS, 21);
  t = permutationInt32(ROWS, 22);
  v = uniformFloat64(ROWS, 23);
  id = Int32Array.from({ length: ROWS }, (_, i) => i);
  reference();
  await loadIntoDuckDB(duck, "win", tableFromArrays({ i: id, k, t, v }));
}

export function teardownWindows(): void {
  db = plFrame = deftFrame = undefined;
  k = t = id = new Int32Array(0);
  v = new Float64Array(0);
}
