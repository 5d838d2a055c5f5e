// Floats as Polars prints them in a table: whole numbers with one decimal (`1.0`), short
// values as written, long ones to six decimals with trailing zeros dropped (`0.3` for
// 0.30000000000000004), and values of a million or more, or below a millionth, in
// scientific notation with four decimals (`3.4508e6`).

const SCIENTIFIC_BOUND = 999_999;

/** A double written out in plain decimal digits (no exponent), shortest round-trip. */
export function plainDecimal(v: number): string {
  if (Object.is(v, -0)) return "-0";
  const s = String(v);
  const e = s.indexOf("e");
  if (e < 0) return s;
  const neg = s.startsWith("-");
  const mant = s.slice(neg ? 1 : 0, e);
  const exp = Number(s.slice(e + 1));
  const [whole, frac = ""] = mant.split(".");
  const digits = whole! + frac;
  const point = whole!.length + exp;
  let out: string;
  if (point <= 0) out = `0.${"0".repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + "0".repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return neg ? `-${out}` : out;
}

/** Exponent form without a "+": 3.4508e6, 1.2000e-7. */
const exponent = (s: string): string => s.replace("e+", "e");

/** One float as a table cell. */
export function formatFloat(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  const abs = Math.abs(v);
  const whole = Number.isInteger(v);
  if (whole && abs < SCIENTIFIC_BOUND) return `${plainDecimal(v)}.0`;
  const plain = plainDecimal(v);
  if (plain.length > 9) {
    if (abs > SCIENTIFIC_BOUND || abs < 0.000001) return exponent(v.toExponential(4));
    const fixed = v.toFixed(6);
    if (!fixed.endsWith("0")) return fixed;
    const trimmed = fixed.replace(/0+$/, "");
    return trimmed.endsWith(".") ? `${trimmed}0` : trimmed;
  }
  return whole ? exponent(v.toExponential()) : plain;
}
