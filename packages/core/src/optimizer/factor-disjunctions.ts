import type { ExprNode } from "../expr/ast.js";
import { exprId } from "../kernels/expr-id.js";
import { filterNode } from "../plan/build.js";
import type { Rule } from "./driver.js";
import { andAll, conjuncts, disjuncts } from "./predicates.js";

const or = (a: ExprNode, b: ExprNode): ExprNode => ({
  kind: "binary",
  op: "or",
  left: a,
  right: b,
});

/**
 * A disjunction with the conjuncts every branch shares taken out in front:
 * `(a AND b) OR (a AND c)` is `a AND (b OR c)` (AND distributes over OR in SQL's three-valued
 * logic too), and when some branch is nothing but shared conjuncts the OR is those alone.
 * Undefined when no conjunct is shared.
 */
export function factorDisjunction(e: ExprNode): ExprNode | undefined {
  const branches = disjuncts(e).map(conjuncts);
  if (branches.length < 2) return undefined;
  const ids = branches.map((b) => new Set(b.map(exprId)));
  const common = branches[0]!.filter((c, i, all) => {
    const id = exprId(c);
    return all.findIndex((d) => exprId(d) === id) === i && ids.every((s) => s.has(id));
  });
  if (common.length === 0) return undefined;
  const shared = new Set(common.map(exprId));
  const rests = branches.map((b) => andAll(b.filter((c) => !shared.has(exprId(c)))));
  const front = andAll(common)!;
  if (rests.some((r) => r === undefined)) return front;
  return andAll([front, (rests as ExprNode[]).reduce(or)]);
}

/**
 * Filters whose OR-ed conjuncts repeat a test in every branch (TPC-H Q19's shipmode and
 * shipinstruct conditions, three times each) test it once: the shared conjuncts move out of
 * the OR, where they are evaluated once per row and can be pushed down on their own. A
 * conjunct that appears twice (one pushed from above beside one derived here) is kept once.
 */
export const factorDisjunctions: Rule = {
  name: "factorDisjunctions",
  apply(node) {
    if (node.kind !== "filter") return undefined;
    const before = conjuncts(node.predicate);
    const seen = new Set<number>();
    const parts: ExprNode[] = [];
    for (const c of before) {
      const f = c.kind === "binary" && c.op === "or" ? factorDisjunction(c) : undefined;
      for (const p of f ? conjuncts(f) : [c]) {
        const id = exprId(p);
        if (seen.has(id)) continue;
        seen.add(id);
        parts.push(p);
      }
    }
    const same = parts.length === before.length && parts.every((p, i) => p === before[i]);
    return same ? undefined : filterNode(node.input, andAll(parts)!);
  },
};
