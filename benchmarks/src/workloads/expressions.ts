// Expressions: window functions (10M rows, 1000 partitions: rank, lag, a running sum and a
// 3-row moving average) and row-wise functions (dt.year, LIKE with one and two % parts beside
// str.contains, a regex extract), deft against nodejs-polars and DuckDB (data loaded before
// timing; only the query is timed). Target for the windows: deft <= 2x polars.

import { SCALAR_GROUPS, scalarCases, setupScalar, teardownScalar } from "../expressions/scalar.js";
import {
  setupWindows,
  teardownWindows,
  WINDOW_GROUPS,
  windowCases,
} from "../expressions/windows.js";
import { type DuckDB, openDuckDB } from "../peers.js";
import { relativeTo, type Workload } from "../runner.js";

let db: DuckDB | undefined;
const groups = [...Object.values(WINDOW_GROUPS), ...Object.values(SCALAR_GROUPS)];
const windows = new Set<string>(Object.values(WINDOW_GROUPS));

const workload: Workload = {
  name: "expressions",
  description:
    "Window functions over 10M rows in 1000 partitions ordered by a unique key (rank, lag, " +
    "cumSum, mean over rows [-2, 0]), and over 10M rows: dt.year() of a date, LIKE " +
    "'%special%' (and str.contains), LIKE '%special%requests%', str.extract(\\d+).",
  cases: [...windowCases, ...scalarCases],
  baseline: Object.fromEntries(groups.map((g) => [g, "polars"])),
  derived: [relativeTo("deft")],
  comparisons: groups.flatMap((g) => [
    {
      name: `${g}: deft / polars`,
      group: g,
      numerator: "deft",
      denominator: "polars",
      ...(windows.has(g) ? { target: "<= 2x" } : {}),
    },
    { name: `${g}: deft / duckdb`, group: g, numerator: "deft", denominator: "duckdb" },
  ]),
  setup: async () => {
    db = await openDuckDB();
    await setupWindows(db);
    await setupScalar(db);
  },
  teardown: () => {
    teardownWindows();
    teardownScalar();
    db?.close();
    db = undefined;
  },
};

export default workload;
