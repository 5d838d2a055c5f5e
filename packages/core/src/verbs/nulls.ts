import { type DataType, Type } from "apache-arrow";
import type { DataFrame } from "../dataframe.js";
import type { LitValue } from "../expr/ast.js";
import { col, Expr, type ExprLike, lit } from "../expr/expr.js";
import { isBool, isFloat, isInt, isString, isTemporal } from "../types/dtype.js";
import { fieldOf, PlanError } from "../types/typing.js";

/** `df.dropNulls(...columns)`: rows with no null in `columns` (every column when none given). */
export function dropNulls(df: DataFrame, columns: readonly string[]): DataFrame {
  for (const c of columns) fieldOf(df.schema, c, " in dropNulls()");
  const names = columns.length ? columns : df.columns;
  const keep = names
    .map((n) => col(n).isNotNull())
    .reduce<Expr | undefined>((a, b) => (a ? a.and(b) : b), undefined);
  return keep ? df.filter(keep) : df;
}

/**
 * Whether a single fill value applies to a column of type `t` (Polars' fill_null matching
 * the value's supertype): whole numbers fill integer and float columns, other numbers float
 * columns, bigints integer columns, strings string columns, booleans bool columns, Dates date
 * and timestamp columns, bytes binary columns. The column keeps its type.
 */
function fills(value: LitValue, t: DataType): boolean {
  switch (typeof value) {
    case "number":
      return isFloat(t) || (Number.isInteger(value) && isInt(t));
    case "bigint":
      return isInt(t);
    case "string":
      return isString(t);
    case "boolean":
      return isBool(t);
  }
  if (value instanceof Date) return isTemporal(t);
  if (value instanceof Uint8Array) return t.typeId === Type.Binary;
  return false;
}

/**
 * `df.fillNull(value)` fills the nulls of every column the value fits (see `fills`), keeping
 * the column types; `df.fillNull({ column: value })` fills the named columns with a value or
 * an expression (the result type is the column's and the fill's common type, as
 * `col(c).fillNull(e)`).
 */
export function fillNull(df: DataFrame, fill: LitValue | Record<string, ExprLike>): DataFrame {
  if (fill === null || fill === undefined)
    throw new PlanError(
      "fillNull() needs a value to fill with (or { column: value }); null would change nothing.",
    );
  if (fill instanceof Expr)
    throw new PlanError(
      "fillNull() takes a plain value for every column, or { column: valueOrExpr } for some; wrap the expression as { name: expr }.",
    );
  const isMapping =
    typeof fill === "object" && !(fill instanceof Date) && !(fill instanceof Uint8Array);
  if (isMapping) {
    const out: Record<string, Expr> = {};
    for (const [name, v] of Object.entries(fill as Record<string, ExprLike>)) {
      fieldOf(df.schema, name, " in fillNull()");
      out[name] = col(name).fillNull(v);
    }
    return Object.keys(out).length ? df.withColumns(out) : df;
  }
  const value = fill as LitValue;
  const out: Record<string, Expr> = {};
  for (const f of df.schema.fields) {
    if (fills(value, f.type)) out[f.name] = col(f.name).fillNull(lit(value).cast(f.type));
  }
  return Object.keys(out).length ? df.withColumns(out) : df;
}
