// Per-value helpers the generated loops call as constants (so they fuse with what surrounds
// them): rounding with ties away from zero, at any number of digits, for floats and integers.
import type { Int } from "apache-arrow";

/** The smallest and largest value of an integer type. */
export function intRange(t: Int): [bigint, bigint] {
  const bits = BigInt(t.bitWidth);
  return t.isSigned ? [-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n] : [0n, (1n << bits) - 1n];
}

/** Rounds half away from zero (JavaScript's Math.round rounds half up). */
const halfAway = (v: number): number => (v < 0 ? -Math.round(-v) : Math.round(v));

/**
 * DuckDB's round(double, digits): scale by 10^digits, round half away from zero, scale back;
 * a value the scaling makes infinite (or NaN) comes back unchanged.
 */
export function roundFloat(digits: number): (x: number) => number {
  if (digits === 0) return halfAway;
  if (digits > 0) {
    const p = 10 ** digits;
    return (x) => {
      const r = halfAway(x * p) / p;
      return Number.isFinite(r) ? r : x;
    };
  }
  const m = 10 ** -digits;
  return (x) => {
    const r = halfAway(x / m) * m;
    return Number.isFinite(r) ? r : x;
  };
}

/**
 * Rounds an integer to a multiple of 10^-digits (digits < 0), ties away from zero; `fail`
 * reports a result outside the type (round(120::int8, -2) is 100, round(127::int8, -1) 130).
 */
export function roundInt(
  digits: number,
  type: Int,
  fail: (row: number, value: unknown) => never,
): (x: number & bigint, row: number) => number | bigint {
  const [lo, hi] = intRange(type);
  if (type.bitWidth === 64) {
    const p = 10n ** BigInt(-digits);
    return ((x: bigint, row: number) => {
      let q = x / p;
      const r = x % p;
      if (2n * (r < 0n ? -r : r) >= p) q += x < 0n ? -1n : 1n;
      const y = q * p;
      if (y < lo || y > hi) fail(row, x);
      return y;
    }) as never;
  }
  const p = 10 ** -digits;
  const min = Number(lo);
  const max = Number(hi);
  return ((x: number, row: number) => {
    let q = Math.trunc(x / p);
    const r = x - q * p;
    if (2 * Math.abs(r) >= p) q += x < 0 ? -1 : 1;
    const y = q * p;
    if (y < min || y > max) fail(row, x);
    return y;
  }) as never;
}
