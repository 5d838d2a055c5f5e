import { Expr, type ExprLike, toNode } from "./expr.js";

/** Options of `concatStr`. */
export interface ConcatStrOptions {
  /** Put between the pieces (default none). */
  separator?: string;
  /**
   * Leave null pieces out (and their separators) instead of making the row null; such a row
   * is never null (DuckDB's concat_ws). Default false: any null piece gives null (Polars).
   */
  ignoreNulls?: boolean;
}

const isOptions = (x: unknown): x is ConcatStrOptions =>
  typeof x === "object" &&
  x !== null &&
  !(x instanceof Expr) &&
  !(x instanceof Date) &&
  !(x instanceof Uint8Array);

/**
 * Joins expressions (or literals: a string is a literal, not a column name) row by row into
 * utf8, with an optional separator: `concatStr(col("first"), col("last"), { separator: " " })`.
 * Non-string values are converted as `.cast("utf8")` converts them. A row with a null piece
 * is null unless `{ ignoreNulls: true }`.
 */
export function concatStr(...args: [...ExprLike[], ConcatStrOptions] | ExprLike[]): Expr {
  const last = args[args.length - 1];
  const opts: ConcatStrOptions = isOptions(last) ? last : {};
  const exprs = (isOptions(last) ? args.slice(0, -1) : args) as ExprLike[];
  const separator = opts.separator ?? "";
  if (typeof separator !== "string") {
    throw new TypeError(`concatStr(): the separator must be a string, got ${String(separator)}.`);
  }
  return new Expr({
    kind: "concatStr",
    args: exprs.map(toNode),
    separator,
    ignoreNulls: opts.ignoreNulls === true,
  });
}
