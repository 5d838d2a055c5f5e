// TPC-H-shaped joins over two Parquet files written here: the optimized plan (the one the run
// reports in its query:start event) reads only the columns the query uses from each file, and
// the answers equal a plain JS computation over the same rows.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { col, count, type DataFrame, lit, readParquet } from "@deft/core";
import { writeParquetBatches } from "@deft/core/internal";
import { makeVector, Table, Utf8, vectorFromArray } from "apache-arrow";
import { beforeAll, describe, expect, it } from "vitest";

const ORDERS = 500;
const ITEMS = 2000;
const orderkey = Int32Array.from({ length: ORDERS }, (_, i) => i + 1);
const orderdate = Int32Array.from({ length: ORDERS }, (_, i) => 19950101 + ((i * 37) % 300));
const priority = Array.from({ length: ORDERS }, (_, i) => `${(i % 5) + 1}-PRIO`);
const l_orderkey = Int32Array.from({ length: ITEMS }, (_, i) => ((i * 7) % ORDERS) + 1);
const price = Float64Array.from({ length: ITEMS }, (_, i) => 100 + ((i * 13) % 900));
const discount = Float64Array.from({ length: ITEMS }, (_, i) => (i % 10) / 100);
const shipdate = Int32Array.from({ length: ITEMS }, (_, i) => 19950101 + ((i * 11) % 320));
const commit = Int32Array.from({ length: ITEMS }, (_, i) => shipdate[i]! + (i % 7) - 3);
const comment = (n: number, w: string) => Array.from({ length: n }, (_, i) => `${w} ${i}`);
// Plain utf8 columns (apache-arrow would dictionary-encode string arrays by default).
const utf8 = (values: string[]) => vectorFromArray(values, new Utf8());

let lineitem: () => DataFrame;
let orders: () => DataFrame;

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "deft-tpch-"));
  const li = new Table({
    l_orderkey: makeVector(l_orderkey),
    l_extendedprice: makeVector(price),
    l_discount: makeVector(discount),
    l_shipdate: makeVector(shipdate),
    l_commitdate: makeVector(commit),
    l_comment: utf8(comment(ITEMS, "carefully")),
  });
  const or = new Table({
    o_orderkey: makeVector(orderkey),
    o_orderdate: makeVector(orderdate),
    o_orderpriority: utf8(priority),
    o_comment: utf8(comment(ORDERS, "quickly")),
  });
  await writeParquetBatches(li.batches, li.schema, path.join(dir, "lineitem.parquet"), {
    rowGroupSize: 500,
  });
  await writeParquetBatches(or.batches, or.schema, path.join(dir, "orders.parquet"), {
    rowGroupSize: 200,
  });
  lineitem = () => readParquet(path.join(dir, "lineitem.parquet"));
  orders = () => readParquet(path.join(dir, "orders.parquet"));
});

/** The scan lines of the plan a run actually executed. */
async function scansRun(
  df: DataFrame,
): Promise<{ scans: string[]; rows: Record<string, unknown>[] }> {
  let plan = "";
  const rows = await df.toRecords({
    progress: (e) => {
      if (e.type === "query:start") plan = e.plan;
    },
  });
  const scans = plan
    .split("\n")
    .filter((l) => l.includes("Source: parquet"))
    .map((l) => l.trim().replace(/ \(\d+ row groups, \d+ rows\)/, ""));
  return { scans, rows };
}

describe("TPC-H-shaped joins over Parquet read only the columns they use", () => {
  it("Q3 shape: join, filters on both sides, group-by, top 5", async () => {
    const q = lineitem()
      .join(orders(), { leftOn: "l_orderkey", rightOn: "o_orderkey" })
      .filter(col("o_orderdate").lt(19950215).and(col("l_shipdate").gt(19950215)))
      .groupBy("l_orderkey", "o_orderdate")
      .agg(
        col("l_extendedprice")
          .mul(lit(1).sub(col("l_discount")))
          .sum()
          .alias("revenue"),
      )
      .sort(["revenue", "l_orderkey"], { descending: [true, false], limit: 5 });
    const { scans, rows } = await scansRun(q);
    expect(scans).toEqual([
      "Source: parquet lineitem.parquet columns=[l_orderkey, l_extendedprice, l_discount, l_shipdate] filter=(col(l_shipdate) > 19950215)",
      "Source: parquet orders.parquet columns=[o_orderkey, o_orderdate] filter=(col(o_orderdate) < 19950215)",
    ]);

    const revenue = new Map<number, number>();
    for (let i = 0; i < ITEMS; i++) {
      const o = l_orderkey[i]! - 1;
      if (!(orderdate[o]! < 19950215 && shipdate[i]! > 19950215)) continue;
      const k = l_orderkey[i]!;
      revenue.set(k, (revenue.get(k) ?? 0) + price[i]! * (1 - discount[i]!));
    }
    const expected = [...revenue]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, 5)
      .map(([k, r]) => ({ l_orderkey: k, o_orderdate: orderdate[k - 1], revenue: r }));
    expect(rows.map((r) => ({ ...r, revenue: Math.round((r.revenue as number) * 1e6) }))).toEqual(
      expected.map((r) => ({ ...r, revenue: Math.round(r.revenue * 1e6) })),
    );
  });

  it("Q4 shape: a semi join reads only the right side's key and the columns of its filter", async () => {
    const late = lineitem().filter(col("l_commitdate").lt(col("l_shipdate")));
    const q = orders()
      .filter(col("o_orderdate").gte(19950301).and(col("o_orderdate").lt(19950601)))
      .join(late, { leftOn: "o_orderkey", rightOn: "l_orderkey", how: "semi" })
      .groupBy("o_orderpriority")
      .agg(count().alias("order_count"))
      .sort("o_orderpriority");
    const { scans, rows } = await scansRun(q);
    expect(scans).toEqual([
      "Source: parquet orders.parquet columns=[o_orderkey, o_orderdate, o_orderpriority] filter=((col(o_orderdate) >= 19950301) AND (col(o_orderdate) < 19950601))",
      "Source: parquet lineitem.parquet columns=[l_orderkey, l_shipdate, l_commitdate] filter=(col(l_commitdate) < col(l_shipdate))",
    ]);

    const lateOrders = new Set<number>();
    for (let i = 0; i < ITEMS; i++) if (commit[i]! < shipdate[i]!) lateOrders.add(l_orderkey[i]!);
    const counts = new Map<string, bigint>();
    for (let o = 0; o < ORDERS; o++) {
      if (orderdate[o]! < 19950301 || orderdate[o]! >= 19950601 || !lateOrders.has(o + 1)) continue;
      counts.set(priority[o]!, (counts.get(priority[o]!) ?? 0n) + 1n);
    }
    const expected = [...counts]
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .map(([p, n]) => ({ o_orderpriority: p, order_count: n }));
    expect(rows).toEqual(expected);
  });
});
