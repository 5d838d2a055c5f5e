// The typing rules in one place: result types of expressions and aggregations, which types
// can be keys, and where an aggregation may appear. The plan checks calls with them and the
// kernels are built from the types they decide.
import type { DataType, Schema } from "apache-arrow";
import { children, type ExprNode } from "../expr/ast.js";
import { formatExpr } from "../expr/expr.js";
import { PlanError, planErrorIn } from "./plan-error.js";
import { resolveType } from "./typing-expr.js";
import { firstAggOutsideWindows, firstWindow } from "./typing-window.js";

export { fieldOf, PlanError, planErrorIn, unknownColumn } from "./plan-error.js";
export { aggResultType } from "./typing-agg.js";
export { resolveType } from "./typing-expr.js";
export { isKeyType, type KeyKind, keyKindOf, requireKeyType } from "./typing-keys.js";
export { commonType, isWeakNumber, literalType, numericSupertype } from "./typing-supertype.js";
export { firstWindow, isWindow } from "./typing-window.js";

/**
 * Where an expression is used. "row": one value per input row (sort keys, group keys, join
 * keys); neither an aggregation nor a window may appear in it. "window": one value per row
 * that may read windows (withColumn, filter, a select without aggregations): an aggregation
 * only under .over() (plan/window-exprs.ts computes the windows in Window nodes below).
 * "aggregate": the outputs of groupBy().agg() or of a global select(): expressions over
 * aggregations of row expressions (plan/agg-exprs.ts splits them into the aggregations and a
 * projection above); no window.
 */
export type Placement = "row" | "window" | "aggregate";

/** The first aggregation inside an expression (outermost first), if any. */
function firstAgg(node: ExprNode): ExprNode | null {
  if (node.kind === "agg") return node;
  for (const k of children(node)) {
    const found = firstAgg(k);
    if (found) return found;
  }
  return null;
}

/**
 * Resolves an expression used at `where` (e.g. `withColumn("s")`), or throws a PlanError
 * that starts with `where` and says how to fix the call.
 */
export function typeAt(node: ExprNode, schema: Schema, where: string, at: Placement): DataType {
  const type = planErrorIn(where, () => resolveType(node, schema));
  const win = at === "window" ? null : firstWindow(node);
  if (win) {
    const shown = formatExpr(win);
    throw new PlanError(
      at === "row"
        ? `${where}: ${shown} is a window expression; compute it with df.withColumn("name", ${shown}) first, then use that column here.`
        : `${where}: ${shown} is a window expression (one value per row), but ${where} aggregates groups into one row each. Compute it with withColumn before aggregating, or aggregate over the window instead.`,
    );
  }
  if (at !== "aggregate") {
    const agg = at === "window" ? firstAggOutsideWindows(node) : firstAgg(node);
    if (agg) {
      const shown = formatExpr(agg);
      throw new PlanError(
        `${where}: ${shown} is an aggregation (one value per group), but ${where} computes one value per row. Aggregate with df.groupBy(...).agg(${shown}), or over the whole table with df.select(${shown}); per row over a window it is ${shown}.over({ partitionBy: ... }).`,
      );
    }
  }
  return type;
}

/**
 * Checks one output of an aggregation: an aggregation function at the root (under aliases)
 * whose argument is a row expression. Returns the result type.
 */
export function aggregateOutputType(agg: ExprNode, schema: Schema, where: string): DataType {
  if (agg.kind !== "agg") {
    throw new PlanError(
      `${where}: ${formatExpr(agg)} is not an aggregation. Use col("x").sum(), .mean(), .min(), .max(), .count(), .countDistinct(), .first(), .last(), .list(), .std(), .var(), .median(), .quantile(q), .product(), .any(), .all(), .stringAgg(sep), .mode() or count().`,
    );
  }
  if (agg.arg && firstAgg(agg.arg)) {
    throw new PlanError(
      `${where}: ${formatExpr(agg)} nests an aggregation inside another; compute the inner one in a separate step.`,
    );
  }
  return typeAt(agg, schema, where, "aggregate");
}
