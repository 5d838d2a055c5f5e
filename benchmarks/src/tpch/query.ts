// What one TPC-H query is to the benchmark: the deft DataFrame plan over the eight tables, the
// standard SQL text (validation substitution parameters) that DuckDB answers on the same files,
// and whether its ORDER BY fixes the row order (then rows are compared in order).
import { type DataFrame, type Expr, lit } from "@deft/core";
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
