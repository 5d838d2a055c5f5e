// polars over the same Parquet files: lazy scans (each query plans and reads anew, as the other
// engines do) and its answers in the comparable form.
import pl from "nodejs-polars";
import { type Answer, answerOfRecords } from "./answers.js";
import { TABLES, type TableName, type TpchFiles } from "./generate.js";

export type PolarsTables = Record<TableName, pl.LazyDataFrame>;

export function polarsTables(files: TpchFiles): PolarsTables {
  return Object.fromEntries(TABLES.map((t) => [t, pl.scanParquet(files[t])])) as PolarsTables;
}

/** A date literal of polars' Date type. */
export const pdate = (iso: string): pl.Expr => pl.lit(new Date(`${iso}T00:00:00Z`)).cast(pl.Date);

/** `l_extendedprice * (1 - l_discount)`. */
export const pdiscounted = (price: pl.Expr, discount: pl.Expr): pl.Expr =>
  price.mul(pl.lit(1).sub(discount));

export function answerOfPolars(df: pl.DataFrame): Answer {
  const dates = df.columns.map((c) => df.getColumn(c).dtype.equals(pl.Date));
  return answerOfRecords(df.columns, df.rows(), dates);
}
