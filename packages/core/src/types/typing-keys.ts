// Which types can be keys: grouped, joined, sorted, made distinct, counted distinct, or
// compared by min/max. A key type has one total order and one hash, chosen by its class.
import type { DataType, Int } from "apache-arrow";
import { Type } from "apache-arrow";
import type { ExprNode } from "../expr/ast.js";
import { formatExpr } from "../expr/expr.js";
import { typeName } from "./dtype.js";
import { PlanError } from "./plan-error.js";

/**
 * How a key column is hashed and compared:
 * - "num": integers up to 32 bits, date32, time32 (read as JS numbers from their typed array)
 * - "float": float32/float64; -0 equals 0 and every NaN equals every NaN (Polars' total order)
 * - "i64": int64/uint64, date64, timestamps, time64, durations (compared as two 32-bit words)
 * - "bool", "bytes" (utf8 and binary, compared byte by byte; decimals as bytes whose order is
 *   their numeric order)
 */
export type KeyKind = "num" | "float" | "i64" | "bool" | "bytes";

/** The key class of a type, or null when it cannot be a key (float16, lists, structs, null). */
export function keyKindOf(type: DataType): KeyKind | null {
  switch (type.typeId) {
    case Type.Int:
      return (type as Int).bitWidth === 64 ? "i64" : "num";
    case Type.Float:
      return (type as unknown as { precision: number }).precision === 0 ? null : "float";
    case Type.Date:
    case Type.Time:
      return (type as unknown as { ArrayType: unknown }).ArrayType === Int32Array ? "num" : "i64";
    case Type.Timestamp:
    case Type.Duration:
      return "i64";
    case Type.Bool:
      return "bool";
    case Type.Utf8:
    case Type.Binary:
    case Type.Decimal: // as order-preserving bytes (kernels/decimal.ts decimalKeyBytes)
      return "bytes";
    default:
      return null;
  }
}

export const isKeyType = (type: DataType): boolean => keyKindOf(type) !== null;

/** Throws a PlanError naming the expression when its type cannot be a key of `where`. */
export function requireKeyType(type: DataType, expr: ExprNode, where: string): void {
  if (!isKeyType(type)) {
    throw new PlanError(
      `${where}: ${formatExpr(expr)} has type ${typeName(type)}, which cannot be used as a key. Keys may be integers, floats, decimals, bools, utf8, binary, dates or timestamps; cast it (e.g. .cast("utf8")) or leave it out.`,
    );
  }
}
