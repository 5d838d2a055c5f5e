// Result types of window expressions and where they may appear (see docs/expressions.md,
// "Window functions"). A window is an aggregation or a window function under `.over(...)`;
// the cumulative functions (cumSum, cumCount, cumMin, cumMax) are windows on their own.
import { type DataType, Float64, Int64, type Schema, Type } from "apache-arrow";
import { children, type ExprNode, type OverNode, type WinFnNode } from "../expr/ast.js";
import { formatExpr } from "../expr/expr.js";
import { isFloat, isInt, typeName } from "./dtype.js";
import { PlanError } from "./plan-error.js";
import { aggResultType } from "./typing-agg.js";
import { resolveType } from "./typing-expr.js";
import { requireKeyType } from "./typing-keys.js";
import { commonType, literalType } from "./typing-supertype.js";

const CUMULATIVE = new Set(["cumSum", "cumCount", "cumMin", "cumMax"]);
const FRAMED = new Set(["firstValue", "lastValue", "nthValue"]);
/** The aggregations that have a sliding-frame kernel (kernels/window-agg.ts). */
const WINDOW_AGGS = new Set<string>([
  "sum",
  "mean",
  "min",
  "max",
  "count",
  "countRows",
  "countDistinct",
  "first",
  "last",
]);

/** True for a node that is a window by itself: an `over`, or a bare cumulative function. */
export const isWindow = (n: ExprNode): boolean =>
  n.kind === "over" || (n.kind === "winFn" && CUMULATIVE.has(n.fn));

/** The first window inside an expression (outermost first), if any. */
export function firstWindow(node: ExprNode): ExprNode | null {
  if (isWindow(node)) return node;
  for (const k of children(node)) {
    const found = firstWindow(k);
    if (found) return found;
  }
  return null;
}

/** The first aggregation outside every window, if any. */
export function firstAggOutsideWindows(node: ExprNode): ExprNode | null {
  if (node.kind === "agg") return node;
  if (isWindow(node)) return null;
  for (const k of children(node)) {
    const found = firstAggOutsideWindows(k);
    if (found) return found;
  }
  return null;
}

/** Throws when a row expression inside a window (an argument or key) holds a window or aggregation. */
function plainRow(n: ExprNode, whole: ExprNode, what: string): void {
  const w = firstWindow(n);
  if (w) {
    throw new PlanError(
      `${formatExpr(w)} is inside ${what} of ${formatExpr(whole)}; windows do not nest. Compute it with withColumn first, then use that column.`,
    );
  }
  const agg = firstAggOutsideWindows(n);
  if (agg) {
    throw new PlanError(
      `${formatExpr(agg)} is an aggregation inside ${what} of ${formatExpr(whole)}; an aggregation over a window takes a row expression (e.g. col("x").sum().over(...)).`,
    );
  }
}

/** Window kernels read numbers from typed arrays: a decimal argument is cast first. */
function noDecimal(t: DataType, shown: string): void {
  if (t.typeId === Type.Decimal) {
    throw new PlanError(
      `${shown}: window functions over decimals are not supported; cast the argument first (.cast("float64"), or .cast("int64") of a scaled value).`,
    );
  }
}

/** The type a bare window function gives: cumulative ones alone, the rest only under over(). */
export function winFnType(node: WinFnNode, schema: Schema): DataType {
  if (!CUMULATIVE.has(node.fn)) {
    const call = formatExpr(node);
    throw new PlanError(
      `${call} is a window function: say over which rows with .over(), e.g. ${call}.over({ partitionBy: "g", orderBy: "x" }).`,
    );
  }
  return windowFnType(node, schema, node);
}

function windowFnType(node: WinFnNode, schema: Schema, whole: ExprNode): DataType {
  if (node.arg) plainRow(node.arg, whole, "the argument");
  const arg = node.arg ? resolveType(node.arg, schema) : null;
  const what = node.arg ? formatExpr(node.arg) : node.fn;
  if (arg) noDecimal(arg, formatExpr(whole));
  switch (node.fn) {
    case "rowNumber":
    case "rank":
    case "denseRank":
    case "ntile":
      return new Int64();
    case "percentRank":
      return new Float64();
    case "cumSum":
      return aggResultType("sum", arg, what);
    case "cumCount":
      return aggResultType("count", arg, what);
    case "cumMin":
      return aggResultType("min", arg, what);
    case "cumMax":
      return aggResultType("max", arg, what);
    case "firstValue":
    case "lastValue":
    case "nthValue":
      return arg!;
    case "lag":
    case "lead": {
      const fill = node.args[1] ?? null;
      if (fill === null) return arg!;
      const lit: ExprNode = { kind: "lit", value: fill };
      let t: DataType | null = null;
      try {
        t = commonType(node.arg!, lit, arg!, literalType(fill), formatExpr(node));
      } catch {
        // reported below, in the terms of lag/lead
      }
      if (t === null || typeName(t) !== typeName(arg!)) {
        throw new PlanError(
          `${formatExpr(node)}: the default ${JSON.stringify(String(fill))} (${typeName(literalType(fill))}) does not fit ${what} (${typeName(arg!)}); give a default of the column's type or cast the column first.`,
        );
      }
      return arg!;
    }
  }
}

/** The result type of `arg.over(...)`, checking the keys, the function and the frame. */
export function overType(node: OverNode, schema: Schema): DataType {
  const shown = formatExpr(node);
  for (const k of node.partitionBy) {
    plainRow(k, node, "partitionBy");
    requireKeyType(resolveType(k, schema), k, "over() partitionBy");
  }
  for (const k of node.orderBy) {
    plainRow(k.expr, node, "orderBy");
    requireKeyType(resolveType(k.expr, schema), k.expr, "over() orderBy");
  }
  const fn = node.arg;
  let type: DataType;
  if (fn.kind === "agg") {
    if (!WINDOW_AGGS.has(fn.fn)) {
      throw new PlanError(
        `${shown}: ${fn.fn}() is not available over a window (only ${[...WINDOW_AGGS].filter((f) => f !== "countRows").join(", ")} and count() are); use it in groupBy().agg() instead.`,
      );
    }
    if (fn.arg) plainRow(fn.arg, node, "the argument");
    if (fn.arg) noDecimal(resolveType(fn.arg, schema), shown);
    type = resolveType(fn, schema);
  } else if (fn.kind === "winFn") {
    if (node.frame && !FRAMED.has(fn.fn)) {
      const why = CUMULATIVE.has(fn.fn)
        ? "runs from the partition's first row to the current one"
        : "does not use a frame";
      throw new PlanError(
        `${shown}: ${fn.fn}() ${why}; leave out frame (frames apply to aggregations, firstValue, lastValue and nthValue).`,
      );
    }
    type = windowFnType(fn, schema, node);
  } else {
    throw new PlanError(
      `${shown}: over() applies to an aggregation (sum, mean, min, max, count, …) or a window function (rowNumber(), rank(), lag(), …), not to ${formatExpr(fn)}.`,
    );
  }
  const f = node.frame;
  if (f && f.unit === "range" && (typeof f.start === "number" || typeof f.end === "number")) {
    const nonZero = (b: number | string) => typeof b === "number" && b !== 0;
    if (nonZero(f.start) || nonZero(f.end)) {
      if (node.orderBy.length !== 1) {
        throw new PlanError(
          `${shown}: a range frame with offsets compares the values of one order key, but the window has ${node.orderBy.length}; order by one numeric column or use a rows frame.`,
        );
      }
      const t = resolveType(node.orderBy[0]!.expr, schema);
      if (!isInt(t) && !isFloat(t)) {
        throw new PlanError(
          `${shown}: a range frame with offsets needs a numeric order key, but ${formatExpr(node.orderBy[0]!.expr)} is ${typeName(t)}; cast it (e.g. .cast("float64")) or use a rows frame.`,
        );
      }
    }
  }
  return type;
}
