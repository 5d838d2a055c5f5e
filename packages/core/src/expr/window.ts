// Window functions: `expr.over({ partitionBy, orderBy, frame })` and the functions that only
// mean something over a window (rowNumber, rank, lag, …). The plan builder turns every
// window expression into a Window node (plan/window-exprs.ts); the typing rules are in
// types/typing-window.ts.
import { PlanError } from "../types/plan-error.js";
import type { ExprNode, FrameBound, LitValue, WindowFrame, WindowOrderKey, WinFn } from "./ast.js";
import type { Expr } from "./expr.js";

/** A window's key: a column name or an expression. */
export type WindowKey = string | Expr;

/** `[start, end]`: offsets from the current row (negative: preceding) or "unbounded". */
export type FrameBounds = readonly [FrameBound, FrameBound];

/** A frame counted in rows: `{ rows: [-2, 0] }` is the current row and the two before it. */
export interface RowsFrame {
  /** The first and last row of the frame, as offsets from the current row or "unbounded". */
  rows: FrameBounds;
}

/** A frame by value: `{ range: [-10, 0] }` holds the rows whose order key is within 10 below. */
export interface RangeFrame {
  /** The lowest and highest offset from the current row's order key, or "unbounded". */
  range: FrameBounds;
}

/** Options of `expr.over(...)`. */
export interface WindowOptions {
  /** Rows with equal values of these keys form one partition (default: one partition). */
  partitionBy?: WindowKey | readonly WindowKey[];
  /** The order of rows within a partition (default: their input order). */
  orderBy?: WindowKey | readonly WindowKey[];
  /** Largest first: one boolean for every order key, or one per key (default false). */
  descending?: boolean | readonly boolean[];
  /** Nulls first in the order: one for every key, or one per key (default false: last). */
  nullsFirst?: boolean | readonly boolean[];
  /**
   * The frame of an aggregation (or firstValue/lastValue/nthValue): `{ rows: [-2, 0] }` is the
   * current row and the two before it; `{ range: [-10, 10] }` the rows whose order key is
   * within 10 of the current row's. Default: with orderBy, every row up to the current one and
   * its peers (SQL's RANGE UNBOUNDED PRECEDING AND CURRENT ROW); without, the whole partition.
   */
  frame?: RowsFrame | RangeFrame;
}

const keyNode = (k: WindowKey, what: string): ExprNode => {
  if (typeof k === "string") {
    if (k === "") throw new PlanError(`over(): ${what} has an empty column name.`);
    return { kind: "col", name: k };
  }
  if (k && typeof k === "object" && "node" in k) return k.node;
  throw new PlanError(
    `over(): ${what} takes column names or expressions, got ${JSON.stringify(k)}.`,
  );
};

const keyList = (v: WindowKey | readonly WindowKey[] | undefined, what: string): ExprNode[] =>
  v === undefined
    ? []
    : (Array.isArray(v) ? (v as readonly WindowKey[]) : [v as WindowKey]).map((k) =>
        keyNode(k, what),
      );

function perKey(
  value: boolean | readonly boolean[] | undefined,
  n: number,
  name: string,
): boolean[] {
  if (value === undefined) return new Array<boolean>(n).fill(false);
  if (typeof value === "boolean") return new Array<boolean>(n).fill(value);
  if (!Array.isArray(value) || value.length !== n) {
    throw new PlanError(
      `over(): ${name} has ${Array.isArray(value) ? value.length : "no"} entries for ${n} order keys; give one per key or a single boolean.`,
    );
  }
  return [...value];
}

function bound(b: unknown, which: string): FrameBound {
  if (b === "unbounded") return b;
  if (typeof b === "number" && Number.isFinite(b)) return b;
  throw new PlanError(
    `over(): the frame's ${which} must be a number (negative: rows before, positive: after) or "unbounded", got ${JSON.stringify(b)}.`,
  );
}

function frameOf(f: WindowOptions["frame"]): WindowFrame | null {
  if (f === undefined) return null;
  const unit = f && "rows" in f ? "rows" : f && "range" in f ? "range" : null;
  const b =
    unit === "rows"
      ? (f as { rows: unknown }).rows
      : unit === "range"
        ? (f as { range: unknown }).range
        : null;
  if (!unit || !Array.isArray(b) || b.length !== 2) {
    throw new PlanError(
      `over(): frame is { rows: [start, end] } or { range: [start, end] }, e.g. { rows: [-2, 0] }; got ${JSON.stringify(f)}.`,
    );
  }
  const start = bound(b[0], "start");
  const end = bound(b[1], "end");
  if (
    unit === "rows" &&
    ((!Number.isInteger(start) && start !== "unbounded") ||
      (!Number.isInteger(end) && end !== "unbounded"))
  ) {
    throw new PlanError(`over(): a rows frame counts whole rows; got [${start}, ${end}].`);
  }
  if (typeof start === "number" && typeof end === "number" && start > end) {
    throw new PlanError(
      `over(): the frame [${start}, ${end}] starts after it ends; give the start first (e.g. [-2, 0]).`,
    );
  }
  return { unit, start, end };
}

/** The `over` node of `arg` (an aggregation or window function) with these options. */
export function overNode(arg: ExprNode, opts: WindowOptions = {}): ExprNode {
  if (opts === null || typeof opts !== "object") {
    throw new PlanError(`over() takes an options object ({ partitionBy?, orderBy?, frame? }).`);
  }
  const partitionBy = keyList(opts.partitionBy, "partitionBy");
  const order = keyList(opts.orderBy, "orderBy");
  const desc = perKey(opts.descending, order.length, "descending");
  const nullsFirst = perKey(opts.nullsFirst, order.length, "nullsFirst");
  const orderBy: WindowOrderKey[] = order.map((expr, i) => ({
    expr,
    descending: desc[i]!,
    nullsFirst: nullsFirst[i]!,
  }));
  return { kind: "over", arg, partitionBy, orderBy, frame: frameOf(opts.frame) };
}

/** A window function node. */
export const winFn = (fn: WinFn, arg: ExprNode | null, args: LitValue[] = []): ExprNode => ({
  kind: "winFn",
  fn,
  arg,
  args,
});

/** A whole number >= min for a window function's argument, or a PlanError naming it. */
export function countArg(fn: string, n: unknown, min: number): number {
  if (typeof n !== "number" || !Number.isInteger(n) || n < min) {
    throw new PlanError(`${fn}() takes a whole number >= ${min}, got ${String(n)}.`);
  }
  return n;
}

/** Prints a window the way explain shows it: `.over(partitionBy=[…], orderBy=[…], rows=[-2, 0])`. */
export function formatOver(
  n: Extract<ExprNode, { kind: "over" }>,
  fmt: (e: ExprNode) => string,
): string {
  const parts: string[] = [];
  if (n.partitionBy.length) parts.push(`partitionBy=[${n.partitionBy.map(fmt).join(", ")}]`);
  if (n.orderBy.length) {
    const keys = n.orderBy.map(
      (k) => `${fmt(k.expr)}${k.descending ? " desc" : ""}${k.nullsFirst ? " nulls first" : ""}`,
    );
    parts.push(`orderBy=[${keys.join(", ")}]`);
  }
  if (n.frame) parts.push(`${n.frame.unit}=[${n.frame.start}, ${n.frame.end}]`);
  return `.over(${parts.join(", ")})`;
}
