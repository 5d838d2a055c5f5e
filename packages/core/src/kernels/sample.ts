// Seeded per-row random numbers for sample(): a row's number depends only on the seed and
// the row's position in the input, so the same seed picks the same rows whatever the batch
// sizes or thread counts that produced the input.

/** murmur3's 32-bit finalizer: every input bit affects every output bit. */
function fmix32(x: number): number {
  let h = x;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The seed folded into one 32-bit word (seeds are any safe integer). */
export function seedWord(seed: number): number {
  const lo = (seed % 4294967296) >>> 0;
  const hi = Math.floor(seed / 4294967296) >>> 0;
  return fmix32(lo ^ Math.imul(fmix32(hi ^ 0x2545f491), 0x9e3779b1));
}

/**
 * Uniform numbers in [0, 1) with 53 random bits, one per row `from`..`from + out.length - 1`
 * (global positions, up to 2^53).
 */
export function rowUniforms(seed: number, from: number, out: Float64Array): void {
  for (let i = 0; i < out.length; i++) {
    const r = from + i;
    const lo = r >>> 0;
    const hi = Math.floor(r / 4294967296);
    const a = fmix32(fmix32(seed ^ lo) ^ Math.imul(hi + 0x632be5ab, 0x27d4eb2f));
    const b = fmix32(a ^ 0x5bd1e995);
    out[i] = (a * 2097152 + (b >>> 11)) / 9007199254740992;
  }
}
