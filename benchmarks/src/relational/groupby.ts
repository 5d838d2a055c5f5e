// Group-by: 10M rows, an int32 key with 1000 groups, sum and mean of a float64. Target:
// deft <= 150 ms and twice as fast as polars.
import { tableFromArrays } from "apache-arrow";
import * as aq from "arquero";
import pl from "nodejs-polars";
import { expectClose, expectEqual, uniformFloat64, uniformInt32 } from "../data.js";
import { col, DataFrame } from "../deft.js";
import { arqueroColumn, arrowColumn, type DuckDB, loadIntoDuckDB, polarsColumn } from "../peers.js";
import type { Case } from "../runner.js";
import { deftCase, type RelationalPart } from "./part.js";

const ROWS = Number(process.env.BENCH_GROUPBY_ROWS ?? 10_000_000);
const GROUPS = 1000;
export const GROUP_BY = "group-by sum+mean";

let k: Int32Array = new Int32Array(0);
let v: Float64Array = new Float64Array(0);
let expSum = new Float64Array(GROUPS);
let expCount = new Float64Array(GROUPS);
let db: DuckDB | undefined;
let aqTable: aq.ColumnTable | undefined;
let plFrame: pl.DataFrame | undefined;

function checkGroups(
  keys: ArrayLike<number>,
  sums: ArrayLike<number>,
  means: ArrayLike<number>,
): void {
  expectEqual("groups", keys.length, GROUPS);
  for (let i = 0; i < keys.length; i++) {
    const key = Number(keys[i]);
    expectClose(`sum of group ${key}`, sums[i]!, expSum[key]!);
    expectClose(`mean of group ${key}`, means[i]!, expSum[key]! / expCount[key]!);
  }
}

interface JsGroups {
  keys: ArrayLike<number>;
  sums: ArrayLike<number>;
  means: ArrayLike<number>;
}
const checkJs = (r: unknown) => {
  const { keys, sums, means } = r as JsGroups;
  checkGroups(keys, sums, means);
};

const cases: Case[] = [
  {
    label: "JS dense loop",
    group: GROUP_BY,
    run: (): JsGroups => {
      const sums = new Float64Array(GROUPS);
      const counts = new Float64Array(GROUPS);
      for (let i = 0; i < k.length; i++) {
        const key = k[i]!;
        sums[key]! += v[i]!;
        counts[key]!++;
      }
      const means = new Float64Array(GROUPS);
      for (let g = 0; g < GROUPS; g++) means[g] = sums[g]! / counts[g]!;
      return { keys: Int32Array.from({ length: GROUPS }, (_, g) => g), sums, means };
    },
    check: checkJs,
  },
  {
    label: "JS Map loop",
    group: GROUP_BY,
    run: (): JsGroups => {
      // Keys -> slot through a Map, as a JS engine must when keys are not small dense ints.
      const slots = new Map<number, number>();
      let sums = new Float64Array(64);
      let counts = new Float64Array(64);
      const keys: number[] = [];
      for (let i = 0; i < k.length; i++) {
        const key = k[i]!;
        let s = slots.get(key);
        if (s === undefined) {
          s = keys.length;
          slots.set(key, s);
          keys.push(key);
          if (s === sums.length) {
            const grownSums = new Float64Array(s * 2);
            grownSums.set(sums);
            sums = grownSums;
            const grownCounts = new Float64Array(s * 2);
            grownCounts.set(counts);
            counts = grownCounts;
          }
        }
        sums[s]! += v[i]!;
        counts[s]!++;
      }
      const means = keys.map((_, s) => sums[s]! / counts[s]!);
      return { keys, sums: sums.subarray(0, keys.length), means };
    },
    check: checkJs,
  },
  {
    label: "arquero",
    group: GROUP_BY,
    setup: () => {
      aqTable = aq.table({ k, v });
    },
    run: () => aqTable!.groupby("k").rollup({ s: aq.op.sum("v"), m: aq.op.mean("v") }),
    check: (t) => checkGroups(arqueroColumn(t, "k"), arqueroColumn(t, "s"), arqueroColumn(t, "m")),
  },
  {
    label: "polars",
    group: GROUP_BY,
    setup: () => {
      plFrame = pl.DataFrame([pl.Series("k", k), pl.Series("v", v)]);
    },
    run: () =>
      plFrame!.groupBy("k").agg(pl.col("v").sum().alias("s"), pl.col("v").mean().alias("m")),
    check: (df) => checkGroups(polarsColumn(df, "k"), polarsColumn(df, "s"), polarsColumn(df, "m")),
  },
  {
    label: "duckdb",
    group: GROUP_BY,
    run: async () =>
      (
        await db!.con.runAndReadAll("SELECT k, sum(v) AS s, avg(v) AS m FROM gb GROUP BY k")
      ).getColumnsObjectJS(),
    check: (r) => {
      const c = r as Record<string, number[]>;
      checkGroups(c.k!, c.s!, c.m!);
    },
  },
  deftCase(
    GROUP_BY,
    "groupBy",
    () => DataFrame().fromColumns({ k, v }),
    (f) =>
      f.groupBy("k").agg(col("v").sum().alias("v_sum"), col("v").mean().alias("v_mean")).toArrow(),
    (t) => checkGroups(arrowColumn(t, "k"), arrowColumn(t, "v_sum"), arrowColumn(t, "v_mean")),
  ),
];

export const groupByPart: RelationalPart = {
  group: GROUP_BY,
  baseline: "JS dense loop",
  cases,
  setup: async (duck) => {
    db = duck;
    k = uniformInt32(ROWS, GROUPS, 11);
    v = uniformFloat64(ROWS, 12);
    expSum = new Float64Array(GROUPS);
    expCount = new Float64Array(GROUPS);
    for (let i = 0; i < ROWS; i++) {
      expSum[k[i]!]! += v[i]!;
      expCount[k[i]!]!++;
    }
    await loadIntoDuckDB(duck, "gb", tableFromArrays({ k, v }));
  },
  teardown: () => {
    db = aqTable = plFrame = undefined;
    k = new Int32Array(0);
    v = new Float64Array(0);
  },
};
