import { type DataType, Type } from "apache-arrow";
import type { DataFrame } from "../dataframe.js";
import { col, type Expr, lit } from "../expr/expr.js";
import { isNumeric, shapeName, typeName } from "../types/dtype.js";
import { numericSupertype, PlanError } from "../types/typing.js";

/** Options of `df.unionByName(other, opts)`. */
export interface UnionByNameOptions {
  /**
   * A column that only one side has is filled with nulls on the other (default false: both
   * sides must have the same columns).
   */
  allowMissing?: boolean;
}

/** The type a column has in the union: the same type, or the numeric supertype of both. */
function unionType(name: string, a: DataType, b: DataType): DataType {
  if (shapeName(a) === shapeName(b) || b.typeId === Type.Null) return a;
  if (a.typeId === Type.Null) return b;
  if (isNumeric(a) && isNumeric(b)) return numericSupertype(a, b);
  throw new PlanError(
    `unionByName(): column "${name}" is ${typeName(a)} on the left but ${typeName(b)} on the right; cast one of them.`,
  );
}

/**
 * SQL's UNION ALL BY NAME (Polars' diagonal concat): the rows of `left`, then those of
 * `right`, columns matched by name (the left's columns in its order, then the right's others).
 * Numeric columns of different types meet in their supertype, a null-typed column takes the
 * other side's type. Duplicates are kept.
 */
export function unionByName(
  left: DataFrame,
  right: DataFrame,
  opts: UnionByNameOptions = {},
): DataFrame {
  const lnames = left.columns;
  const rnames = right.columns;
  const onlyLeft = lnames.filter((n) => !rnames.includes(n));
  const onlyRight = rnames.filter((n) => !lnames.includes(n));
  if (!opts.allowMissing && (onlyLeft.length || onlyRight.length)) {
    const [what, which] = onlyLeft.length
      ? [onlyLeft, "the right side lacks"]
      : [onlyRight, "the left side lacks"];
    throw new PlanError(
      `unionByName(): ${which} ${what.map((n) => `"${n}"`).join(", ")}. Pass { allowMissing: true } to fill missing columns with nulls.`,
    );
  }
  const types = new Map<string, DataType>();
  for (const f of left.schema.fields) types.set(f.name, f.type);
  for (const f of right.schema.fields) {
    const t = types.get(f.name);
    types.set(f.name, t ? unionType(f.name, t, f.type) : f.type);
  }
  const names = [...lnames, ...onlyRight];
  const side = (df: DataFrame): DataFrame => {
    const have = new Map(df.schema.fields.map((f) => [f.name, f.type]));
    const exprs: Expr[] = names.map((n) => {
      const want = types.get(n)!;
      const t = have.get(n);
      if (!t) return lit(null).cast(want).alias(n);
      return shapeName(t) === shapeName(want) ? col(n) : col(n).cast(want).alias(n);
    });
    return df.select(...exprs);
  };
  return side(left).concat(side(right));
}
