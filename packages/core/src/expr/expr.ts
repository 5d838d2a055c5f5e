import { isTemporal, type TypeLike, toDataType, typeName } from "../types/dtype.js";
import type { AggFn, BinaryOp, ExprNode, LitValue, MathFn } from "./ast.js";
import { DtNamespace, formatInterval, shiftNode } from "./dt.js";
import { type ListOps, listOps } from "./list.js";
import { StrNamespace } from "./str.js";
import { StructNamespace } from "./struct.js";
import { countArg, formatOver, overNode, type WindowOptions, winFn } from "./window.js";

/** How `quantile` picks between the two values around the quantile's position. */
export type Interpolation = "linear" | "nearest" | "lower" | "higher";
const INTERPOLATIONS: readonly Interpolation[] = ["linear", "nearest", "lower", "higher"];

/** Options of `quantile`. */
export interface QuantileOptions {
  /** "linear" (default, DuckDB's quantile_cont), "nearest", "lower" or "higher". */
  interpolation?: Interpolation;
}

function checkDdof(fn: string, ddof: number): number {
  if (!Number.isInteger(ddof) || ddof < 0) {
    throw new TypeError(`${fn}(): ddof must be a non-negative integer, got ${String(ddof)}.`);
  }
  return ddof;
}

/** Anything an expression method accepts as an operand: an Expr or a literal value. */
export type ExprLike = Expr | LitValue;

/** `cast()` options. */
export interface CastOptions {
  /** "error" (default): a value that does not fit or parse throws; "null": it becomes null. */
  onError?: "error" | "null";
}

/**
 * A column expression. Immutable: every method returns a new Expr wrapping a new tree node.
 * Nothing is evaluated here; the plan resolves types and the kernels compile the tree.
 */
export class Expr {
  /** @internal The expression tree (what plans and kernels read). */
  constructor(
    /** @internal The expression tree (what plans and kernels read). */
    readonly node: ExprNode,
  ) {}

  /** String functions (`col("s").str.lower()`). */
  get str(): StrNamespace {
    return new StrNamespace(this.node);
  }
  /** Date and time functions (`col("d").dt.year()`). */
  get dt(): DtNamespace {
    return new DtNamespace(this.node);
  }
  /** Struct functions: `.struct.field(name)` reads one field of a struct column. */
  get struct(): StructNamespace {
    return new StructNamespace(this.node);
  }
  /** List functions (`col("xs").list.length()`); called, the `list` aggregation. */
  get list(): ListOps {
    return listOps(this.node);
  }

  /** `this + other`. Numbers only; null if either side is null; integer overflow wraps. */
  add(other: ExprLike): Expr {
    return this.binary("add", other);
  }
  /** `this - other`. Numbers only; null if either side is null; integer overflow wraps. */
  sub(other: ExprLike): Expr {
    return this.binary("sub", other);
  }
  /** `this * other`. Numbers only; null if either side is null; integer overflow wraps. */
  mul(other: ExprLike): Expr {
    return this.binary("mul", other);
  }
  /** True division: always float64, like Polars' `/`. */
  div(other: ExprLike): Expr {
    return this.binary("div", other);
  }
  /** Remainder with the sign of the dividend (JavaScript `%`). */
  mod(other: ExprLike): Expr {
    return this.binary("mod", other);
  }
  /** `-this` (numbers only). */
  neg(): Expr {
    return new Expr({ kind: "neg", arg: this.node });
  }
  /** `this == other` (bool); null if either side is null. */
  eq(other: ExprLike): Expr {
    return this.binary("eq", other);
  }
  /** `this != other` (bool); null if either side is null. */
  neq(other: ExprLike): Expr {
    return this.binary("neq", other);
  }
  /** `this < other` (bool); null if either side is null. */
  lt(other: ExprLike): Expr {
    return this.binary("lt", other);
  }
  /** `this <= other` (bool); null if either side is null. */
  lte(other: ExprLike): Expr {
    return this.binary("lte", other);
  }
  /** `this > other` (bool); null if either side is null. */
  gt(other: ExprLike): Expr {
    return this.binary("gt", other);
  }
  /** `this >= other` (bool); null if either side is null. */
  gte(other: ExprLike): Expr {
    return this.binary("gte", other);
  }
  /** Three-valued AND: false if either side is false, else null if either is null. */
  and(other: ExprLike): Expr {
    return this.binary("and", other);
  }
  /** Three-valued OR: true if either side is true, else null if either is null. */
  or(other: ExprLike): Expr {
    return this.binary("or", other);
  }
  /** Boolean NOT; null stays null. */
  not(): Expr {
    return new Expr({ kind: "not", arg: this.node });
  }
  /** True where the value is null (never null itself). */
  isNull(): Expr {
    return new Expr({ kind: "isNull", arg: this.node, negated: false });
  }
  /** True where the value is not null (never null itself). */
  isNotNull(): Expr {
    return new Expr({ kind: "isNull", arg: this.node, negated: true });
  }
  /** Replaces nulls with `value` (a literal or another expression of a compatible type). */
  fillNull(value: ExprLike): Expr {
    return new Expr({ kind: "fillNull", arg: this.node, fill: toNode(value) });
  }
  /** Null where the value equals `value` (NaN equals NaN here, as in SQL's NULLIF), else the value. */
  nullIf(value: ExprLike): Expr {
    return new Expr({ kind: "choice", fn: "nullIf", args: [this.node, toNode(value)] });
  }
  /** True when the value equals one of `values`; null stays null. */
  isIn(values: readonly LitValue[]): Expr {
    return new Expr({ kind: "isIn", arg: this.node, values: [...values] });
  }
  /** `lo <= x && x <= hi` (both ends inclusive, like SQL BETWEEN). */
  between(lo: ExprLike, hi: ExprLike): Expr {
    return this.gte(lo).and(new Expr(this.node).lte(hi));
  }
  /**
   * Converts to `type` (a name like "int32" or an apache-arrow DataType). Floats to integers
   * truncate (NaN becomes null); strings are parsed strictly. A value that does not fit or
   * parse (300 to int8, 1e20 to int32, "abc" to float64) is an error naming the column and
   * row, or null with `{ onError: "null" }`.
   */
  cast(type: TypeLike, opts: CastOptions = {}): Expr {
    const to = toDataType(type);
    if (opts.onError !== undefined && opts.onError !== "null" && opts.onError !== "error") {
      throw new TypeError(
        `cast(): onError must be "error" or "null", got ${String(opts.onError)}.`,
      );
    }
    return new Expr(
      opts.onError === "null"
        ? { kind: "cast", arg: this.node, to, onError: "null" }
        : { kind: "cast", arg: this.node, to },
    );
  }
  /** Names the expression's output column. */
  alias(name: string): Expr {
    return new Expr({ kind: "alias", arg: this.node, name });
  }

  /** Absolute value; integer types are kept, and the minimum value (no absolute value in its type) is an error naming the row. */
  abs(): Expr {
    return this.math("abs");
  }
  /** -1, 0 or 1 by the sign, in the argument's type (floats keep -0, 0 and NaN as they are). */
  sign(): Expr {
    return this.math("sign");
  }
  /**
   * Rounds to `digits` decimal places (negative: to tens, hundreds, …), ties away from zero.
   * Integers stay integers (unchanged for `digits >= 0`); floats keep their type.
   */
  round(digits = 0): Expr {
    if (!Number.isInteger(digits)) {
      throw new TypeError(`round(): digits must be an integer, got ${String(digits)}.`);
    }
    return this.math("round", digits);
  }
  /** The largest integer <= the value; integers are unchanged, floats keep their type. */
  floor(): Expr {
    return this.math("floor");
  }
  /** The smallest integer >= the value; integers are unchanged, floats keep their type. */
  ceil(): Expr {
    return this.math("ceil");
  }
  /** Square root as float64 (NaN below zero, as IEEE 754). */
  sqrt(): Expr {
    return this.math("sqrt");
  }
  /** Cube root as float64. */
  cbrt(): Expr {
    return this.math("cbrt");
  }
  /** e to the power of the value, as float64. */
  exp(): Expr {
    return this.math("exp");
  }
  /** Logarithm as float64: natural without `base`, else to `base` (NaN below zero, -Infinity at zero). */
  log(base?: ExprLike): Expr {
    return base === undefined ? this.math("log") : this.math("log", base);
  }
  /** Base-2 logarithm as float64. */
  log2(): Expr {
    return this.math("log2");
  }
  /** Base-10 logarithm as float64. */
  log10(): Expr {
    return this.math("log10");
  }
  /** `ln(1 + x)` as float64, exact near zero. */
  log1p(): Expr {
    return this.math("log1p");
  }
  /** The value to the power `exponent`, as float64. */
  pow(exponent: ExprLike): Expr {
    return this.math("pow", exponent);
  }
  /**
   * Limits the value to `[lo, hi]`; `null` for a bound leaves that side open. The type is
   * the value's when the bounds fit it; NaN stays NaN.
   */
  clip(lo: ExprLike, hi: ExprLike = null): Expr {
    return this.math("clip", lo, hi);
  }
  /** Sine (radians) as float64. */
  sin(): Expr {
    return this.math("sin");
  }
  /** Cosine (radians) as float64. */
  cos(): Expr {
    return this.math("cos");
  }
  /** Tangent (radians) as float64. */
  tan(): Expr {
    return this.math("tan");
  }
  /** Arc sine in radians as float64 (NaN outside [-1, 1]). */
  asin(): Expr {
    return this.math("asin");
  }
  /** Arc cosine in radians as float64 (NaN outside [-1, 1]). */
  acos(): Expr {
    return this.math("acos");
  }
  /** Arc tangent in radians as float64. */
  atan(): Expr {
    return this.math("atan");
  }
  /** The angle of the point (x, this) in radians, as float64: `col("y").atan2(col("x"))`. */
  atan2(x: ExprLike): Expr {
    return this.math("atan2", x);
  }
  /** True where the value is NaN (false for integers); null stays null. */
  isNan(): Expr {
    return this.math("isNan");
  }
  /** True where the value is neither NaN nor infinite (true for integers); null stays null. */
  isFinite(): Expr {
    return this.math("isFinite");
  }
  /**
   * A uint64 hash of the value, the same in every run, process and version of deft (see
   * docs/expressions.md for the algorithm); null hashes to a fixed value.
   */
  hash(): Expr {
    return this.math("hash");
  }

  /** Aggregation: the sum, skipping nulls (int64 for integers and bools, float64 for floats). */
  sum(): Expr {
    return this.agg("sum");
  }
  /** Aggregation: the mean as float64, skipping nulls. */
  mean(): Expr {
    return this.agg("mean");
  }
  /** Aggregation: the smallest non-null value (numbers, strings, dates, bools). */
  min(): Expr {
    return this.agg("min");
  }
  /** Aggregation: the largest non-null value (NaN counts as larger than any number). */
  max(): Expr {
    return this.agg("max");
  }
  /** Number of non-null values. */
  count(): Expr {
    return this.agg("count");
  }
  /** Aggregation: the number of distinct non-null values (int64). */
  countDistinct(): Expr {
    return this.agg("countDistinct");
  }
  /** Aggregation: the value in the group's first row (null if that value is null). */
  first(): Expr {
    return this.agg("first");
  }
  /** Aggregation: the value in the group's last row (null if that value is null). */
  last(): Expr {
    return this.agg("last");
  }
  /**
   * Aggregation: the standard deviation (float64) of the non-null values, with `ddof` delta
   * degrees of freedom: 1 (default) the sample's, 0 the population's. Null when fewer than
   * `ddof + 1` values.
   */
  std(ddof = 1): Expr {
    return this.agg("std", [checkDdof("std", ddof)]);
  }
  /** Aggregation: the variance (float64), as `std` (sample by default, `ddof = 0` population). */
  var(ddof = 1): Expr {
    return this.agg("var", [checkDdof("var", ddof)]);
  }
  /** Aggregation: the median (float64) of the non-null values, interpolating between the middle two. */
  median(): Expr {
    return this.agg("median");
  }
  /**
   * Aggregation: the `q`-quantile (0 <= q <= 1, float64) of the non-null values: linear
   * interpolation by default (DuckDB's `quantile_cont`), or the `"nearest"`, `"lower"` or
   * `"higher"` value.
   */
  quantile(q: number, opts: QuantileOptions = {}): Expr {
    if (typeof q !== "number" || !(q >= 0 && q <= 1)) {
      throw new TypeError(`quantile(): q must be a number from 0 to 1, got ${String(q)}.`);
    }
    const how = opts.interpolation ?? "linear";
    if (!INTERPOLATIONS.includes(how)) {
      throw new TypeError(
        `quantile(): interpolation must be one of ${INTERPOLATIONS.join(", ")}, got ${String(how)}.`,
      );
    }
    return this.agg("quantile", [q, how]);
  }
  /** Aggregation: the product of the non-null values as float64 (null when there are none). */
  product(): Expr {
    return this.agg("product");
  }
  /** Aggregation: true if any non-null value is true (null when there are none), like SQL's bool_or. */
  any(): Expr {
    return this.agg("any");
  }
  /** Aggregation: true if every non-null value is true (null when there are none), like SQL's bool_and. */
  all(): Expr {
    return this.agg("all");
  }
  /** Aggregation: the non-null strings joined by `separator`, in input order (null when there are none). */
  stringAgg(separator = ","): Expr {
    if (typeof separator !== "string") {
      throw new TypeError(`stringAgg(): the separator must be a string, got ${String(separator)}.`);
    }
    return this.agg("stringAgg", [separator]);
  }
  /** Aggregation: the most frequent non-null value; of tied values the smallest. */
  mode(): Expr {
    return this.agg("mode");
  }

  /**
   * Computes this aggregation or window function per row over its window: the rows of its
   * partition (`partitionBy`), in `orderBy` order, within `frame`. See docs/expressions.md.
   */
  over(opts: WindowOptions = {}): Expr {
    return new Expr(overNode(this.node, opts));
  }
  /** Window function: the value `n` rows before in the window's order (else `fill`, or null). */
  lag(n = 1, fill: LitValue = null): Expr {
    return new Expr(winFn("lag", this.node, [countArg("lag", n, 0), fill]));
  }
  /** Window function: the value `n` rows after in the window's order (else `fill`, or null). */
  lead(n = 1, fill: LitValue = null): Expr {
    return new Expr(winFn("lead", this.node, [countArg("lead", n, 0), fill]));
  }
  /** Window function: the value in the frame's first row. */
  firstValue(): Expr {
    return new Expr(winFn("firstValue", this.node));
  }
  /** Window function: the value in the frame's last row. */
  lastValue(): Expr {
    return new Expr(winFn("lastValue", this.node));
  }
  /** Window function: the value in the frame's `n`-th row (1-based), null past its end. */
  nthValue(n: number): Expr {
    return new Expr(winFn("nthValue", this.node, [countArg("nthValue", n, 1)]));
  }
  /** Running sum (null until a non-null value): over the frame's rows, or `.over({ orderBy })`. */
  cumSum(): Expr {
    return new Expr(winFn("cumSum", this.node));
  }
  /** Running count of non-null values, in the frame's row order or `.over({ orderBy })`. */
  cumCount(): Expr {
    return new Expr(winFn("cumCount", this.node));
  }
  /** Running minimum, in the frame's row order or `.over({ orderBy })`. */
  cumMin(): Expr {
    return new Expr(winFn("cumMin", this.node));
  }
  /** Running maximum, in the frame's row order or `.over({ orderBy })`. */
  cumMax(): Expr {
    return new Expr(winFn("cumMax", this.node));
  }

  /** The expression as explain prints it, e.g. `(col(a) * 2)`. */
  toString(): string {
    return formatExpr(this.node);
  }

  private binary(op: BinaryOp, other: ExprLike): Expr {
    // An interval shifts the date or timestamp on the other side (see expr/dt.ts).
    const o = toNode(other);
    if (o.kind === "interval" && (op === "add" || op === "sub"))
      return new Expr(shiftNode(this.node, o, op === "add" ? 1 : -1));
    if (this.node.kind === "interval" && op === "add") return new Expr(shiftNode(o, this.node, 1));
    return new Expr({ kind: "binary", op, left: this.node, right: toNode(other) });
  }
  private math(fn: MathFn, ...operands: ExprLike[]): Expr {
    return new Expr({ kind: "math", fn, args: [this.node, ...operands.map(toNode)] });
  }
  private agg(fn: AggFn, args?: LitValue[]): Expr {
    return new Expr(
      args ? { kind: "agg", fn, arg: this.node, args } : { kind: "agg", fn, arg: this.node },
    );
  }
}

export function toNode(value: ExprLike): ExprNode {
  if (value instanceof Expr) return value.node;
  return { kind: "lit", value };
}

/** A reference to a column by name. */
export function col(name: string): Expr {
  if (typeof name !== "string" || name === "") {
    throw new TypeError(`col() takes a column name (a non-empty string), got ${String(name)}.`);
  }
  return new Expr({ kind: "col", name });
}

/** A literal; give a type to pin it (e.g. `lit(1, "int64")`), else it is inferred. */
export function lit(value: LitValue, type?: TypeLike): Expr {
  if (type === undefined) return new Expr({ kind: "lit", value });
  const t = toDataType(type);
  // lit("1995-03-15", "date"): ISO text as a date or timestamp literal.
  const v = typeof value === "string" && isTemporal(t) ? isoLiteral(value) : value;
  return new Expr({ kind: "lit", value: v, type: t });
}

/** ISO 8601 text ("1995-03-15", "1995-03-15T10:00:00Z") as a Date; a TypeError otherwise. */
function isoLiteral(text: string): Date {
  const ok = /^[+-]?\d{4,6}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;
  const iso = /^[+-]?\d{4,6}-\d{2}-\d{2}$/.test(text)
    ? `${text}T00:00:00Z`
    : text.replace(" ", "T");
  const d = new Date(/(Z|[+-]\d{2}:?\d{2})$/.test(iso) ? iso : `${iso}Z`);
  if (!ok.test(text) || Number.isNaN(d.getTime())) {
    throw new TypeError(
      `lit(${JSON.stringify(text)}): not an ISO 8601 date or timestamp (e.g. "1995-03-15" or "1995-03-15T10:30:00").`,
    );
  }
  return d;
}

/** Counts rows (nulls included), as in `groupBy("k").agg(count())`. */
export function count(): Expr {
  return new Expr({ kind: "agg", fn: "countRows", arg: null });
}

/** `when(cond).then(a).when(cond2).then(b).otherwise(c)`; without otherwise the rest is null. */
export function when(cond: ExprLike): WhenBuilder {
  return new WhenBuilder([], toNode(cond));
}

/** `when(cond)` waiting for its value: call `.then(value)`. */
export class WhenBuilder {
  constructor(
    private readonly done: { cond: ExprNode; value: ExprNode }[],
    private readonly cond: ExprNode,
  ) {}
  /** The value where the condition is true; continue with `.when(…)` or `.otherwise(…)`. */
  // biome-ignore lint/suspicious/noThenProperty: the public API spells it when(cond).then(value), as Polars does; a WhenBuilder is never awaited.
  then(value: ExprLike): WhenThen {
    return new WhenThen([...this.done, { cond: this.cond, value: toNode(value) }]);
  }
}

export class WhenThen extends Expr {
  constructor(private readonly branches: { cond: ExprNode; value: ExprNode }[]) {
    super({ kind: "when", branches, otherwise: { kind: "lit", value: null } });
  }
  when(cond: ExprLike): WhenBuilder {
    return new WhenBuilder(this.branches, toNode(cond));
  }
  otherwise(value: ExprLike): Expr {
    return new Expr({ kind: "when", branches: this.branches, otherwise: toNode(value) });
  }
}

const OPS: Record<BinaryOp, string> = {
  add: "+",
  sub: "-",
  mul: "*",
  div: "/",
  mod: "%",
  eq: "==",
  neq: "!=",
  lt: "<",
  lte: "<=",
  gt: ">",
  gte: ">=",
  and: "AND",
  or: "OR",
};

function formatLit(v: LitValue): string {
  if (v === null) return "null";
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "bigint") return `${v}n`;
  if (v instanceof Date) return `Date(${v.toISOString()})`;
  if (v instanceof Uint8Array) return `bytes[${v.length}]`;
  return String(v);
}

/** Prints an expression the way explain shows it: `col(a) * 2 + col(b)`. */
export function formatExpr(n: ExprNode): string {
  switch (n.kind) {
    case "col":
      return `col(${n.name})`;
    case "lit":
      return formatLit(n.value);
    case "binary":
      return `(${formatExpr(n.left)} ${OPS[n.op]} ${formatExpr(n.right)})`;
    case "neg":
      return `-${formatExpr(n.arg)}`;
    case "not":
      return `NOT ${formatExpr(n.arg)}`;
    case "isNull":
      return `${receiver(n.arg)}.${n.negated ? "isNotNull" : "isNull"}()`;
    case "fillNull":
      return `${receiver(n.arg)}.fillNull(${formatExpr(n.fill)})`;
    case "isIn":
      return `${receiver(n.arg)}.isIn([${n.values.map(formatLit).join(", ")}])`;
    case "cast":
      return `${receiver(n.arg)}.cast(${typeName(n.to)}${n.onError === "null" ? ', { onError: "null" }' : ""})`;
    case "alias":
      return `${formatExpr(n.arg)} AS ${n.name}`;
    case "when":
      return `CASE ${n.branches.map((b) => `WHEN ${formatExpr(b.cond)} THEN ${formatExpr(b.value)}`).join(" ")} ELSE ${formatExpr(n.otherwise)} END`;
    case "str":
    case "list":
    case "struct":
      return `${receiver(n.arg)}.${n.kind}.${n.fn}(${n.args.map(formatLit).join(", ")})`;
    case "dt":
      if (n.fn === "shift") {
        const [months, days, ms] = n.args.map(Number) as [number, number, number];
        return `(${formatExpr(n.arg)} + ${formatInterval({ months, days, ms })})`;
      }
      return `${receiver(n.arg)}.${n.fn === "toDate" || n.fn === "toTimestamp" ? "str" : "dt"}.${n.fn}(${n.args.map(formatLit).join(", ")})`;
    case "interval":
      return formatInterval(n);
    case "udf":
      return `${n.udf.name}(${n.args.map(formatExpr).join(", ")})`;
    case "concatStr":
      return `concatStr(${n.args.map(formatExpr).join(", ")}, separator=${JSON.stringify(n.separator)}${n.ignoreNulls ? ", ignoreNulls" : ""})`;
    case "math":
      return `${receiver(n.args[0]!)}.${n.fn}(${n.args.slice(1).map(formatExpr).join(", ")})`;
    case "choice":
      return n.fn === "nullIf"
        ? `${receiver(n.args[0]!)}.nullIf(${formatExpr(n.args[1]!)})`
        : `${n.fn}(${n.args.map(formatExpr).join(", ")})`;
    case "agg":
      return n.arg
        ? `${receiver(n.arg)}.${n.fn}(${(n.args ?? []).map(formatLit).join(", ")})`
        : "count()";
    case "winFn": {
      const args =
        n.fn === "lag" || n.fn === "lead"
          ? n.args[1] === null
            ? n.args.slice(0, 1)
            : n.args
          : n.args;
      const call = `${n.fn}(${args.map(formatLit).join(", ")})`;
      return n.arg ? `${receiver(n.arg)}.${call}` : call;
    }
    case "over":
      return `${receiver(n.arg)}${formatOver(n, formatExpr)}`;
  }
}

/**
 * An expression printed before `.method(...)`: prefix and alias forms get parentheses, so
 * `(-col(b)).fillNull(col(a))` and `-col(b).fillNull(col(a))` stay apart (the printed form is
 * also the kernel caches' key).
 */
function receiver(n: ExprNode): string {
  const text = formatExpr(n);
  return n.kind === "neg" || n.kind === "not" || n.kind === "alias" ? `(${text})` : text;
}
