import type { Operator } from "../exec/operator.js";
import { formatExpr } from "../expr/expr.js";
import { describeScan } from "./explain-scan.js";
import { type PlanNode, planInputs } from "./nodes.js";

/** One line per plan node: `Kind: detail`. */
export function describeNode(node: PlanNode): string {
  switch (node.kind) {
    case "source":
      return `Source: ${describeScan(node)}`;
    case "project":
      return `Project: ${node.exprs
        .map((e) =>
          e.expr.kind === "col" && e.expr.name === e.name
            ? e.name
            : `${e.name}=${formatExpr(e.expr)}`,
        )
        .join(", ")}`;
    case "udfProject":
      return `UdfProject: ${node.name}=${formatExpr(node.udf)}`;
    case "filter":
      return `Filter: ${formatExpr(node.predicate)}`;
    case "limit":
      return `Limit: ${node.n}${node.offset ? ` offset ${node.offset}` : ""}`;
    case "intoBatches":
      return `IntoBatches: ${node.rows}`;
    case "sort":
      return `Sort: ${node.keys
        .map(
          (k) =>
            `${formatExpr(k.expr)} ${k.descending ? "desc" : "asc"}${k.nullsFirst ? " nulls first" : ""}`,
        )
        .join(", ")}${node.limit !== undefined ? ` (top ${node.limit})` : ""}`;
    case "aggregate":
      return `Aggregate: keys=[${node.keys.map((k) => formatExpr(k.expr)).join(", ")}] aggs=[${node.aggs
        .map((a) => `${a.name}=${formatExpr(a.agg)}`)
        .join(", ")}]`;
    case "join":
      return `Join: ${node.how} on ${node.leftOn.map((l, i) => (l === node.rightOn[i] ? l : `${l}=${node.rightOn[i]}`)).join(", ")}`;
    case "explode":
      return `Explode: ${node.column}`;
    case "distinct":
      return `Distinct: ${node.columns.join(", ")}`;
    case "concat":
      return `Concat: ${node.inputs.length} inputs`;
  }
}

/** The plan as an indented tree, root first. */
export function formatPlan(node: PlanNode, depth = 0): string {
  const line = `${"  ".repeat(depth)}${describeNode(node)}`;
  return [line, ...planInputs(node).map((i) => formatPlan(i, depth + 1))].join("\n");
}

export function formatOperators(op: Operator, depth = 0): string {
  const detail = op.describe();
  const line = `${"  ".repeat(depth)}${op.name}${detail ? `: ${detail}` : ""}`;
  return [line, ...op.children.map((c) => formatOperators(c, depth + 1))].join("\n");
}
