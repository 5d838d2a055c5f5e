import type { DataType } from "apache-arrow";
import type { UdfDef } from "../udf/types.js";

/** A literal value as written by the user (bigint for int64, Date for timestamps). */
export type LitValue = number | bigint | string | boolean | null | Date | Uint8Array;

export type ArithOp = "add" | "sub" | "mul" | "div" | "mod";
export type CmpOp = "eq" | "neq" | "lt" | "lte" | "gt" | "gte";
export type LogicOp = "and" | "or";
export type BinaryOp = ArithOp | CmpOp | LogicOp;

export type StrFn =
  | "length"
  | "lower"
  | "upper"
  | "contains"
  | "startsWith"
  | "endsWith"
  | "replace"
  | "split"
  | "slice"
  | "strip"
  | "like"
  | "ilike"
  | "matches"
  | "extract"
  | "extractAll"
  | "countMatches"
  | "padStart"
  | "padEnd"
  | "repeat"
  | "reverse"
  | "find"
  | "lstrip"
  | "rstrip"
  | "capitalize"
  | "toBytes";
export type ListFn = "length" | "get" | "join";
export type StructFn = "field";
/**
 * Date and time functions (`.dt`, plus `.str.toDate`/`.str.toTimestamp` and an interval added to
 * a date or timestamp, which is `shift` with args [months, days, ms]). See expr/dt.ts.
 */
export type DtFn =
  | "year"
  | "month"
  | "day"
  | "hour"
  | "minute"
  | "second"
  | "millisecond"
  | "weekday"
  | "dayOfYear"
  | "quarter"
  | "week"
  | "date"
  | "truncate"
  | "strftime"
  | "epoch"
  | "totalDays"
  | "totalHours"
  | "totalMinutes"
  | "totalSeconds"
  | "totalMilliseconds"
  | "shift"
  | "toDate"
  | "toTimestamp";
/** Number functions (expr/expr.ts): `args[0]` is the receiver, the rest its operands. */
export type MathFn =
  | "abs"
  | "sign"
  | "round"
  | "floor"
  | "ceil"
  | "sqrt"
  | "cbrt"
  | "exp"
  | "log"
  | "log2"
  | "log10"
  | "log1p"
  | "pow"
  | "clip"
  | "sin"
  | "cos"
  | "tan"
  | "asin"
  | "acos"
  | "atan"
  | "atan2"
  | "isNan"
  | "isFinite"
  | "hash";
/** Choices among values: top-level coalesce/greatest/least and `.nullIf(value)`. */
export type ChoiceFn = "coalesce" | "greatest" | "least" | "nullIf";
export type AggFn =
  | "sum"
  | "mean"
  | "min"
  | "max"
  | "count"
  | "countDistinct"
  | "first"
  | "last"
  | "list"
  | "countRows"
  | "std"
  | "var"
  | "median"
  | "quantile"
  | "product"
  | "any"
  | "all"
  | "stringAgg"
  | "mode";

/**
 * Window functions (`rowNumber()`, `col("x").lag()`, …): meaningful only under `.over(...)`,
 * except the cumulative ones, which alone run over the frame in its row order.
 */
export type WinFn =
  | "rowNumber"
  | "rank"
  | "denseRank"
  | "percentRank"
  | "ntile"
  | "lag"
  | "lead"
  | "firstValue"
  | "lastValue"
  | "nthValue"
  | "cumSum"
  | "cumCount"
  | "cumMin"
  | "cumMax";

/** A frame bound: an offset from the current row (negative: preceding) or "unbounded". */
export type FrameBound = number | "unbounded";

/**
 * The rows of a window frame: `rows` counts rows from the current one, `range` compares
 * values of the (single) order key; a start of "unbounded" is the partition's first row, an
 * end of "unbounded" its last.
 */
export interface WindowFrame {
  unit: "rows" | "range";
  start: FrameBound;
  end: FrameBound;
}

/** One order key of a window. */
export interface WindowOrderKey {
  expr: ExprNode;
  descending: boolean;
  nullsFirst: boolean;
}

/**
 * The expression tree. Plain data, so optimizer rules and kernels can pattern-match on `kind`
 * and expressions can be compared by their printed shape.
 */
export type ExprNode =
  | { kind: "col"; name: string }
  | { kind: "lit"; value: LitValue; type?: DataType }
  | { kind: "binary"; op: BinaryOp; left: ExprNode; right: ExprNode }
  | { kind: "neg"; arg: ExprNode }
  | { kind: "not"; arg: ExprNode }
  | { kind: "isNull"; arg: ExprNode; negated: boolean }
  | { kind: "fillNull"; arg: ExprNode; fill: ExprNode }
  | { kind: "isIn"; arg: ExprNode; values: LitValue[] }
  | { kind: "cast"; arg: ExprNode; to: DataType; onError?: "null" }
  | { kind: "alias"; arg: ExprNode; name: string }
  | { kind: "when"; branches: { cond: ExprNode; value: ExprNode }[]; otherwise: ExprNode }
  | { kind: "str"; fn: StrFn; arg: ExprNode; args: LitValue[] }
  | { kind: "list"; fn: ListFn; arg: ExprNode; args: LitValue[] }
  | { kind: "struct"; fn: StructFn; arg: ExprNode; args: LitValue[] }
  | { kind: "dt"; fn: DtFn; arg: ExprNode; args: LitValue[] }
  | { kind: "interval"; months: number; days: number; ms: number }
  | { kind: "concatStr"; args: ExprNode[]; separator: string; ignoreNulls: boolean }
  | { kind: "math"; fn: MathFn; args: ExprNode[] }
  | { kind: "choice"; fn: ChoiceFn; args: ExprNode[] }
  | { kind: "udf"; udf: UdfDef; args: ExprNode[] }
  /**
   * `args` are an aggregation's own parameters: std/var [ddof], quantile [q, interpolation],
   * stringAgg [separator]; absent for the others.
   */
  | { kind: "agg"; fn: AggFn; arg: ExprNode | null; args?: LitValue[] }
  | { kind: "winFn"; fn: WinFn; arg: ExprNode | null; args: LitValue[] }
  | {
      kind: "over";
      arg: ExprNode;
      partitionBy: ExprNode[];
      orderBy: WindowOrderKey[];
      frame: WindowFrame | null;
    };

export type UdfNode = Extract<ExprNode, { kind: "udf" }>;
export type AggNode = Extract<ExprNode, { kind: "agg" }>;
export type WinFnNode = Extract<ExprNode, { kind: "winFn" }>;
export type OverNode = Extract<ExprNode, { kind: "over" }>;

/** The children of a node, in a fixed order (used by generic tree walks). */
export function children(node: ExprNode): ExprNode[] {
  switch (node.kind) {
    case "col":
    case "lit":
    case "interval":
      return [];
    case "binary":
      return [node.left, node.right];
    case "fillNull":
      return [node.arg, node.fill];
    case "when":
      return [...node.branches.flatMap((b) => [b.cond, b.value]), node.otherwise];
    case "udf":
    case "concatStr":
    case "math":
    case "choice":
      return node.args;
    case "agg":
    case "winFn":
      return node.arg ? [node.arg] : [];
    case "over":
      return [node.arg, ...node.partitionBy, ...node.orderBy.map((k) => k.expr)];
    default:
      return [node.arg];
  }
}

/** Rebuilds a node with new children (same order as `children`). */
export function withChildren(node: ExprNode, kids: ExprNode[]): ExprNode {
  switch (node.kind) {
    case "col":
    case "lit":
    case "interval":
      return node;
    case "binary":
      return { ...node, left: kids[0]!, right: kids[1]! };
    case "fillNull":
      return { ...node, arg: kids[0]!, fill: kids[1]! };
    case "when": {
      const branches = node.branches.map((_, i) => ({
        cond: kids[2 * i]!,
        value: kids[2 * i + 1]!,
      }));
      return { ...node, branches, otherwise: kids[kids.length - 1]! };
    }
    case "udf":
    case "concatStr":
    case "math":
    case "choice":
      return { ...node, args: kids };
    case "agg":
    case "winFn":
      return { ...node, arg: kids[0] ?? null };
    case "over": {
      const p = node.partitionBy.length;
      return {
        ...node,
        arg: kids[0]!,
        partitionBy: kids.slice(1, 1 + p),
        orderBy: node.orderBy.map((k, i) => ({ ...k, expr: kids[1 + p + i]! })),
      };
    }
    default:
      return { ...node, arg: kids[0]! } as ExprNode;
  }
}

/** Bottom-up rewrite. */
export function transform(node: ExprNode, fn: (n: ExprNode) => ExprNode): ExprNode {
  const kids = children(node);
  const next = kids.length
    ? withChildren(
        node,
        kids.map((k) => transform(k, fn)),
      )
    : node;
  return fn(next);
}

export function some(node: ExprNode, pred: (n: ExprNode) => boolean): boolean {
  if (pred(node)) return true;
  return children(node).some((k) => some(k, pred));
}

/** Column names an expression reads. */
export function columnsOf(node: ExprNode, out: Set<string> = new Set()): Set<string> {
  if (node.kind === "col") out.add(node.name);
  for (const k of children(node)) columnsOf(k, out);
  return out;
}

/** The output name of an expression: an alias, else the first column it reads, else "literal". */
export function outputName(node: ExprNode): string {
  if (node.kind === "alias") return node.name;
  if (node.kind === "col") return node.name;
  // A struct field is named after the field, as in Polars.
  if (node.kind === "struct") return String(node.args[0]);
  if (node.kind === "agg" && node.fn === "countRows") return "count";
  if (node.kind === "over") return outputName(node.arg);
  if (node.kind === "winFn" && node.arg === null) return node.fn;
  for (const k of children(node)) {
    const n = outputName(k);
    if (n !== "literal") return n;
  }
  return "literal";
}

export const stripAlias = (node: ExprNode): ExprNode =>
  node.kind === "alias" ? stripAlias(node.arg) : node;
