/**
 * Stable LSD radix sort of row indices by unsigned 64-bit keys given as (hi, lo) Uint32 words,
 * 16 bits per pass; passes whose digit is the same for every row are skipped (small integer
 * ranges sort in one or two passes).
 */
export function radixSortIndices(
  idx: Int32Array,
  hi: Uint32Array | null,
  lo: Uint32Array,
): Int32Array {
  const n = idx.length;
  if (n < 2) return idx;
  const words = hi ? 2 : 1;
  const hist = new Int32Array(65536 * 2 * words);
  // All histograms in one read of the keys.
  for (let i = 0; i < n; i++) {
    const l = lo[i]!;
    hist[l & 0xffff]!++;
    hist[65536 + (l >>> 16)]!++;
    if (hi) {
      const h = hi[i]!;
      hist[131072 + (h & 0xffff)]!++;
      hist[196608 + (h >>> 16)]!++;
    }
  }
  let srcIdx: Int32Array = idx;
  let srcLo: Uint32Array = lo;
  let srcHi: Uint32Array | null = hi;
  let dstIdx: Int32Array = new Int32Array(n);
  let dstLo: Uint32Array = new Uint32Array(n);
  let dstHi: Uint32Array | null = hi ? new Uint32Array(n) : null;
  const counts = new Int32Array(65536);
  for (let pass = 0; pass < 2 * words; pass++) {
    const base = pass * 65536;
    let constant = false;
    for (let d = 0; d < 65536; d++) {
      const c = hist[base + d]!;
      if (c === n) constant = true;
      if (c !== 0) break;
    }
    if (constant) continue;
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      counts[d] = sum;
      sum += hist[base + d]!;
    }
    const useHi = pass >= 2;
    const shift = (pass & 1) === 1 ? 16 : 0;
    const keys = useHi ? srcHi! : srcLo;
    for (let i = 0; i < n; i++) {
      const d = (keys[i]! >>> shift) & 0xffff;
      const to = counts[d]!++;
      dstIdx[to] = srcIdx[i]!;
      dstLo[to] = srcLo[i]!;
      if (srcHi) dstHi![to] = srcHi[i]!;
    }
    [srcIdx, dstIdx] = [dstIdx, srcIdx];
    [srcLo, dstLo] = [dstLo, srcLo];
    if (srcHi) [srcHi, dstHi] = [dstHi!, srcHi];
  }
  return srcIdx;
}
