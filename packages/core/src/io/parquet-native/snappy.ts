import { corrupt } from "./errors.js";

/**
 * Decompresses one raw Snappy block (the format Parquet's SNAPPY codec uses: a varint of the
 * uncompressed length, then literals and back-references) into exactly `size` bytes.
 */
export function snappyDecompress(input: Uint8Array, size: number): Uint8Array {
  let pos = 0;
  let declared = 0;
  let mul = 1;
  for (;;) {
    if (pos >= input.length || mul > 2 ** 28) throw corrupt("snappy: truncated length header");
    const b = input[pos++]!;
    declared += (b & 0x7f) * mul;
    if (b < 0x80) break;
    mul *= 128;
  }
  if (declared !== size) {
    throw corrupt(`snappy: the block holds ${declared} bytes but the page header says ${size}`);
  }
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  let o = 0;
  const n = input.length;
  while (pos < n) {
    const tag = input[pos++]!;
    const kind = tag & 3;
    if (kind === 0) {
      let len = tag >>> 2;
      if (len >= 60) {
        const extra = len - 59;
        if (pos + extra > n) throw corrupt("snappy: truncated literal length");
        len = 0;
        for (let i = 0; i < extra; i++) len += input[pos + i]! * 2 ** (8 * i);
        pos += extra;
      }
      len += 1;
      if (pos + len > n || o + len > size) throw corrupt("snappy: a literal runs past the block");
      if (len < 16) for (let i = 0; i < len; i++) out[o + i] = input[pos + i]!;
      else out.set(input.subarray(pos, pos + len), o);
      pos += len;
      o += len;
      continue;
    }
    let len: number;
    let offset: number;
    if (kind === 1) {
      if (pos >= n) throw corrupt("snappy: truncated copy");
      len = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | input[pos++]!;
    } else if (kind === 2) {
      if (pos + 2 > n) throw corrupt("snappy: truncated copy");
      len = (tag >>> 2) + 1;
      offset = input[pos]! | (input[pos + 1]! << 8);
      pos += 2;
    } else {
      if (pos + 4 > n) throw corrupt("snappy: truncated copy");
      len = (tag >>> 2) + 1;
      offset =
        (input[pos]! |
          (input[pos + 1]! << 8) |
          (input[pos + 2]! << 16) |
          (input[pos + 3]! << 24)) >>>
        0;
      pos += 4;
    }
    if (offset === 0 || offset > o || o + len > size) {
      throw corrupt("snappy: a copy reaches outside the decompressed data");
    }
    // Copies are short (4..64 bytes) and many: move them 4 bytes at a time while the source
    // lies at least 4 bytes back (each word is then read before it is overwritten, and the
    // last word may spill up to 3 bytes past the copy, which later output overwrites), and
    // one byte at a time where it repeats a shorter run or would spill past the block.
    let from = o - offset;
    const end = o + len;
    if (offset >= 4 && end + 3 <= size) {
      if (len > 64 && offset >= len) {
        out.copyWithin(o, from, from + len);
      } else {
        for (; o < end; o += 4, from += 4) view.setUint32(o, view.getUint32(from, true), true);
      }
      o = end;
    } else {
      while (o < end) out[o++] = out[from++]!;
    }
  }
  if (o !== size) throw corrupt(`snappy: the block decompressed to ${o} of ${size} bytes`);
  return out;
}
