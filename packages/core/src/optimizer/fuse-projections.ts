import { children, type ExprNode } from "../expr/ast.js";
import { projectNode } from "../plan/build.js";
import type { Rule } from "./driver.js";
import { substitute } from "./predicates.js";

/**
 * Fuses a projection into the projection below it by substituting expressions, so one
 * compiled loop computes both. An inner expression used more than once is only inlined when
 * it is a plain column or literal (inlining would otherwise compute it twice).
 */
export const fuseProjections: Rule = {
  name: "fuseProjections",
  apply(node) {
    if (node.kind !== "project" || node.input.kind !== "project") return undefined;
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
      if (n > 1 && expr && expr.kind !== "col" && expr.kind !== "lit") return undefined;
    }
    const exprs = node.exprs.map((e) => ({
      name: e.name,
      expr: substitute(e.expr, (n) => byName.get(n)),
    }));
    return projectNode(inner.input, exprs);
  },
};
