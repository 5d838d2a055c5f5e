// Seeded data generators shared by the workloads. Every workload builds its data once, before
// any timed run, from a fixed seed, so two runs of the suite measure the same input.

/** mulberry32: a tiny, fast 32-bit PRNG; good enough for benchmark data, and reproducible. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n uniform doubles in [0, 1). */
export function uniformFloat64(n: number, seed: number): Float64Array {
  const next = prng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = next();
  return out;
}

/** n integer keys uniform in [0, groups). */
export function uniformInt32(n: number, groups: number, seed: number): Int32Array {
  const next = prng(seed);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(next() * groups);
  return out;
}

/** The integers 0..n-1 in a seeded random order (Fisher-Yates). */
export function permutationInt32(n: number, seed: number): Int32Array {
  const next = prng(seed);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return out;
}

/** A sum that every case of a workload can be checked against (order-insensitive up to
 * rounding, so compare with a relative tolerance). */
export function sumFloat64(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return s;
}

/** Throws unless `actual` is within a relative 1e-9 of `expected`; `what` names the check. */
export function expectClose(what: string, actual: number, expected: number): void {
  const scale = Math.max(1, Math.abs(expected));
  if (!(Math.abs(actual - expected) <= 1e-9 * scale)) {
    throw new Error(`${what}: got ${actual}, expected ${expected}`);
  }
}

export function expectEqual(what: string, actual: unknown, expected: unknown): void {
  if (actual !== expected)
    throw new Error(`${what}: got ${String(actual)}, expected ${String(expected)}`);
}
