import { refresh } from "../plan/build.js";
import { type PlanNode, planInputs, withInputs } from "../plan/nodes.js";

type LimitNode = Extract<PlanNode, { kind: "limit" }>;

/**
 * Moves limits below row-wise projections (built-in and UDF: they keep the row count, so a
 * UDF is only called for the rows that survive), merges adjacent limits, turns sort + limit
 * into a top-N sort and tells scans how many rows are needed.
 */
export function pushDownLimit(plan: PlanNode): PlanNode {
  const inputs = planInputs(plan);
  const node = inputs.length ? withInputs(plan, inputs.map(pushDownLimit)) : plan;
  if (node.kind !== "limit") return node;
  const merged = node.input.kind === "limit" ? mergeLimits(node, node.input) : node;
  return { ...merged, input: push(merged.n + merged.offset, merged.input, false) };
}

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
 * Tells `node` that its consumer needs only its first `rows` rows. Below a projection a node
 * that cannot take the hint gets a limit of its own (`wrap`), so the projection computes no
 * more rows than needed; directly under the limit it is left as is.
 */
function push(rows: number, node: PlanNode, wrap: boolean): PlanNode {
  switch (node.kind) {
    case "project":
    case "udfProject":
    case "intoBatches":
      return refresh({ ...node, input: push(rows, node.input, true) });
    case "limit": {
      // This limit yields min(n, rows) rows after skipping `offset`, so its input needs both.
      const n = Math.min(node.n, rows);
      return { ...node, n, input: push(node.offset + n, node.input, false) };
    }
    case "sort":
      return { ...node, limit: Math.min(node.limit ?? rows, rows) };
    case "source":
      return {
        ...node,
        pushed: { ...node.pushed, limit: Math.min(node.pushed.limit ?? rows, rows) },
      };
    default:
      return wrap ? { kind: "limit", input: node, n: rows, offset: 0, schema: node.schema } : node;
  }
}
