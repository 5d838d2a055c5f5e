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
  // Passes whose digit is the same for every row are skipped.
  const active: number[] = [];
  for (let pass = 0; pass < 2 * words; pass++) {
    const base = pass * 65536;
    let constant = false;
    for (let d = 0; d < 65536; d++) {
      const c = hist[base + d]!;
      if (c === n) constant = true;
      if (c !== 0) break;
    }
    if (!constant) active.push(pass);
  }
  let srcIdx: Int32Array = idx;
  let srcLo: Uint32Array = lo;
  let srcHi: Uint32Array | null = hi;
  let dstIdx: Int32Array = new Int32Array(n);
  let dstLo: Uint32Array | null = null;
  let dstHi: Uint32Array | null = null;
  const counts = new Int32Array(65536);
  for (let a = 0; a < active.length; a++) {
    const pass = active[a]!;
    const base = pass * 65536;
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      counts[d] = sum;
      sum += hist[base + d]!;
    }
    // A key word moves with the rows only while a later pass still reads it: each word
    // skipped saves a scattered write of n values per pass.
    const later = active.slice(a + 1);
    const moveLo = later.some((p) => p < 2);
    const moveHi = later.some((p) => p >= 2);
    if (moveLo) dstLo ??= new Uint32Array(n);
    if (moveHi) dstHi ??= new Uint32Array(n);
    const shift = (pass & 1) === 1 ? 16 : 0;
    const keys = pass >= 2 ? srcHi! : srcLo;
    const sIdx = srcIdx;
    const dIdx = dstIdx;
    if (moveLo && moveHi) {
      const sLo = srcLo;
      const dLo = dstLo!;
      const sHi = srcHi!;
      const dHi = dstHi!;
      for (let i = 0; i < n; i++) {
        const to = counts[(keys[i]! >>> shift) & 0xffff]!++;
        dIdx[to] = sIdx[i]!;
        dLo[to] = sLo[i]!;
        dHi[to] = sHi[i]!;
      }
    } else if (moveLo || moveHi) {
      const sW = moveLo ? srcLo : srcHi!;
      const dW = moveLo ? dstLo! : dstHi!;
      for (let i = 0; i < n; i++) {
        const to = counts[(keys[i]! >>> shift) & 0xffff]!++;
        dIdx[to] = sIdx[i]!;
        dW[to] = sW[i]!;
      }
    } else {
      for (let i = 0; i < n; i++) dIdx[counts[(keys[i]! >>> shift) & 0xffff]!++] = sIdx[i]!;
    }
    [srcIdx, dstIdx] = [dstIdx, srcIdx];
    if (moveLo) [srcLo, dstLo] = [dstLo!, srcLo];
    if (moveHi) [srcHi, dstHi] = [dstHi!, srcHi];
  }
  return srcIdx;
}
