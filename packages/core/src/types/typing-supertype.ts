// How two types meet: in arithmetic, comparisons, fillNull and the branches of when().
import {
  Binary,
  Bool,
  type DataType,
  Float32,
  Float64,
  Int8,
  Int16,
  Int32,
  Int64,
  type Int as IntType,
  Null,
  TimestampMillisecond,
  Type,
  Utf8,
} from "apache-arrow";
import type { ExprNode, LitValue } from "../expr/ast.js";
import { formatExpr } from "../expr/expr.js";
import { isBool, isNumeric, isString, isTemporal, typeName } from "./dtype.js";
import { PlanError } from "./plan-error.js";
import { asDecimal, decimalSupertype, isDecimalType } from "./typing-decimal.js";

/** The type a literal has on its own (numbers are float64, as JS numbers are doubles). */
export function literalType(value: LitValue): DataType {
  if (value === null) return new Null();
  switch (typeof value) {
    case "number":
      return new Float64();
    case "bigint":
      return new Int64();
    case "string":
      return new Utf8();
    case "boolean":
      return new Bool();
  }
  if (value instanceof Date) return new TimestampMillisecond();
  return new Binary();
}

/** A number literal is "weak": it takes the type of the column it meets (Polars does the same). */
export function isWeakNumber(node: ExprNode): boolean {
  return (
    node.kind === "lit" &&
    !node.type &&
    (typeof node.value === "number" || typeof node.value === "bigint")
  );
}

const bits = (t: DataType): number => (t as IntType).bitWidth;
const signed = (t: DataType): boolean => (t as IntType).isSigned;

function intOfBits(b: number): DataType {
  return b <= 8 ? new Int8() : b <= 16 ? new Int16() : b <= 32 ? new Int32() : new Int64();
}

/**
 * The common type of two numeric types: the wider float if either is a float (float32 only
 * when both fit it: float32 or ints of <= 16 bits), else the wider int of the same signedness,
 * else a signed int twice as wide as the unsigned side (uint64 with a signed int is int64).
 */
export function numericSupertype(a: DataType, b: DataType): DataType {
  if (a.typeId === Type.Null) return b;
  if (b.typeId === Type.Null) return a;
  if (a.typeId === Type.Float || b.typeId === Type.Float) {
    const f32 = (t: DataType) =>
      (t.typeId === Type.Float && (t as Float32).precision === 1) ||
      (t.typeId === Type.Int && bits(t) <= 16);
    return f32(a) && f32(b) ? new Float32() : new Float64();
  }
  if (signed(a) === signed(b)) return bits(a) >= bits(b) ? a : b;
  const s = signed(a) ? a : b;
  const u = signed(a) ? b : a;
  return intOfBits(Math.max(bits(s), bits(u) * 2));
}

/** The type both sides of `what` are computed in, or a PlanError naming both sides. */
export function commonType(
  l: ExprNode,
  r: ExprNode,
  lt: DataType,
  rt: DataType,
  what: string,
): DataType {
  if (lt.typeId === Type.Null) return rt;
  if (rt.typeId === Type.Null) return lt;
  if (isDecimalType(lt) || isDecimalType(rt)) {
    const a = asDecimal(l, lt);
    const b = asDecimal(r, rt);
    if (a && b) return decimalSupertype(a, b);
    // A decimal meets a float as float64 (DuckDB does the same).
    if ((isNumeric(lt) || isDecimalType(lt)) && (isNumeric(rt) || isDecimalType(rt)))
      return new Float64();
  }
  if (isNumeric(lt) && isNumeric(rt)) {
    if (isWeakNumber(r) && !isWeakNumber(l)) return weakFit(r, lt);
    if (isWeakNumber(l) && !isWeakNumber(r)) return weakFit(l, rt);
    return numericSupertype(lt, rt);
  }
  if (isString(lt) && isString(rt)) return lt;
  if (isBool(lt) && isBool(rt)) return lt;
  if (isTemporal(lt) && isTemporal(rt)) return lt;
  if (lt.typeId === Type.Duration && rt.typeId === Type.Duration) return lt;
  throw new PlanError(
    `Type mismatch in ${what}: ${formatExpr(l)} is ${typeName(lt)} but ${formatExpr(r)} is ${typeName(rt)}. Cast one side with .cast(type).`,
  );
}

/** A weak number literal next to a column of type t: keeps t when the value fits it. */
function weakFit(lit: ExprNode, t: DataType): DataType {
  const v = (lit as { value: LitValue }).value;
  if (t.typeId === Type.Float) return t;
  if (typeof v === "number" && !Number.isInteger(v)) return new Float64();
  return t;
}
