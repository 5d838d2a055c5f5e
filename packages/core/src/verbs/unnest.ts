import { type Struct, Type } from "apache-arrow";
import type { DataFrame } from "../dataframe.js";
import { col, type Expr } from "../expr/expr.js";
import { typeName } from "../types/dtype.js";
import { fieldOf, PlanError } from "../types/typing.js";

/**
 * `df.unnest(...columns)`: each struct column replaced, where it stands, by its fields as
 * columns (Polars' `unnest`). A field named like another column is an error naming both.
 */
export function unnest(df: DataFrame, columns: readonly string[]): DataFrame {
  if (columns.length === 0) throw new PlanError("unnest() needs the struct column(s) to spread.");
  const spread = new Set(columns);
  for (const c of columns) {
    const t = fieldOf(df.schema, c, " in unnest()").type;
    if (t.typeId !== Type.Struct) {
      throw new PlanError(
        `unnest("${c}"): column "${c}" is ${typeName(t)}, not a struct; unnest spreads struct columns (a multi-output UDF's result, a nested column).`,
      );
    }
  }
  const out: Expr[] = [];
  const seen = new Map<string, string>();
  const add = (e: Expr, name: string, from: string) => {
    const before = seen.get(name);
    if (before !== undefined) {
      throw new PlanError(
        `unnest(): ${from} and ${before} would both be a column "${name}"; rename one first with rename({ from: "to" }).`,
      );
    }
    seen.set(name, from);
    out.push(e);
  };
  for (const f of df.schema.fields) {
    if (!spread.has(f.name)) {
      add(col(f.name), f.name, `column "${f.name}"`);
      continue;
    }
    for (const field of (f.type as Struct).children) {
      add(col(f.name).struct.field(field.name), field.name, `field "${field.name}" of "${f.name}"`);
    }
  }
  return df.select(...out);
}
