import { col, count, udf } from "@deft/core";
import { describe, expect, it } from "vitest";
import { expectColumns } from "../helpers.js";
import { lines, optimized } from "./helpers.js";
import { ITEMS, items, joined, ORDERS, orders } from "./tables.js";

describe("pruneColumns through every node kind", () => {
  it("aggregate over a join: each scan reads only its key and the columns aggregated", async () => {
    const q = joined().groupBy("o_prio").agg(col("l_price").sum());
    expect(lines(optimized(q))).toEqual([
      "Aggregate: keys=[col(o_prio)] aggs=[l_price=col(l_price).sum()]",
      "  Join: inner on l_key=o_key",
      `    ${ITEMS} columns=[l_key, l_price]`,
      `    ${ORDERS} columns=[o_key, o_prio]`,
    ]);
    await expectColumns(q, { o_prio: ["a", "b"], l_price: [4, 3.5] });
  });

  it("a global count over a join reads the join keys only", async () => {
    const q = joined().groupBy().agg(count());
    expect(lines(optimized(q))).toEqual([
      "Aggregate: keys=[] aggs=[count=count()]",
      "  Join: inner on l_key=o_key",
      `    ${ITEMS} columns=[l_key]`,
      `    ${ORDERS} columns=[o_key]`,
    ]);
    await expectColumns(q, { count: [3n] });
  });

  it("a right column renamed with the suffix keeps the left column it clashed with", async () => {
    const q = joined().select("x_right", "l_qty");
    expect(lines(optimized(q))).toEqual([
      "Project: x_right, l_qty",
      "  Join: inner on l_key=o_key",
      `    ${ITEMS} columns=[l_key, l_qty, x]`,
      `    ${ORDERS} columns=[o_key, x]`,
    ]);
    await expectColumns(q, { x_right: [7, 7, 8], l_qty: [1, 2, 3] });
  });

  it.each(["semi", "anti"] as const)("a %s join's right side keeps only its keys", async (how) => {
    const q = joined(how).select("l_qty");
    expect(lines(optimized(q))).toEqual([
      "Project: l_qty",
      `  Join: ${how} on l_key=o_key`,
      `    ${ITEMS} columns=[l_key, l_qty]`,
      `    ${ORDERS} columns=[o_key]`,
    ]);
    await expectColumns(q, { l_qty: how === "semi" ? [1, 2, 3] : [4] });
  });

  it("a semi join with nothing above it still prunes its right side", () => {
    expect(lines(optimized(joined("semi")))).toEqual([
      "Join: semi on l_key=o_key",
      `  ${ITEMS}`,
      `  ${ORDERS} columns=[o_key]`,
    ]);
  });

  it.each(["left", "right", "outer"] as const)("%s join: keys plus what is read", async (how) => {
    const q = joined(how).select("l_key", "o_date");
    expect(lines(optimized(q))).toEqual([
      `Join: ${how} on l_key=o_key`,
      `  ${ITEMS} columns=[l_key]`,
      `  ${ORDERS} columns=[o_key, o_date]`,
    ]);
    const expected = {
      left: { l_key: [1, 1, 2, 4], o_date: [10, 10, 20, null] },
      right: { l_key: [1, 1, 2, 3], o_date: [10, 10, 20, 30] },
      outer: { l_key: [1, 1, 2, 4, 3], o_date: [10, 10, 20, null, 30] },
    }[how];
    await expectColumns(q, expected);
  });

  it("an aggregation nobody reads is dropped; the keys stay", async () => {
    const q = items()
      .groupBy("l_key")
      .agg(col("l_price").sum(), col("l_qty").max().alias("m"))
      .select("m");
    expect(lines(optimized(q))).toEqual([
      "Project: m",
      "  Aggregate: keys=[col(l_key)] aggs=[m=col(l_qty).max()]",
      `    ${ITEMS} columns=[l_key, l_qty]`,
    ]);
    await expectColumns(q, { m: [2, 3, 4] });
  });

  it("sort keeps its keys below it, and drops them above", async () => {
    const q = items().sort("l_qty", { descending: true }).select("l_price");
    expect(lines(optimized(q))).toEqual([
      "Project: l_price",
      "  Sort: col(l_qty) desc",
      `    ${ITEMS} columns=[l_price, l_qty]`,
    ]);
    await expectColumns(q, { l_price: [4.5, 3.5, 2.5, 1.5] });
  });

  it("limit and intoBatches pass the narrowing through", async () => {
    const q = items().intoBatches(2).limit(3).select("l_qty");
    expect(lines(optimized(q))).toEqual([
      "Limit: 3",
      "  IntoBatches: 2",
      `    ${ITEMS} columns=[l_qty] limit=3`,
    ]);
    await expectColumns(q, { l_qty: [1, 2, 3] });
  });

  it("explode keeps its list column even when nothing reads it (it still multiplies rows)", async () => {
    const q = orders()
      .withColumn("parts", col("o_prio").str.split(","))
      .explode("parts")
      .select("o_key");
    expect(lines(optimized(q))).toEqual([
      "Project: o_key",
      "  Explode: parts",
      '    Project: o_key, parts=col(o_prio).str.split(",")',
      `      ${ORDERS} columns=[o_key, o_prio]`,
    ]);
    await expectColumns(q, { o_key: [1, 2, 3] });
  });

  it("distinct over some columns needs only those; distinct over all needs every column", async () => {
    const some = items().distinct("l_key").select("l_key");
    expect(lines(optimized(some))).toEqual(["Distinct: l_key", `  ${ITEMS} columns=[l_key]`]);
    await expectColumns(some, { l_key: [1, 2, 4] });
    const all = items().distinct().select("l_key");
    expect(lines(optimized(all))).toEqual([
      "Project: l_key",
      "  Distinct: l_key, l_price, l_qty, x",
      `    ${ITEMS}`,
    ]);
    await expectColumns(all, { l_key: [1, 1, 2, 4] });
  });

  it("concat prunes every input to the same columns", async () => {
    const q = items()
      .select("l_key", "l_qty", "x")
      .concat(items().select("x", "l_qty", "l_key"))
      .select("l_qty");
    expect(lines(optimized(q))).toEqual([
      "Concat: 2 inputs",
      `  ${ITEMS} columns=[l_qty]`,
      `  ${ITEMS} columns=[l_qty]`,
    ]);
    await expectColumns(q, { l_qty: [1, 2, 3, 4, 1, 2, 3, 4] });
  });

  it("a UDF nobody reads is dropped; one that is read keeps only its arguments below it", async () => {
    let calls = 0;
    const twice = udf(
      (v: number) => {
        calls++;
        return v * 2;
      },
      { returns: "float64" },
    );
    const q = items()
      .withColumn("unread", twice(col("x")))
      .withColumn("read", twice(col("l_price")))
      .select("l_key", "read");
    expect(lines(optimized(q))).toEqual([
      "Project: l_key, read",
      `  UdfProject: read=${twice(col("l_price")).toString()}`,
      `    ${ITEMS} columns=[l_key, l_price]`,
    ]);
    await expectColumns(q, { l_key: [1, 1, 2, 4], read: [3, 5, 7, 9] });
    expect(calls).toBe(4);
  });
});
