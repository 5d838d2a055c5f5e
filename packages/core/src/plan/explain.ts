import type { Operator } from "../exec/operator.js";
import { kindOf, type PlanNode, planInputs } from "./nodes.js";

/** One line per plan node: `Kind: detail`. */
export function describeNode(node: PlanNode): string {
  return kindOf(node).explain(node);
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
