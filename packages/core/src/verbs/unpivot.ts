import type { DataType } from "apache-arrow";
import type { DataFrame } from "../dataframe.js";
import { col, lit } from "../expr/expr.js";
import { isNumeric, shapeName, typeName } from "../types/dtype.js";
import { fieldOf, numericSupertype, PlanError } from "../types/typing.js";

/** Options of `df.unpivot(opts)`. */
export interface UnpivotOptions {
  /** Columns kept as they are, repeated on every output row (default none). */
  index?: string | readonly string[];
  /** Columns turned into rows (default: every column not in `index`). */
  on?: string | readonly string[];
  /** Name of the output column holding the unpivoted column's name (default "variable"). */
  variable?: string;
  /** Name of the output column holding its value (default "value"). */
  value?: string;
}

const asList = (v: string | readonly string[] | undefined): string[] =>
  v === undefined ? [] : typeof v === "string" ? [v] : [...v];

/**
 * Wide to long (Polars' unpivot, SQL UNPIVOT ... INCLUDE NULLS): for each `on` column in
 * turn, every input row as `index…, variable = the column's name, value = its value`. The
 * values share one type: the columns' type, or their numeric supertype. Column-major order,
 * as Polars: all rows for the first `on` column, then the second, …. Built as a concat of one
 * projection per `on` column, so the input is read once per `on` column (each read takes
 * only the index columns and that column).
 */
export function unpivot(df: DataFrame, opts: UnpivotOptions): DataFrame {
  const index = asList(opts.index);
  for (const n of index) fieldOf(df.schema, n, " in unpivot() index");
  const on = opts.on === undefined ? df.columns.filter((n) => !index.includes(n)) : asList(opts.on);
  if (on.length === 0)
    throw new PlanError("unpivot(): there is no column to unpivot; name them with `on`.");
  const variable = opts.variable ?? "variable";
  const value = opts.value ?? "value";
  for (const name of [variable, value]) {
    if (index.includes(name))
      throw new PlanError(
        `unpivot(): the output column "${name}" clashes with an index column; pass another { variable } or { value } name.`,
      );
  }
  if (variable === value)
    throw new PlanError(`unpivot(): variable and value are both named "${value}".`);
  let type: DataType | undefined;
  for (const n of on) {
    const f = fieldOf(df.schema, n, " in unpivot() on");
    if (index.includes(n))
      throw new PlanError(`unpivot(): "${n}" is both an index column and an on column.`);
    if (!type || shapeName(type) === shapeName(f.type)) type = type ?? f.type;
    else if (isNumeric(type) && isNumeric(f.type)) type = numericSupertype(type, f.type);
    else {
      throw new PlanError(
        `unpivot(): the on columns need one type, but "${n}" is ${typeName(f.type)} where an earlier one is ${typeName(type)}; cast them first.`,
      );
    }
  }
  const valueType = type!;
  const parts = on.map((n) =>
    df.select(
      ...index,
      lit(n).alias(variable),
      (shapeName(fieldOf(df.schema, n).type) === shapeName(valueType)
        ? col(n)
        : col(n).cast(valueType)
      ).alias(value),
    ),
  );
  return parts[0]!.concat(...parts.slice(1));
}
