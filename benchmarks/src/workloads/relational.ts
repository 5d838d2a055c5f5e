// Relational operators: a 10M-row group-by (1000 int keys, sum + mean), a 1M x 10k inner join
// and a 10M-row sort on one float64 key (the groups live in src/relational/). Peers:
// hand-written JS, Arquero, nodejs-polars and DuckDB (data loaded before timing; only the
// query is timed). Target for the group-by: <= 150 ms, twice as fast as polars.
import { type DuckDB, openDuckDB } from "../peers.js";
import { GROUP_BY, groupByPart } from "../relational/groupby.js";
import { JOIN, joinPart } from "../relational/join.js";
import { SORT, sortPart } from "../relational/sort.js";
import { relativeTo, type Workload } from "../runner.js";

const parts = [groupByPart, joinPart, sortPart];
let db: DuckDB | undefined;

const workload: Workload = {
  name: "relational",
  description:
    "Group-by (10M rows, 1000 int keys, sum + mean of a float64), inner join (1M rows x 10K " +
    "unique keys, about half the left rows match) and sort (10M float64 keys carrying an int32 row id).",
  cases: parts.flatMap((p) => p.cases),
  baseline: Object.fromEntries(parts.map((p) => [p.group, p.baseline])),
  derived: [relativeTo("deft")],
  comparisons: [
    {
      name: "group-by: deft / polars",
      group: GROUP_BY,
      numerator: "deft",
      denominator: "polars",
      target: "<= 0.5x",
    },
    { name: "group-by: deft / duckdb", group: GROUP_BY, numerator: "deft", denominator: "duckdb" },
    { name: "join: deft / polars", group: JOIN, numerator: "deft", denominator: "polars" },
    { name: "sort: deft / polars", group: SORT, numerator: "deft", denominator: "polars" },
  ],
  setup: async () => {
    db = await openDuckDB();
    for (const p of parts) await p.setup(db);
  },
  teardown: () => {
    for (const p of parts) p.teardown();
    db?.close();
    db = undefined;
  },
};

export default workload;
