import type { DataFrame } from "../dataframe.js";
import { col, lit } from "../expr/expr.js";
import { shapeName, typeName } from "../types/dtype.js";
import { PlanError, requireKeyType } from "../types/typing.js";

/** A column name not among `taken`, starting from `base`. */
export function freshName(base: string, taken: readonly string[]): string {
  let name = base;
  for (let i = 1; taken.includes(name); i++) name = `${base}_${i}`;
  return name;
}

/**
 * Both sides of a set operation must have the same columns (by name, in any order) with the
 * same types, and every column must be usable as a key (rows are compared whole).
 */
function checkSides(left: DataFrame, right: DataFrame, verb: string): void {
  const lnames = left.columns;
  const rnames = right.columns;
  const missing = lnames.filter((n) => !rnames.includes(n));
  const extra = rnames.filter((n) => !lnames.includes(n));
  if (missing.length || extra.length) {
    const list = (ns: string[]) => ns.map((n) => `"${n}"`).join(", ");
    throw new PlanError(
      `${verb}: both DataFrames need the same columns; ${[
        missing.length ? `the other lacks ${list(missing)}` : "",
        extra.length ? `the other has extra ${list(extra)}` : "",
      ]
        .filter(Boolean)
        .join(" and ")}. Select the same columns on both sides first.`,
    );
  }
  if (lnames.length === 0)
    throw new PlanError(`${verb}: the DataFrames have no columns to compare.`);
  for (const f of left.schema.fields) {
    const g = right.schema.fields.find((x) => x.name === f.name)!;
    if (shapeName(f.type) !== shapeName(g.type)) {
      throw new PlanError(
        `${verb}: column "${f.name}" is ${typeName(f.type)} on the left but ${typeName(g.type)} on the right; cast one of them.`,
      );
    }
    requireKeyType(f.type, { kind: "col", name: f.name }, verb);
  }
}

/**
 * `intersect` / `except` as SQL's INTERSECT / EXCEPT (set semantics): the distinct rows of
 * `left` that do (intersect) or do not (except) occur in `right`, rows compared whole with
 * null equal to null and NaN equal to NaN, in the order they first appear in `left`. Both
 * sides are tagged and concatenated, one group-by over every column tells which sides each
 * distinct row came from, and a filter keeps the wanted ones.
 */
export function setOperation(
  left: DataFrame,
  right: DataFrame,
  op: "intersect" | "except",
): DataFrame {
  checkSides(left, right, `${op}()`);
  const names = left.columns;
  const side = freshName("__side", names);
  const lo = freshName("__lo", [...names, side]);
  const hi = freshName("__hi", [...names, side, lo]);
  const tagged = left
    .withColumn(side, lit(0, "int8"))
    .concat(right.select(...names).withColumn(side, lit(1, "int8")));
  const sides = tagged.groupBy(...names).agg(col(side).min().alias(lo), col(side).max().alias(hi));
  const keep = op === "intersect" ? col(lo).eq(0).and(col(hi).eq(1)) : col(hi).eq(0);
  return sides.filter(keep).select(...names);
}
