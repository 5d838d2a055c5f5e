// Arithmetic and comparison with a decimal on either side, exact: each side is read as its
// unscaled bigints (an integer as itself at scale 0, a number literal from its text), brought
// to a common scale where the operation needs one, and computed in bigints. A side that is a
// float column (or a quotient) makes the operation float64, as in DuckDB.
import { Bool, type Data, type DataType, type Decimal, Float64, Type } from "apache-arrow";
import type { ExprNode } from "../expr/ast.js";
import { formatExpr } from "../expr/expr.js";
import { asDecimal } from "../types/typing-decimal.js";
import { decimalColumn, decimalToNumber, decimalValues, parseDecimal, pow10 } from "./decimal.js";
import { columnFromJs } from "./from-js.js";
import { valuesOf } from "./to-js.js";

type BinaryNode = Extract<ExprNode, { kind: "binary" }>;

const CMP = new Set(["eq", "neq", "lt", "lte", "gt", "gte"]);

/** The unscaled values of one side at its own decimal scale. */
function unscaled(data: Data, type: DataType, scale: number): (bigint | null)[] {
  if (type.typeId === Type.Decimal) return decimalValues(data);
  return valuesOf(data).map((v) => {
    if (v === null || v === undefined) return null;
    if (typeof v === "bigint") return v;
    // An integer column (as numbers) or a number literal (read from its text).
    return parseDecimal(String(v), scale) ?? null;
  });
}

function floats(data: Data, type: DataType): (number | null)[] {
  if (type.typeId === Type.Decimal) {
    const { scale } = type as Decimal;
    return decimalValues(data).map((v) => (v === null ? null : decimalToNumber(v, scale)));
  }
  return valuesOf(data).map((v) => (v === null || v === undefined ? null : Number(v)));
}

function compare(op: string, c: number): boolean {
  switch (op) {
    case "eq":
      return c === 0;
    case "neq":
      return c !== 0;
    case "lt":
      return c < 0;
    case "lte":
      return c <= 0;
    case "gt":
      return c > 0;
    default:
      return c >= 0;
  }
}

/** `left op right` where a side is a decimal; `out` is the type the plan resolved. */
export function decimalBinary(
  node: BinaryNode,
  kids: Data[],
  kidTypes: DataType[],
  out: DataType,
  n: number,
): Data {
  const op = node.op;
  const cmp = CMP.has(op);
  const la = asDecimal(node.left, kidTypes[0]!);
  const ra = asDecimal(node.right, kidTypes[1]!);
  if (!la || !ra || (!cmp && out.typeId !== Type.Decimal)) {
    return floatBinary(op, floats(kids[0]!, kidTypes[0]!), floats(kids[1]!, kidTypes[1]!), out, n);
  }
  const a = unscaled(kids[0]!, kidTypes[0]!, la.scale);
  const b = unscaled(kids[1]!, kidTypes[1]!, ra.scale);
  // Common scale: both sides at the larger one (a product needs none: its scales add).
  const s = Math.max(la.scale, ra.scale);
  const ka = op === "mul" ? 1n : pow10(s - la.scale);
  const kb = op === "mul" ? 1n : pow10(s - ra.scale);
  if (cmp) {
    const res = new Array<boolean | null>(n);
    for (let i = 0; i < n; i++) {
      const x = a[i];
      const y = b[i];
      if (x === null || y === null || x === undefined || y === undefined) res[i] = null;
      else {
        const p = x * ka;
        const q = y * kb;
        res[i] = compare(op, p < q ? -1 : p > q ? 1 : 0);
      }
    }
    return columnFromJs(res, new Bool(), formatExpr(node));
  }
  const f = DECIMAL_OPS[op];
  if (!f) throw new Error(`internal: decimal ${op}`);
  const res = new Array<bigint | null>(n);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    res[i] =
      x === null || y === null || x === undefined || y === undefined ? null : f(x * ka, y * kb);
  }
  return decimalColumn(res, out as Decimal, formatExpr(node));
}

/** Unscaled decimal arithmetic at a common scale, chosen once per column, not per row. */
const DECIMAL_OPS: Record<string, (p: bigint, q: bigint) => bigint | null> = {
  add: (p, q) => p + q,
  sub: (p, q) => p - q,
  mul: (p, q) => p * q,
  // As integer mod: by zero is null; the sign follows the dividend (SQL's %).
  mod: (p, q) => (q === 0n ? null : p % q),
};

/** Float arithmetic for a decimal with a float side; comparisons are the fallback. */
const FLOAT_OPS: Record<string, (x: number, y: number) => number> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
  mod: (x, y) => x % y,
};

function floatBinary(
  op: string,
  a: (number | null)[],
  b: (number | null)[],
  out: DataType,
  n: number,
): Data {
  const f =
    FLOAT_OPS[op] ??
    ((x: number, y: number) => compare(op, x < y ? -1 : x > y ? 1 : x === y ? 0 : Number.NaN));
  const res = new Array<number | boolean | null>(n);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    res[i] = x === null || y === null || x === undefined || y === undefined ? null : f(x, y);
  }
  return columnFromJs(res, out.typeId === Type.Bool ? new Bool() : new Float64(), "value");
}

/** `-x` of a decimal: exact, same type. */
export function decimalNeg(data: Data, type: Decimal, what: string): Data {
  return decimalColumn(
    decimalValues(data).map((v) => (v === null ? null : -v)),
    type,
    what,
  );
}
