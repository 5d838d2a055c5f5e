import { col, DataFrame } from "@deft/core";
import { formatPlan, type PlanNode, type Rule, runBatches } from "@deft/core/internal";
import { describe, expect, it } from "vitest";
import { lines } from "./helpers.js";

const limit = (input: PlanNode, n: number): PlanNode => ({
  kind: "limit",
  input,
  n,
  offset: 0,
  schema: input.schema,
});

// Lowers every limit above 2 by one per rewrite: it needs many rewrites of one node.
const countDown: Rule = {
  name: "countDown",
  apply: (node) => (node.kind === "limit" && node.n > 2 ? { ...node, n: node.n - 1 } : undefined),
};

describe("the rule driver", () => {
  it("rewrites every node, inputs first, until no rule applies", () => {
    const plan = limit(limit(DataFrame.range(10).plan, 9), 7);
    const out = runBatches(plan, [{ name: "t", strategy: "fixpoint", rules: [countDown] }]);
    expect(lines(formatPlan(out))).toEqual(["Limit: 2", "  Limit: 2", "    Source: range(0, 10)"]);
  });

  it("a `once` batch tries each rule once per node", () => {
    const plan = limit(limit(DataFrame.range(10).plan, 9), 7);
    const out = runBatches(plan, [{ name: "t", strategy: "once", rules: [countDown] }]);
    expect(lines(formatPlan(out))).toEqual(["Limit: 6", "  Limit: 8", "    Source: range(0, 10)"]);
  });

  it("rewrites made below a node are settled too (a rule that moves a node down)", () => {
    const swap: Rule = {
      name: "filterBelowLimit",
      apply: (node) =>
        node.kind === "filter" && node.input.kind === "limit"
          ? { ...node.input, input: { ...node, input: node.input.input } }
          : undefined,
    };
    const df = DataFrame.range(10);
    const plan: PlanNode = {
      kind: "filter",
      predicate: col("id").gt(1).node,
      input: limit(limit(df.plan, 5), 4),
      schema: df.plan.schema,
    };
    const out = runBatches(plan, [{ name: "t", strategy: "fixpoint", rules: [swap] }]);
    expect(lines(formatPlan(out))).toEqual([
      "Limit: 4",
      "  Limit: 5",
      "    Filter: (col(id) > 1)",
      "      Source: range(0, 10)",
    ]);
  });

  it("rules that undo each other fail with an internal error naming them", () => {
    const up: Rule = {
      name: "up",
      apply: (n) => (n.kind === "limit" && n.n === 1 ? { ...n, n: 2 } : undefined),
    };
    const down: Rule = {
      name: "down",
      apply: (n) => (n.kind === "limit" && n.n === 2 ? { ...n, n: 1 } : undefined),
    };
    const plan = limit(DataFrame.range(3).plan, 1);
    expect(() =>
      runBatches(plan, [{ name: "seesaw", strategy: "fixpoint", rules: [up, down] }]),
    ).toThrow(
      /internal: optimizer batch "seesaw" did not settle .* rules "down" and "up" keep rewriting/,
    );
  });
});
