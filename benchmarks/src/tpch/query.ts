// What one TPC-H query is to the benchmark: the deft DataFrame plan over the eight tables, the
// standard SQL text (validation substitution parameters) that DuckDB answers on the same files,
// and whether its ORDER BY fixes the row order (then rows are compared in order).
import { type DataFrame, type Expr, lit, when } from "@deft/core";
import type pl from "nodejs-polars";
import type { TableName } from "./generate.js";
import type { PolarsTables } from "./polars.js";

export type Tables = Record<TableName, DataFrame>;

export interface TpchQuery {
  /** "q01" … "q22". */
  name: string;
  deft: (t: Tables, sf: number) => DataFrame;
  sql: (sf: number) => string;
  /** The same query in polars' lazy API. */
  polars?: (t: PolarsTables, sf: number) => pl.LazyDataFrame;
  /** True when ORDER BY orders every output row (compared in order); else compared as sets. */
  ordered: boolean;
}

/** A date literal, e.g. `date("1994-01-01")`. */
export const date = (iso: string): Expr => lit(new Date(`${iso}T00:00:00Z`), "date");

/** `l_extendedprice * (1 - l_discount)`, the revenue of a line in most queries. */
export const discounted = (price: Expr, discount: Expr): Expr => price.mul(lit(1).sub(discount));

/**
 * makeshift: there is no date-part function (SQL `extract(year FROM d)`); a when-chain over the
 * years TPC-H dates span (1992-1998) stands in. Replace with the built-in once one exists.
 */
export function yearOf(d: Expr): Expr {
  let chain = when(d.lt(date("1993-01-01"))).then(lit(1992, "int32"));
  for (let y = 1993; y <= 1998; y++)
    chain = chain.when(d.lt(date(`${y + 1}-01-01`))).then(lit(y, "int32"));
  return chain.otherwise(lit(null, "int32"));
}

/**
 * makeshift: there is no cross join (nor scalar subquery); both sides get a constant key and
 * join on it, so each row of `left` meets the one row of `right`.
 */
export function crossJoin(left: DataFrame, right: DataFrame): DataFrame {
  const one = lit(1, "int32");
  return left
    .withColumn("__one", one)
    .join(right.withColumn("__one", one), { on: "__one" })
    .exclude("__one");
}
