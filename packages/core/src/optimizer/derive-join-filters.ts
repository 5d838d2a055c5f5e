import type { ExprNode } from "../expr/ast.js";
import { filterNode } from "../plan/build.js";
import type { Rule } from "./driver.js";
import { joinColumns } from "./join-columns.js";
import { and, andAll, conjuncts, disjuncts, readsOnly } from "./predicates.js";

/**
 * What a disjunction implies about the columns in `names` alone: when every branch has
 * conjuncts reading only those columns, a row passing the disjunction passes one branch, so
 * it passes that branch's conjuncts on `names`, and so the OR of those. Undefined when some
 * branch says nothing about `names`.
 */
function impliedOn(disjunction: ExprNode, names: ReadonlySet<string>): ExprNode | undefined {
  const parts: ExprNode[] = [];
  for (const branch of disjuncts(disjunction)) {
    const own = andAll(conjuncts(branch).filter((c) => readsOnly(c, names)));
    if (!own) return undefined;
    parts.push(own);
  }
  return parts.reduce((a, b) => ({ kind: "binary", op: "or", left: a, right: b }));
}

/**
 * Adds to a filter over a join what its OR-ed conjuncts imply about each side alone, so
 * filter pushdown can take that part into the side (and into its scan), while the filter
 * itself stays above the join. TPC-H Q19's
 * `(brand = 12 AND qty <= 11 AND …) OR (brand = 23 AND qty <= 20 AND …) OR …` over
 * lineitem ⋈ part gives `qty <= 11 OR qty <= 20 OR …` (and the shipmode conjuncts every
 * branch shares) on lineitem and `brand = 12 OR brand = 23 OR …` on part. Only the sides
 * the join kind lets a filter enter (see pushFilterIntoJoin) get one. Run once, before
 * filter pushdown: the added conjuncts are implied, so adding them again would change
 * nothing but the plan's size.
 */
export const deriveJoinFilters: Rule = {
  name: "deriveJoinFilters",
  apply(node) {
    if (node.kind !== "filter" || node.input.kind !== "join") return undefined;
    const join = node.input;
    const ors = conjuncts(node.predicate).filter((c) => c.kind === "binary" && c.op === "or");
    if (ors.length === 0) return undefined;
    const cols = joinColumns(join);
    const sides: ReadonlySet<string>[] = [];
    if (join.how !== "outer" && join.how !== "right") sides.push(new Set(cols.left));
    if (join.how === "inner" || join.how === "cross" || join.how === "right")
      sides.push(new Set([...cols.right.map((c) => c.out), ...join.leftOn]));
    const implied: ExprNode[] = [];
    for (const or of ors)
      for (const names of sides) {
        const d = impliedOn(or, names);
        if (d) implied.push(d);
      }
    if (implied.length === 0) return undefined;
    return filterNode(join, implied.reduce(and, node.predicate));
  },
};
