import type { DataFrame } from "./dataframe.js";
import type { Expr } from "./expr/expr.js";
import { aggregateExprsPlan } from "./plan/agg-exprs.js";
import type { KeyInput } from "./plan/relational.js";

/**
 * `df.groupBy(...keys)`: holds the keys until `.agg(...)` says what to compute per group.
 * Keys are column names or expressions; groups come out in first-seen order.
 */
export class GroupBy {
  constructor(
    private readonly df: DataFrame,
    private readonly keys: readonly KeyInput[],
  ) {}

  /**
   * One row per group: the keys, then one column per aggregation, e.g.
   * `df.groupBy("k").agg(col("v").sum().alias("total"), count())`. An output may be any
   * expression over aggregations, the keys and literals: `col("v").sum().div(count())`.
   */
  agg(...aggs: Expr[]): DataFrame {
    return this.df.next(aggregateExprsPlan(this.df.plan, this.keys, aggs, "agg"));
  }
}
