// Built-in expressions over 10M float64 rows: a projection (a*2+b) and a filter (a > 0.5)
// carrying three columns. Targets: projection <= 1.2x the JS loop with fresh output and
// faster than polars; filter <= 1.0x the JS two-pass loop.
import type { Table } from "apache-arrow";
import * as aq from "arquero";
import pl from "nodejs-polars";
import { expectClose, expectEqual, sumFloat64, uniformFloat64 } from "../data.js";
import { col, DataFrame, type DeftFrame } from "../deft.js";
import { arrowColumn } from "../peers.js";
import { type Case, relativeTo, type Workload } from "../runner.js";

const N = Number(process.env.BENCH_BUILTINS_ROWS ?? 10_000_000);
const PROJECT = "a*2+b";
const FILTER = "filter a>0.5";

let a: Float64Array = new Float64Array(0);
let b: Float64Array = new Float64Array(0);
let c: Float64Array = new Float64Array(0);
let expectedY = 0; // sum of a*2+b
let expectedKept = 0; // rows with a > 0.5
let expectedKeptC = 0; // sum of c over those rows

function checkProjection(y: ArrayLike<number>): void {
  expectEqual("output rows", y.length, N);
  expectClose("sum of y", sumFloat64(y), expectedY);
}

function checkFilter(rows: number, cKept: ArrayLike<number>): void {
  expectEqual("rows kept", rows, expectedKept);
  expectClose("sum of kept c", sumFloat64(cKept), expectedKeptC);
}

// Each peer's table is built once (untimed) and shared by both groups.
let aqTable: aq.ColumnTable | undefined;
let plFrame: pl.DataFrame | undefined;
let deftFrame: DeftFrame | undefined;
const arqueroTable = () => (aqTable ??= aq.table({ a, b, c }));
const polarsFrame = () =>
  (plFrame ??= pl.DataFrame([pl.Series("a", a), pl.Series("b", b), pl.Series("c", c)]));
const deft = () => (deftFrame ??= DataFrame().fromColumns({ a, b, c }));

const cases: Case[] = [
  {
    label: "JS loop (fresh output)",
    group: PROJECT,
    run: () => {
      const y = new Float64Array(N);
      for (let i = 0; i < N; i++) y[i] = a[i]! * 2 + b[i]!;
      return y;
    },
    check: (y) => checkProjection(y as Float64Array),
  },
  {
    label: "arquero",
    group: PROJECT,
    setup: arqueroTable,
    run: () => arqueroTable().derive({ y: (d: { a: number; b: number }) => d.a * 2 + d.b }),
    check: (t) => checkProjection((t as aq.ColumnTable).array("y") as ArrayLike<number>),
  },
  {
    label: "polars",
    group: PROJECT,
    setup: polarsFrame,
    run: () => polarsFrame().withColumn(pl.col("a").mul(2).add(pl.col("b")).alias("y")),
    check: (df) =>
      checkProjection((df as pl.DataFrame).getColumn("y").toTypedArray() as Float64Array),
  },
  {
    label: "deft",
    group: PROJECT,
    setup: deft,
    run: () =>
      deft()
        .withColumn("y", col("a").mul(2).add(col("b")))
        .toArrow(),
    check: (t) => checkProjection(arrowColumn(t as Table, "y")),
  },
  {
    label: "JS two-pass loop",
    group: FILTER,
    run: () => {
      let kept = 0;
      for (let i = 0; i < N; i++) if (a[i]! > 0.5) kept++;
      const oa = new Float64Array(kept);
      const ob = new Float64Array(kept);
      const oc = new Float64Array(kept);
      for (let i = 0, j = 0; i < N; i++) {
        if (a[i]! > 0.5) {
          oa[j] = a[i]!;
          ob[j] = b[i]!;
          oc[j++] = c[i]!;
        }
      }
      return { rows: kept, c: oc, a: oa, b: ob };
    },
    check: (r) => {
      const { rows, c: oc } = r as { rows: number; c: Float64Array };
      checkFilter(rows, oc);
    },
  },
  {
    label: "arquero (reified)",
    group: FILTER,
    setup: arqueroTable,
    run: () =>
      arqueroTable()
        .filter((d: { a: number }) => d.a > 0.5)
        .reify(),
    check: (t) => {
      const table = t as aq.ColumnTable;
      checkFilter(table.numRows(), table.array("c") as ArrayLike<number>);
    },
  },
  {
    label: "polars",
    group: FILTER,
    setup: polarsFrame,
    run: () => polarsFrame().filter(pl.col("a").gt(0.5)),
    check: (df) => {
      const f = df as pl.DataFrame;
      checkFilter(f.height, f.getColumn("c").toTypedArray() as Float64Array);
    },
  },
  {
    label: "deft",
    group: FILTER,
    setup: deft,
    run: () => deft().filter(col("a").gt(0.5)).toArrow(),
    check: (t) => {
      const table = t as Table;
      checkFilter(table.numRows, arrowColumn(table, "c"));
    },
  },
];

const workload: Workload = {
  name: "builtins",
  description: `Built-in expressions on ${N.toLocaleString("en")} float64 rows (columns a, b, c): projection a*2+b and filter a > 0.5 keeping all three columns.`,
  cases,
  baseline: { [PROJECT]: "JS loop (fresh output)", [FILTER]: "JS two-pass loop" },
  derived: [relativeTo("deft")],
  comparisons: [
    {
      name: "a*2+b: deft / JS loop",
      group: PROJECT,
      numerator: "deft",
      denominator: "JS loop (fresh output)",
      target: "<= 1.2x",
    },
    {
      name: "a*2+b: deft / polars",
      group: PROJECT,
      numerator: "deft",
      denominator: "polars",
      target: "< 1.0x",
    },
    {
      name: "filter: deft / JS two-pass",
      group: FILTER,
      numerator: "deft",
      denominator: "JS two-pass loop",
      target: "<= 1.0x",
    },
    { name: "filter: deft / polars", group: FILTER, numerator: "deft", denominator: "polars" },
  ],
  setup: () => {
    a = uniformFloat64(N, 1);
    b = uniformFloat64(N, 2);
    c = uniformFloat64(N, 3);
    let sy = 0;
    let kept = 0;
    let sc = 0;
    for (let i = 0; i < N; i++) {
      sy += a[i]! * 2 + b[i]!;
      if (a[i]! > 0.5) {
        kept++;
        sc += c[i]!;
      }
    }
    expectedY = sy;
    expectedKept = kept;
    expectedKeptC = sc;
  },
  teardown: () => {
    aqTable = plFrame = deftFrame = undefined;
  },
};

export default workload;
