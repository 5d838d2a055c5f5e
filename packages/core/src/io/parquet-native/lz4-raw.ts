import { corrupt } from "./errors.js";

/**
 * Decompresses one LZ4 block (Parquet's LZ4_RAW codec: sequences of literals and matches,
 * no frame) into exactly `size` bytes.
 */
export function lz4RawDecompress(input: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  const n = input.length;
  let pos = 0;
  let o = 0;
  while (pos < n) {
    const token = input[pos++]!;
    let lit = token >>> 4;
    if (lit === 15) {
      let b: number;
      do {
        if (pos >= n) throw corrupt("lz4: truncated literal length");
        b = input[pos++]!;
        lit += b;
      } while (b === 255);
    }
    if (pos + lit > n || o + lit > size) throw corrupt("lz4: a literal runs past the block");
    if (lit < 16) for (let i = 0; i < lit; i++) out[o + i] = input[pos + i]!;
    else out.set(input.subarray(pos, pos + lit), o);
    pos += lit;
    o += lit;
    // The last sequence has literals only.
    if (pos === n) break;
    if (pos + 2 > n) throw corrupt("lz4: truncated match offset");
    const offset = input[pos]! | (input[pos + 1]! << 8);
    pos += 2;
    let len = token & 15;
    if (len === 15) {
      let b: number;
      do {
        if (pos >= n) throw corrupt("lz4: truncated match length");
        b = input[pos++]!;
        len += b;
      } while (b === 255);
    }
    len += 4;
    if (offset === 0 || offset > o || o + len > size) {
      throw corrupt("lz4: a match reaches outside the decompressed data");
    }
    let from = o - offset;
    if (offset >= len && len > 32) {
      out.copyWithin(o, from, from + len);
      o += len;
    } else {
      for (const end = o + len; o < end; ) out[o++] = out[from++]!;
    }
  }
  if (o !== size) throw corrupt(`lz4: the block decompressed to ${o} of ${size} bytes`);
  return out;
}
