// End-to-end checks on data no one here wrote (vega-datasets), against answers computed once
// with DuckDB (benchmarks/node_modules/@duckdb/node-api) and hard-coded below.
import { readFileSync } from "node:fs";
import { col, count, DataFrame } from "@deft/core";
import {
  AggregateOperator,
  aggregatePlan,
  DistinctOperator,
  distinctPlan,
  type PlanNode,
  SortOperator,
  sortPlan,
} from "@deft/core/internal";
import { describe, expect, it } from "vitest";
import { BatchesOperator, rowsOf, runColumns } from "./helpers.js";

const DATA = new URL("../../../../node_modules/vega-datasets/data/", import.meta.url);
const penguins = () =>
  DataFrame.fromRecords(
    JSON.parse(readFileSync(new URL("penguins.json", DATA), "utf8")) as Record<string, unknown>[],
  );

async function input(df: DataFrame) {
  return new BatchesOperator(df.schema, await df.collectBatches());
}
function as<K extends PlanNode["kind"]>(plan: PlanNode, kind: K): Extract<PlanNode, { kind: K }> {
  if (plan.kind !== kind) throw new Error(`expected ${kind}, got ${plan.kind}`);
  return plan as Extract<PlanNode, { kind: K }>;
}

describe("relational operators on vega-datasets penguins.json (answers from DuckDB)", () => {
  it("group by species: count, count non-null, sum, mean, min, max, countDistinct, string min", async () => {
    const df = penguins();
    const plan = aggregatePlan(
      df.plan,
      ["Species"],
      [
        count().alias("n"),
        col("Body Mass (g)").count().alias("nm"),
        col("Body Mass (g)").sum().alias("s"),
        col("Body Mass (g)").mean().alias("m"),
        col("Beak Length (mm)").min().alias("bmin"),
        col("Beak Length (mm)").max().alias("bmax"),
        col("Island").countDistinct().alias("ni"),
        col("Sex").min().alias("sxmin"),
      ],
    );
    const out = rowsOf(
      (await runColumns(new AggregateOperator(as(plan, "aggregate"), await input(df)))).cols,
    );
    out.sort((a, b) => String(a.Species).localeCompare(String(b.Species)));
    const s = (r: Record<string, unknown>) => Number(r.s);
    expect(out.map((r) => [r.Species, r.n, r.nm, s(r), r.bmin, r.bmax, r.ni, r.sxmin])).toEqual([
      ["Adelie", 152n, 151n, 558800, 32.1, 46, 3n, "FEMALE"],
      ["Chinstrap", 68n, 68n, 253850, 40.9, 58, 1n, "FEMALE"],
      ["Gentoo", 124n, 123n, 624350, 40.9, 59.6, 1n, "."],
    ]);
    expect(out.map((r) => r.m as number)).toEqual(
      [3700.662251655629, 3733.0882352941176, 5076.016260162602].map((x) => expect.closeTo(x, 9)),
    );
  });

  it("sort by body mass descending (nulls last) then species, top 5", async () => {
    const df = penguins();
    const plan = sortPlan(df.plan, ["Body Mass (g)", "Species"], {
      descending: [true, false],
      limit: 5,
    });
    const out = rowsOf(
      (await runColumns(new SortOperator(as(plan, "sort"), await input(df)))).cols,
    );
    expect(out.map((r) => [r.Species, r.Island, Number(r["Body Mass (g)"])])).toEqual([
      ["Gentoo", "Biscoe", 6300],
      ["Gentoo", "Biscoe", 6050],
      ["Gentoo", "Biscoe", 6000],
      ["Gentoo", "Biscoe", 6000],
      ["Gentoo", "Biscoe", 5950],
    ]);
  });

  it("distinct (Island, Sex) has 10 combinations", async () => {
    const df = penguins();
    const plan = distinctPlan(df.plan, ["Island", "Sex"]);
    const out = await runColumns(new DistinctOperator(as(plan, "distinct"), await input(df)));
    expect(out.cols.Island).toHaveLength(10);
  });
});
