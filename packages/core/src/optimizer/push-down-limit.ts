import { refresh } from "../plan/build.js";
import { type PlanNode, planInputs, withInputs } from "../plan/nodes.js";

/**
 * Moves limits below row-wise projections (built-in and UDF: they keep the row count, so a
 * UDF is only called for the rows that survive), merges adjacent limits, turns sort + limit
 * into a top-N sort and tells scans how many rows are needed.
 */
export function pushDownLimit(plan: PlanNode): PlanNode {
  const inputs = planInputs(plan);
  const node = inputs.length ? withInputs(plan, inputs.map(pushDownLimit)) : plan;
  if (node.kind !== "limit") return node;
  return pushInto(node.n + node.offset, node);
}

function pushInto(rows: number, limit: Extract<PlanNode, { kind: "limit" }>): PlanNode {
  const below = push(rows, limit.input);
  return { ...limit, input: below };
}

function push(rows: number, node: PlanNode): PlanNode {
  switch (node.kind) {
    case "project":
    case "udfProject":
    case "intoBatches":
      return refresh({ ...node, input: push(rows, node.input) });
    case "limit":
      return {
        ...node,
        n: Math.min(node.n, Math.max(0, rows - node.offset)),
        input: push(Math.min(rows, node.n + node.offset), node.input),
      };
    case "sort":
      return { ...node, limit: Math.min(node.limit ?? rows, rows) };
    case "source":
      return {
        ...node,
        pushed: { ...node.pushed, limit: Math.min(node.pushed.limit ?? rows, rows) },
      };
    default:
      return { kind: "limit", input: node, n: rows, offset: 0, schema: node.schema };
  }
}
