import { col, udf } from "@deft/core";
import { pushDownFilter } from "@deft/core/internal";
import { describe, expect, it } from "vitest";
import { expectColumns } from "../helpers.js";
import { after, lines, optimized } from "./helpers.js";
import { ITEMS, items, joined, ORDERS, orders } from "./tables.js";

// One conjunct of each kind over a join of items (left) and orders (right).
const leftOnly = col("l_qty").gt(1);
const rightOnly = col("o_date").lt(30);
const keyOnly = col("l_key").gt(1);
const mixed = col("x").lt(col("x_right"));
const all = leftOnly.and(rightOnly).and(keyOnly).and(mixed);

describe("pushDownFilter through joins: which conjuncts cross", () => {
  it("inner: left to the left, right to the right, keys to both (renamed), mixed stays", async () => {
    const q = joined("inner").filter(all);
    expect(lines(after(q, pushDownFilter))).toEqual([
      "Filter: (col(x) < col(x_right))",
      "  Join: inner on l_key=o_key",
      "    Filter: ((col(l_qty) > 1) AND (col(l_key) > 1))",
      `      ${ITEMS}`,
      "    Filter: ((col(o_date) < 30) AND (col(o_key) > 1))",
      `      ${ORDERS}`,
    ]);
    await expectColumns(q.select("l_key", "x_right"), { l_key: [2], x_right: [8] });
  });

  it("inner: a suffixed right column is read under its own name below the join", () => {
    const q = joined("inner").filter(col("x_right").gt(7));
    expect(lines(after(q, pushDownFilter))).toEqual([
      "Join: inner on l_key=o_key",
      `  ${ITEMS}`,
      "  Filter: (col(x) > 7)",
      `    ${ORDERS}`,
    ]);
  });

  it("left: left and key conjuncts go left (keys copied right); right ones stay", async () => {
    const q = joined("left").filter(leftOnly.and(rightOnly).and(keyOnly));
    expect(lines(after(q, pushDownFilter))).toEqual([
      "Filter: (col(o_date) < 30)",
      "  Join: left on l_key=o_key",
      "    Filter: ((col(l_qty) > 1) AND (col(l_key) > 1))",
      `      ${ITEMS}`,
      "    Filter: (col(o_key) > 1)",
      `      ${ORDERS}`,
    ]);
    await expectColumns(q.select("l_key", "o_date"), { l_key: [2], o_date: [20] });
  });

  it("left: a right-side conjunct never crosses (it would keep unmatched rows)", async () => {
    const q = joined("left").filter(col("o_date").isNull());
    expect(after(q, pushDownFilter)).toBe(q.explain().replace("== Logical plan ==\n", ""));
    await expectColumns(q.select("l_key"), { l_key: [4] });
  });

  it("right: right and key conjuncts go right (keys copied left); left ones stay", async () => {
    const q = joined("right").filter(leftOnly.and(rightOnly).and(keyOnly));
    expect(lines(after(q, pushDownFilter))).toEqual([
      "Filter: (col(l_qty) > 1)",
      "  Join: right on l_key=o_key",
      "    Filter: (col(l_key) > 1)",
      `      ${ITEMS}`,
      "    Filter: ((col(o_date) < 30) AND (col(o_key) > 1))",
      `      ${ORDERS}`,
    ]);
    await expectColumns(q.select("l_key", "l_qty"), { l_key: [2], l_qty: [3] });
  });

  it("outer: nothing crosses", async () => {
    const q = joined("outer").filter(leftOnly.and(rightOnly).and(keyOnly));
    expect(lines(after(q, pushDownFilter))).toEqual([
      "Filter: (((col(l_qty) > 1) AND (col(o_date) < 30)) AND (col(l_key) > 1))",
      "  Join: outer on l_key=o_key",
      `    ${ITEMS}`,
      `    ${ORDERS}`,
    ]);
    await expectColumns(q.select("l_key"), { l_key: [2] });
  });

  it.each(["semi", "anti"] as const)("%s: everything goes left, keys copied right", async (how) => {
    const q = joined(how).filter(leftOnly.and(keyOnly));
    expect(lines(after(q, pushDownFilter))).toEqual([
      `Join: ${how} on l_key=o_key`,
      "  Filter: ((col(l_qty) > 1) AND (col(l_key) > 1))",
      `    ${ITEMS}`,
      "  Filter: (col(o_key) > 1)",
      `    ${ORDERS}`,
    ]);
    await expectColumns(q.select("l_key"), { l_key: how === "semi" ? [2] : [4] });
  });
});

describe("pushDownFilter through other nodes", () => {
  it("aggregate: conjuncts on group keys go below (key expressions substituted), others stay", async () => {
    const q = items()
      .groupBy(col("l_key").mul(10).alias("k"))
      .agg(col("l_price").sum())
      .filter(col("k").gt(10).and(col("l_price").gt(4)));
    expect(lines(after(q, pushDownFilter))).toEqual([
      "Filter: (col(l_price) > 4)",
      "  Aggregate: keys=[(col(l_key) * 10)] aggs=[l_price=col(l_price).sum()]",
      "    Filter: ((col(l_key) * 10) > 10)",
      `      ${ITEMS}`,
    ]);
    await expectColumns(q, { k: [40], l_price: [4.5] });
  });

  it("a global aggregate keeps every filter above it (it yields a row even from no input)", async () => {
    const q = items().groupBy().agg(col("l_price").sum()).filter(col("l_price").gt(100));
    expect(after(q, pushDownFilter)).toBe(q.explain().replace("== Logical plan ==\n", ""));
    expect((await q.toArrow()).numRows).toBe(0);
  });

  it("explode: conjuncts not reading the exploded column go below", async () => {
    const q = orders()
      .withColumn("parts", col("o_prio").str.split(","))
      .explode("parts")
      .filter(col("o_key").gt(1).and(col("parts").neq("c")));
    expect(lines(after(q, pushDownFilter))).toEqual(
      [
        '  Filter: (col(parts) != "c")',
        "    Explode: parts",
        '      Project: o_key, o_date, o_prio, x, parts=col(o_prio).str.split(",")',
        "        Filter: (col(o_key) > 1)",
        `          ${ORDERS}`,
      ].map((l) => l.slice(2)),
    );
    await expectColumns(q.select("parts"), { parts: ["b"] });
  });

  it("distinct over some columns: only conjuncts on those columns go below", async () => {
    const q = items()
      .distinct("l_key")
      .filter(col("l_key").lt(4).and(col("l_qty").gt(1)));
    expect(lines(after(q, pushDownFilter))).toEqual([
      "Filter: (col(l_qty) > 1)",
      "  Distinct: l_key",
      "    Filter: (col(l_key) < 4)",
      `      ${ITEMS}`,
    ]);
    // Below the distinct, l_qty > 1 would keep (1, qty 2) as key 1's first row.
    await expectColumns(q.select("l_key", "l_qty"), { l_key: [2], l_qty: [3] });
  });

  it("distinct over all columns: every conjunct goes below", () => {
    const q = items().distinct().filter(col("l_qty").gt(1));
    expect(lines(after(q, pushDownFilter))).toEqual([
      "Distinct: l_key, l_price, l_qty, x",
      "  Filter: (col(l_qty) > 1)",
      `    ${ITEMS}`,
    ]);
  });

  it("concat: into every input", async () => {
    const q = items().concat(items()).filter(col("l_qty").gt(3));
    expect(lines(after(q, pushDownFilter))).toEqual([
      "Concat: 2 inputs",
      "  Filter: (col(l_qty) > 3)",
      `    ${ITEMS}`,
      "  Filter: (col(l_qty) > 3)",
      `    ${ITEMS}`,
    ]);
    await expectColumns(q.select("l_qty"), { l_qty: [4, 4] });
  });

  it("intoBatches and sort: below; a top-N sort and a limit: never", async () => {
    const q = items().sort("l_qty").intoBatches(2).filter(col("l_key").gt(1));
    expect(lines(after(q, pushDownFilter))).toEqual([
      "IntoBatches: 2",
      "  Sort: col(l_qty) asc",
      "    Filter: (col(l_key) > 1)",
      `      ${ITEMS}`,
    ]);
    const top = items().sort("l_qty", { limit: 2 }).filter(col("l_key").gt(1));
    expect(lines(after(top, pushDownFilter))).toEqual([
      "Filter: (col(l_key) > 1)",
      "  Sort: col(l_qty) asc (top 2)",
      `    ${ITEMS}`,
    ]);
    await expectColumns(top.select("l_qty"), { l_qty: [] });
  });

  it("a UDF: conjuncts reading its output stay above it, the others go below", async () => {
    const twice = udf((v: number) => v * 2, { returns: "float64" });
    const q = items()
      .withColumn("t", twice(col("l_price")))
      .filter(col("t").gt(6).and(col("l_key").lt(4)));
    expect(lines(optimized(q))).toEqual([
      "Filter: (col(t) > 6)",
      `  UdfProject: t=${twice(col("l_price")).toString()}`,
      "    Filter: (col(l_key) < 4)",
      `      ${ITEMS}`,
    ]);
    await expectColumns(q.select("t"), { t: [7] });
  });
});
