import { formatExpr } from "../expr/expr.js";
import type { PlanNode } from "./nodes.js";

/** The one-line description of a scan with what was pushed into it. */
export function describeScan(node: Extract<PlanNode, { kind: "source" }>): string {
  const parts = [node.source.describe()];
  const p = node.pushed;
  if (p.columns) parts.push(`columns=[${p.columns.join(", ")}]`);
  if (p.filter && node.source.usesFilter) parts.push(`filter=${formatExpr(p.filter)}`);
  if (p.limit !== undefined) parts.push(`limit=${p.limit}`);
  return parts.join(" ");
}
