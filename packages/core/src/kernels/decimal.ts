// Decimal columns (Arrow Decimal32/64/128/256): each value is a two's-complement integer of
// `bitWidth` bits, stored as little-endian 32-bit words, scaled by 10^-scale. Kernels read a
// row as a bigint (the unscaled value), work exactly, and write bigints back.
import { type Data, type Decimal, makeData, Type } from "apache-arrow";
import { typeName } from "../types/dtype.js";
import { bitmapBytes } from "./bits.js";

/** 10^k as a bigint (cached). */
const POW10: bigint[] = [1n];
export function pow10(k: number): bigint {
  for (let i = POW10.length; i <= k; i++) POW10.push(POW10[i - 1]! * 10n);
  return POW10[k]!;
}

export const isDecimal = (t: { typeId: Type }): boolean => t.typeId === Type.Decimal;

/** The unscaled value of row i (no null check). */
export function decimalAt(values: Uint32Array, stride: number, i: number): bigint {
  const base = i * stride;
  let v = 0n;
  for (let w = stride - 1; w >= 0; w--) v = (v << 32n) | BigInt(values[base + w]!);
  return BigInt.asIntN(stride * 32, v);
}

/** The unscaled values of a decimal column; null where the row is null. */
export function decimalValues(data: Data): (bigint | null)[] {
  const t = data.type as Decimal;
  const stride = t.bitWidth / 32;
  const vals = data.values as Uint32Array;
  const n = data.length;
  const out = new Array<bigint | null>(n);
  const bm = data.nullCount > 0 ? data.nullBitmap : null;
  for (let i = 0; i < n; i++) {
    const j = data.offset + i;
    if (bm && ((bm[j >> 3]! >> (j & 7)) & 1) === 0) out[i] = null;
    else out[i] = decimalAt(vals, stride, i);
  }
  return out;
}

/** The largest unscaled magnitude a decimal(precision, _) holds. */
export const decimalLimit = (t: Decimal): bigint => pow10(t.precision) - 1n;

/**
 * Builds a decimal column from unscaled bigints (null is null). A value beyond the type's
 * precision is an error naming the column and row (or null when `nullOnError`).
 */
export function decimalColumn(
  values: readonly (bigint | null)[],
  type: Decimal,
  column: string,
  nullOnError = false,
): Data {
  const n = values.length;
  const stride = type.bitWidth / 32;
  const out = new Uint32Array(n * stride);
  const limit = decimalLimit(type);
  let bitmap: Uint8Array | null = null;
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    let v = values[i];
    if (v !== null && v !== undefined && (v > limit || v < -limit)) {
      if (!nullOnError) {
        throw new RangeError(
          `Column "${column}" row ${i}: ${formatDecimal(v, type.scale)} does not fit ${typeName(type)} (at most ${type.precision} digits). Cast to a wider decimal, or use { onError: "null" } to get null instead.`,
        );
      }
      v = null;
    }
    if (v === null || v === undefined) {
      if (!bitmap) bitmap = new Uint8Array(bitmapBytes(n)).fill(255);
      bitmap[i >> 3]! &= ~(1 << (i & 7));
      nulls++;
      continue;
    }
    let u = BigInt.asUintN(stride * 32, v);
    for (let w = 0; w < stride; w++) {
      out[i * stride + w] = Number(u & 0xffffffffn);
      u >>= 32n;
    }
  }
  return makeData({ type, length: n, nullCount: nulls, nullBitmap: bitmap, data: out });
}

/** An unscaled value as exact decimal text: 12345n at scale 2 is "123.45". */
export function formatDecimal(v: bigint, scale: number): string {
  const neg = v < 0n;
  let digits = (neg ? -v : v).toString();
  if (scale > 0) {
    digits = digits.padStart(scale + 1, "0");
    digits = `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  } else if (scale < 0) digits = v === 0n ? "0" : digits + "0".repeat(-scale);
  return neg ? `-${digits}` : digits;
}

/**
 * Decimal text ("-12.5", "1e3", "+.5") as an unscaled value at `scale`, rounding half away
 * from zero beyond the scale; undefined when the text is not a number.
 */
export function parseDecimal(text: string, scale: number): bigint | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) return undefined;
  const neg = m[1] === "-";
  const whole = m[2]!;
  const frac = m[3] ?? "";
  const exp = m[4] ? Number(m[4]) : 0;
  // digits * 10^(exp - frac.length) rescaled to 10^-scale
  const digits = BigInt(whole + frac || "0");
  const shift = exp - frac.length + scale;
  const v = shift >= 0 ? digits * pow10(shift) : roundDiv(digits, pow10(-shift));
  return neg ? -v : v;
}

/** a / b rounded half away from zero (b > 0). */
export function roundDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  const r = a % b;
  if (r === 0n) return q;
  const twice = (r < 0n ? -r : r) * 2n;
  if (twice >= b) return a < 0n ? q - 1n : q + 1n;
  return q;
}

/** An unscaled value moved from one scale to another (rounding half away from zero). */
export function rescale(v: bigint, from: number, to: number): bigint {
  if (to === from) return v;
  return to > from ? v * pow10(to - from) : roundDiv(v, pow10(from - to));
}

/** The nearest float64 to a decimal value (through its text: correctly rounded). */
export function decimalToNumber(v: bigint, scale: number): number {
  return Number(formatDecimal(v, scale));
}

/**
 * A decimal column as key bytes: each value big-endian with its sign bit flipped, so byte
 * order is numeric order and equal values have equal bytes (sort, group-by and join keys
 * compare and hash them as they do strings). Row i is bytes [offsets[i], offsets[i + 1]).
 */
export function decimalKeyBytes(data: Data): { offsets: Int32Array; bytes: Uint8Array } {
  const stride = (data.type as Decimal).bitWidth / 32;
  const width = stride * 4;
  const n = data.length;
  const vals = data.values as Uint32Array;
  const offsets = new Int32Array(n + 1);
  const bytes = new Uint8Array(n * width);
  for (let i = 0; i < n; i++) {
    offsets[i + 1] = (i + 1) * width;
    let o = i * width;
    for (let w = stride - 1; w >= 0; w--) {
      const x = vals[i * stride + w]!;
      bytes[o++] = x >>> 24;
      bytes[o++] = (x >>> 16) & 255;
      bytes[o++] = (x >>> 8) & 255;
      bytes[o++] = x & 255;
    }
    bytes[i * width]! ^= 0x80;
  }
  return { offsets, bytes };
}

/** The words of decimal values from their key bytes (decimalKeyBytes reversed). */
export function decimalFromKeyBytes(
  type: Decimal,
  offsets: Int32Array,
  bytes: Uint8Array,
  n: number,
): Uint32Array {
  const stride = type.bitWidth / 32;
  const out = new Uint32Array(n * stride);
  for (let g = 0; g < n; g++) {
    const start = offsets[g]!;
    if (offsets[g + 1]! - start !== stride * 4) continue; // a null key stored no bytes
    for (let w = 0; w < stride; w++) {
      const o = start + (stride - 1 - w) * 4;
      const top = w === stride - 1 ? bytes[o]! ^ 0x80 : bytes[o]!;
      out[g * stride + w] =
        ((top << 24) | (bytes[o + 1]! << 16) | (bytes[o + 2]! << 8) | bytes[o + 3]!) >>> 0;
    }
  }
  return out;
}
