import type { ExprNode, ListFn, LitValue } from "./ast.js";
import { Expr } from "./expr.js";

/**
 * `.list` on an expression. Calling it, `col("x").list()`, is the aggregation that gathers a
 * group's values into a list; its methods (`.list.length()` …) are the list functions, null in,
 * null out. One name serves both so that `col("x").list()` reads like the other aggregations.
 */
export interface ListOps {
  (): Expr;
  /** Number of elements. */
  length(): Expr;
  /** The element at `index` (negative counts from the end); null when out of range. */
  get(index: number): Expr;
  /** Joins a `list<utf8>` with a separator into utf8. */
  join(separator: string): Expr;
}

export function listOps(node: ExprNode): ListOps {
  const fn = (name: ListFn, ...args: LitValue[]) =>
    new Expr({ kind: "list", fn: name, arg: node, args });
  const ops = () => new Expr({ kind: "agg", fn: "list", arg: node });
  // A function's own `length` is configurable, so it can be replaced by the method.
  Object.defineProperty(ops, "length", { value: () => fn("length") });
  Object.defineProperty(ops, "get", { value: (index: number) => fn("get", index) });
  Object.defineProperty(ops, "join", { value: (separator: string) => fn("join", separator) });
  return ops as unknown as ListOps;
}
