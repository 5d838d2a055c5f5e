import { children, type ExprNode, transform } from "../expr/ast.js";
import { projectNode } from "../plan/build.js";
import { type PlanNode, transformPlan } from "../plan/nodes.js";

/**
 * Fuses a projection into the projection below it by substituting expressions, so one
 * compiled loop computes both. An inner expression used more than once is only inlined when
 * it is a plain column or literal (inlining would otherwise compute it twice).
 */
export function fuseProjections(plan: PlanNode): PlanNode {
  return transformPlan(plan, (node) => {
    if (node.kind !== "project" || node.input.kind !== "project") return node;
    const inner = node.input;
    const byName = new Map(inner.exprs.map((e) => [e.name, e.expr]));
    const uses = new Map<string, number>();
    const count = (e: ExprNode) => {
      if (e.kind === "col") uses.set(e.name, (uses.get(e.name) ?? 0) + 1);
      for (const k of children(e)) count(k);
    };
    for (const e of node.exprs) count(e.expr);
    for (const [name, n] of uses) {
      const expr = byName.get(name);
      if (n > 1 && expr && expr.kind !== "col" && expr.kind !== "lit") return node;
    }
    const exprs = node.exprs.map((e) => ({
      name: e.name,
      expr: transform(e.expr, (n) => (n.kind === "col" ? (byName.get(n.name) ?? n) : n)),
    }));
    return projectNode(inner.input, exprs);
  });
}
