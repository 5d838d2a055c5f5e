import { columnsOf, type ExprNode, some, transform } from "../expr/ast.js";
import { formatExpr } from "../expr/expr.js";

/** The AND-ed parts of a predicate, in order: `a AND (b AND c)` gives a, b, c. */
export function conjuncts(e: ExprNode): ExprNode[] {
  if (e.kind === "binary" && e.op === "and") return [...conjuncts(e.left), ...conjuncts(e.right)];
  return [e];
}

/** The OR-ed parts of a predicate: `a OR (b OR c)` gives a, b, c. */
export function disjuncts(e: ExprNode): ExprNode[] {
  if (e.kind === "binary" && e.op === "or") return [...disjuncts(e.left), ...disjuncts(e.right)];
  return [e];
}

export function and(a: ExprNode, b: ExprNode): ExprNode {
  return { kind: "binary", op: "and", left: a, right: b };
}

/** The conjuncts AND-ed back together, left to right (undefined for none). */
export function andAll(parts: readonly ExprNode[]): ExprNode | undefined {
  return parts.length ? parts.reduce(and) : undefined;
}

/** Whether every column `e` reads is in `names`. */
export function readsOnly(e: ExprNode, names: ReadonlySet<string>): boolean {
  for (const c of columnsOf(e)) if (!names.has(c)) return false;
  return true;
}

/** `e` with each column read replaced by `by(name)` (a column `by` does not know stays). */
export function substitute(e: ExprNode, by: (name: string) => ExprNode | undefined): ExprNode {
  return transform(e, (n) => (n.kind === "col" ? (by(n.name) ?? n) : n));
}

/** `e` with columns renamed through `names` (names it lacks stay). */
export function rename(e: ExprNode, names: ReadonlyMap<string, string>): ExprNode {
  return substitute(e, (n) => {
    const to = names.get(n);
    return to === undefined ? undefined : { kind: "col", name: to };
  });
}

export const callsUdf = (e: ExprNode): boolean => some(e, (n) => n.kind === "udf");

/** A key identifying a conjunct by its printed shape (to tell whether it was pushed already). */
export const conjunctKey = (e: ExprNode): string => formatExpr(e);
