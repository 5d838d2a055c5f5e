import type { DataFrame } from "./dataframe.js";
import type { Expr } from "./expr/expr.js";
import { aggregatePlan, type KeyInput } from "./plan/relational.js";

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
   * `df.groupBy("k").agg(col("v").sum().alias("total"), count())`.
   */
  agg(...aggs: Expr[]): DataFrame {
    return this.df.next(aggregatePlan(this.df.plan, this.keys, aggs));
  }
}
