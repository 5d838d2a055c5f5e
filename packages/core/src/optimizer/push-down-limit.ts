import { refresh } from "../plan/build.js";
import type { PlanNode } from "../plan/nodes.js";
import type { Rule } from "./driver.js";

type LimitNode = Extract<PlanNode, { kind: "limit" }>;

/**
 * Moves limits below row-wise projections (built-in and UDF: they keep the row count, so a
 * UDF is only called for the rows that survive) and row numbering (the first rows get the
 * same numbers either way), merges adjacent limits, turns sort + limit
 * into a top-N sort and tells scans how many rows are needed.
 */
export const pushDownLimit: Rule = {
  name: "pushDownLimit",
  apply(node) {
    if (node.kind !== "limit") return undefined;
    if (node.input.kind === "limit") return mergeLimits(node, node.input);
    const input = push(node.n + node.offset, node.input, false);
    return input ? { ...node, input } : undefined;
  },
};

/** `outer` over `inner` as one limit: offsets add up, and the outer sees what the inner left. */
function mergeLimits(outer: LimitNode, inner: LimitNode): LimitNode {
  return {
    ...outer,
    offset: inner.offset + outer.offset,
    n: Math.min(outer.n, Math.max(0, inner.n - outer.offset)),
    input: inner.input,
  };
}

/**
 * Tells `node` that its consumer needs only its first `rows` rows (undefined: nothing to
 * change). Below a projection a node that cannot take the hint gets a limit of its own
 * (`wrap`), so the projection computes no more rows than needed; directly under the limit it
 * is left as is.
 */
function push(rows: number, node: PlanNode, wrap: boolean): PlanNode | undefined {
  switch (node.kind) {
    case "project":
    case "udfProject":
    case "intoBatches":
    case "rowIndex": {
      const input = push(rows, node.input, true);
      return input ? refresh({ ...node, input }) : undefined;
    }
    case "limit":
      // This limit yields min(n, rows) rows after skipping `offset`; the rule, run on it in
      // turn, passes that on below it.
      return rows < node.n ? { ...node, n: rows } : undefined;
    case "sort":
      return node.limit === undefined || rows < node.limit ? { ...node, limit: rows } : undefined;
    case "source": {
      const limit = node.pushed.limit;
      if (limit !== undefined && limit <= rows) return undefined;
      return { ...node, pushed: { ...node.pushed, limit: rows } };
    }
    default:
      return wrap
        ? { kind: "limit", input: node, n: rows, offset: 0, schema: node.schema }
        : undefined;
  }
}
