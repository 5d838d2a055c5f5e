import { col, type DataFrame } from "@deft/core";
import { deriveJoinFilters, formatPlan, runBatches } from "@deft/core/internal";
import { describe, expect, it } from "vitest";
import { expectColumns } from "../helpers.js";
import { before, lines, optimized } from "./helpers.js";

/** The plan after one pass of the rule (it is a run-once rule: its conjuncts are implied). */
const derived = (df: DataFrame): string =>
  formatPlan(runBatches(df.plan, [{ name: "t", strategy: "once", rules: [deriveJoinFilters] }]));

import { ITEMS, joined, ORDERS } from "./tables.js";

// (l_qty = 1 AND o_date == 10) OR (l_qty = 3 AND o_date == 20): each branch says something about
// each side, so each side gets the OR of what its branches say about it.
const branches = col("l_qty")
  .eq(1)
  .and(col("o_date").eq(10))
  .or(col("l_qty").eq(3).and(col("o_date").eq(20)));

describe("deriveJoinFilters", () => {
  it("adds what an OR over an inner join implies about each side; pushdown takes it there", async () => {
    const q = joined("inner").filter(branches);
    expect(lines(derived(q))).toEqual([
      "Filter: (((((col(l_qty) == 1) AND (col(o_date) == 10)) OR ((col(l_qty) == 3) AND (col(o_date) == 20))) AND ((col(l_qty) == 1) OR (col(l_qty) == 3))) AND ((col(o_date) == 10) OR (col(o_date) == 20)))",
      "  Join: inner on l_key=o_key",
      `    ${ITEMS}`,
      `    ${ORDERS}`,
    ]);
    expect(lines(optimized(q))).toEqual([
      "Filter: (((col(l_qty) == 1) AND (col(o_date) == 10)) OR ((col(l_qty) == 3) AND (col(o_date) == 20)))",
      "  Join: inner on l_key=o_key",
      "    Filter: ((col(l_qty) == 1) OR (col(l_qty) == 3))",
      `      ${ITEMS}`,
      "    Filter: ((col(o_date) == 10) OR (col(o_date) == 20))",
      `      ${ORDERS}`,
    ]);
    // items (1,1), (2,3) match orders 1 (date 10) and 2 (date 20): both rows pass.
    await expectColumns(q.select("l_qty", "o_date"), { l_qty: [1, 3], o_date: [10, 20] });
  });

  it("a branch that says nothing about a side gives that side nothing", () => {
    const q = joined("inner").filter(col("l_qty").eq(1).or(col("o_date").eq(20)));
    expect(derived(q)).toBe(before(q));
  });

  it("a left join derives for its left side only (a right-side filter would null-extend rows)", async () => {
    const q = joined("left").filter(branches);
    const plan = lines(optimized(q));
    expect(plan).toContain("    Filter: ((col(l_qty) == 1) OR (col(l_qty) == 3))");
    expect(plan.some((l) => l.includes("Filter: ((col(o_date) == 10) OR"))).toBe(false);
    await expectColumns(q.select("l_qty", "o_date"), { l_qty: [1, 3], o_date: [10, 20] });
  });

  it("an outer join gets nothing", () => {
    const q = joined("outer").filter(branches);
    expect(derived(q)).toBe(before(q));
  });
});
