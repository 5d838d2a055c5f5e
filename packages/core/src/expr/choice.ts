// Choices among values, row by row: the first non-null, the greatest, the least.
import type { ChoiceFn } from "./ast.js";
import { Expr, type ExprLike, toNode } from "./expr.js";

function choice(fn: ChoiceFn, args: readonly ExprLike[]): Expr {
  if (args.length === 0) {
    throw new TypeError(`${fn}() needs at least one expression, e.g. ${fn}(col("a"), col("b")).`);
  }
  return new Expr({ kind: "choice", fn, args: args.map(toNode) });
}

/**
 * The first non-null value of the arguments, row by row (null when all are null):
 * `coalesce(col("nick"), col("name"), "anonymous")`. A string is a literal, not a column
 * name. The arguments meet in their common type (as the branches of `when` do).
 */
export function coalesce(...exprs: ExprLike[]): Expr {
  return choice("coalesce", exprs);
}

/**
 * The greatest non-null value of the arguments, row by row; nulls are skipped (null only when
 * all are null) and NaN is greater than every number, as in DuckDB.
 */
export function greatest(...exprs: ExprLike[]): Expr {
  return choice("greatest", exprs);
}

/**
 * The least non-null value of the arguments, row by row; nulls are skipped (null only when
 * all are null) and NaN is greater than every number, as in DuckDB.
 */
export function least(...exprs: ExprLike[]): Expr {
  return choice("least", exprs);
}
