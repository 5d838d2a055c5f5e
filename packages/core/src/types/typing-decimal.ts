// Result types of decimal arithmetic. Scales follow DuckDB (and the SQL standard): a sum or
// difference keeps the larger scale, a product adds the scales, a remainder keeps the larger
// scale, a quotient is float64. Precision is what the exact result can need (one more integer
// digit for a sum, the digits of both sides for a product), at most 38; DuckDB keeps narrower
// precisions and checks overflow at run time, so its types can name fewer digits.
import { type DataType, Decimal, Float64, type Int, Type } from "apache-arrow";
import type { ExprNode, LitValue } from "../expr/ast.js";
import { PlanError } from "./plan-error.js";

export const MAX_DECIMAL_PRECISION = 38;

export const isDecimalType = (t: DataType): boolean => t.typeId === Type.Decimal;

/** An integer type as the decimal that holds all its values (int32 -> decimal(10, 0)). */
export function intAsDecimal(t: Int): Decimal {
  const digits: Record<number, number> = { 8: 3, 16: 5, 32: 10, 64: t.isSigned ? 19 : 20 };
  return new Decimal(0, digits[t.bitWidth]!, 128);
}

/**
 * A JS number or bigint literal as the decimal written the same way (2 -> decimal(1, 0), 1.25 ->
 * decimal(3, 2)); undefined when its text has an exponent (1e-7): then it meets as float64.
 */
export function literalAsDecimal(value: LitValue): Decimal | undefined {
  if (typeof value !== "number" && typeof value !== "bigint") return undefined;
  const text = String(value).replace(/^-/, "");
  if (!/^\d+(\.\d+)?$/.test(text)) return undefined;
  const [whole, frac = ""] = text.split(".");
  const digits = whole!.replace(/^0+/, "").length + frac.length;
  if (digits > MAX_DECIMAL_PRECISION) return undefined;
  return new Decimal(frac.length, Math.max(1, digits), 128);
}

/** A side of a decimal operation as a decimal, or null when it makes the operation float64. */
export function asDecimal(node: ExprNode, t: DataType): Decimal | null {
  if (t.typeId === Type.Decimal) return t as Decimal;
  if (t.typeId === Type.Int) return intAsDecimal(t as Int);
  if (node.kind === "lit" && !node.type) return literalAsDecimal(node.value) ?? null;
  return null;
}

const cap = (p: number) => Math.min(MAX_DECIMAL_PRECISION, p);

/** The type of `op` over two decimals. */
export function decimalResult(op: string, a: Decimal, b: Decimal, what: string): DataType {
  const whole = Math.max(a.precision - a.scale, b.precision - b.scale);
  switch (op) {
    case "add":
    case "sub": {
      const s = Math.max(a.scale, b.scale);
      return new Decimal(s, cap(whole + s + 1), 128);
    }
    case "mul": {
      const s = a.scale + b.scale;
      if (s > MAX_DECIMAL_PRECISION) {
        throw new PlanError(
          `${what}: the product of ${a.scale} and ${b.scale} decimal places has ${s}, more than ${MAX_DECIMAL_PRECISION}; cast one side to fewer decimal places or to float64.`,
        );
      }
      return new Decimal(s, cap(Math.max(a.precision + b.precision, s)), 128);
    }
    case "mod": {
      const s = Math.max(a.scale, b.scale);
      return new Decimal(s, cap(whole + s), 128);
    }
    default:
      return new Float64();
  }
}

/** The common decimal of two (fillNull, when, comparisons): every digit of both. */
export function decimalSupertype(a: Decimal, b: Decimal): Decimal {
  const s = Math.max(a.scale, b.scale);
  const whole = Math.max(a.precision - a.scale, b.precision - b.scale);
  return new Decimal(s, cap(whole + s), 128);
}
