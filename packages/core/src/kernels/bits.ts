import { type Data, Int32, makeData } from "apache-arrow";

/** Bytes needed for a bitmap of n bits, rounded up to 8 bytes as Arrow prefers. */
export const bitmapBytes = (n: number): number => ((n + 63) >> 6) << 3;

/** Whether row i of `data` is valid (non-null). Not for hot loops: inline the bit test there. */
export function isValid(data: Data, i: number): boolean {
  const bm = data.nullBitmap;
  if (!bm || bm.length === 0 || data.nullCount === 0) return true;
  const j = data.offset + i;
  return ((bm[j >> 3]! >> (j & 7)) & 1) === 1;
}

/** A validity bitmap for `data` re-based to offset 0, or null when there are no nulls. */
export function validityOf(data: Data): Uint8Array | null {
  const bm = data.nullBitmap;
  if (!bm || bm.length === 0 || data.nullCount === 0) return null;
  if (data.offset === 0) return bm;
  return copyBits(bm, data.offset, data.length);
}

/** An int32 column of `values` carrying `data`'s nulls (per-row lengths of strings or lists). */
export function int32WithNullsOf(data: Data, values: Int32Array): Data<Int32> {
  const validity = validityOf(data);
  return makeData({
    type: new Int32(),
    length: data.length,
    nullCount: validity ? data.nullCount : 0,
    nullBitmap: validity,
    data: values,
  });
}

/** Copies `length` bits starting at bit `offset` into a new bitmap starting at bit 0. */
export function copyBits(src: Uint8Array, offset: number, length: number): Uint8Array {
  const out = new Uint8Array(bitmapBytes(length));
  if ((offset & 7) === 0) {
    out.set(src.subarray(offset >> 3, (offset >> 3) + ((length + 7) >> 3)));
    return out;
  }
  for (let i = 0; i < length; i++) {
    const j = offset + i;
    if ((src[j >> 3]! >> (j & 7)) & 1) out[i >> 3]! |= 1 << (i & 7);
  }
  return out;
}

/** Counts zero bits among the first n bits (the null count of a validity bitmap). */
export function countNulls(bitmap: Uint8Array, n: number): number {
  let set = 0;
  const full = n >> 3;
  for (let i = 0; i < full; i++) set += POPCOUNT[bitmap[i]!]!;
  for (let i = full << 3; i < n; i++) set += (bitmap[i >> 3]! >> (i & 7)) & 1;
  return n - set;
}

const POPCOUNT = (() => {
  const t = new Uint8Array(256);
  for (let i = 0; i < 256; i++) t[i] = (i & 1) + t[i >> 1]!;
  return t;
})();

/** Builds a bitmap from a byte-per-row array of 0/1; returns null when all are 1. */
export function packBits(
  bytes: Uint8Array,
  n: number,
): { bitmap: Uint8Array | null; nulls: number } {
  const out = new Uint8Array(bitmapBytes(n));
  let zeros = 0;
  for (let i = 0; i < n; i++) {
    if (bytes[i]) out[i >> 3]! |= 1 << (i & 7);
    else zeros++;
  }
  return zeros === 0 ? { bitmap: null, nulls: 0 } : { bitmap: out, nulls: zeros };
}
