import type { BytesOut, FlbaOut } from "./column-output.js";
import { reserveBytes } from "./column-output.js";
import { corrupt } from "./errors.js";
import { readVarint, unpack } from "./rle-bitpacked.js";

// DELTA_BINARY_PACKED (INT32, INT64) and the byte-array encodings built on it. 64-bit
// arithmetic runs on pairs of 32-bit words (low, high), wrapping as the format requires,
// so no value ever becomes a BigInt.

const TWO32 = 2 ** 32;

/** Reads a ULEB128 varint of up to 64 bits; returns [low, high, next position]. */
function varint64(bytes: Uint8Array, pos: number, end: number): [number, number, number] {
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < 10; i++) {
    if (pos >= end) throw corrupt("a delta header runs past the end of its page");
    const b = bytes[pos++]!;
    const v = b & 0x7f;
    const s = 7 * i;
    if (s < 28) lo += v * 2 ** s;
    else if (s === 28) {
      lo += (v & 0xf) * 2 ** 28;
      hi += v >>> 4;
    } else if (s < 64) hi += v * 2 ** (s - 32);
    if (b < 0x80) return [lo >>> 0, (hi % TWO32) >>> 0, pos];
  }
  throw corrupt("a delta header has a varint longer than 10 bytes");
}

/** The zigzag-decoded 64-bit varint as [low, high] words (two's complement). */
function zigzag64(bytes: Uint8Array, pos: number, end: number): [number, number, number] {
  const [lo, hi, p] = varint64(bytes, pos, end);
  let l = ((lo >>> 1) | (hi << 31)) >>> 0;
  let h = hi >>> 1;
  if (lo & 1) {
    l = ~l >>> 0;
    h = ~h >>> 0;
  }
  return [l, h, p];
}

/** `n` (<= 32) bits at bit position `at` of `bytes`, as an unsigned number. */
function bitsAt(bytes: Uint8Array, at: number, n: number): number {
  let byte = Math.floor(at / 8);
  const shift = at % 8;
  let v = bytes[byte++]! >>> shift;
  let got = 8 - shift;
  let mul = 2 ** got;
  while (got < n) {
    v += bytes[byte++]! * mul;
    mul *= 256;
    got += 8;
  }
  return v % 2 ** n;
}

/**
 * Decodes a DELTA_BINARY_PACKED stream of exactly `k` values into `dst` as `words` (1: INT32,
 * 2: INT64 low/high) 32-bit words per value from word `o`. Returns the position after the
 * stream (the byte-array encodings continue there).
 */
export function deltaBinaryPacked(
  page: Uint8Array,
  pos: number,
  end: number,
  k: number,
  dst: Int32Array,
  o: number,
  words: number,
): number {
  let p: number;
  let blockSize: number;
  let miniblocks: number;
  let total: number;
  [blockSize, p] = readVarint(page, pos, end);
  [miniblocks, p] = readVarint(page, p, end);
  [total, p] = readVarint(page, p, end);
  if (
    blockSize === 0 ||
    blockSize % 128 !== 0 ||
    miniblocks === 0 ||
    blockSize % miniblocks !== 0
  ) {
    throw corrupt(`a delta block of ${blockSize} values in ${miniblocks} miniblocks is invalid`);
  }
  const per = blockSize / miniblocks;
  if (per % 32 !== 0) throw corrupt(`delta miniblocks of ${per} values are invalid`);
  if (total !== k) {
    throw corrupt(`a delta stream holds ${total} values where the page has ${k}`);
  }
  let [lo, hi, q] = zigzag64(page, p, end);
  p = q;
  if (k === 0) return p;
  dst[o * words] = lo;
  if (words === 2) dst[o * 2 + 1] = hi;
  let done = 1;
  const tmp = new Int32Array(per);
  const tmpHi = words === 2 ? new Int32Array(per) : undefined;
  while (done < k) {
    const [mlo, mhi, afterMin] = zigzag64(page, p, end);
    p = afterMin;
    if (p + miniblocks > end) throw corrupt("a delta block's bit widths run past its page");
    const widthsAt = p;
    p += miniblocks;
    for (let m = 0; m < miniblocks && done < k; m++) {
      const w = page[widthsAt + m]!;
      // INT32 deltas wider than 32 bits (DuckDB writes 33 for UINT_32) still add up right
      // modulo 2^32, so only their low words are kept.
      if (w > 64) throw corrupt(`a delta miniblock has bit width ${w}`);
      const n = Math.min(per, k - done);
      const bytes = (per * w) / 8;
      if (p + Math.ceil((n * w) / 8) > end) throw corrupt("a delta miniblock runs past its page");
      if (w <= 32) {
        unpack(page, p, w, tmp, 0, n);
        tmpHi?.fill(0, 0, n);
      } else {
        for (let i = 0; i < n; i++) {
          tmp[i] = bitsAt(page, p * 8 + i * w, 32);
          if (tmpHi) tmpHi[i] = bitsAt(page, p * 8 + i * w + 32, w - 32);
        }
      }
      p += bytes;
      let at = (o + done) * words;
      if (words === 1) {
        for (let i = 0; i < n; i++) {
          lo = (lo + mlo + (tmp[i]! >>> 0)) | 0;
          dst[at++] = lo;
        }
      } else {
        for (let i = 0; i < n; i++) {
          // value += minDelta + delta, in 64 bits with carries.
          let l = lo + mlo + (tmp[i]! >>> 0);
          const carry = l >= TWO32 * 2 ? 2 : l >= TWO32 ? 1 : 0;
          l -= carry * TWO32;
          hi = (hi + mhi + (tmpHi![i]! >>> 0) + carry) >>> 0;
          lo = l;
          dst[at++] = lo;
          dst[at++] = hi;
        }
      }
      done += n;
    }
  }
  return Math.min(p, end);
}

/** DELTA_LENGTH_BYTE_ARRAY: the lengths delta-packed, then all bytes back to back. */
export function deltaLengthByteArray(
  page: Uint8Array,
  pos: number,
  end: number,
  k: number,
  out: BytesOut,
  r: number,
): number {
  const lens = new Int32Array(k);
  let p = deltaBinaryPacked(page, pos, end, k, lens, 0, 1);
  const offsets = out.offsets;
  let o = offsets[r]!;
  let total = 0;
  for (let i = 0; i < k; i++) {
    const len = lens[i]!;
    if (len < 0) throw corrupt(`a byte array has negative length ${len}`);
    total += len;
  }
  if (p + total > end) throw corrupt("the page holds fewer byte-array bytes than its lengths say");
  reserveBytes(out, o + total);
  out.data.set(page.subarray(p, p + total), o);
  for (let i = 0; i < k; i++) {
    o += lens[i]!;
    offsets[r + i + 1] = o;
  }
  p += total;
  return p;
}

/**
 * DELTA_BYTE_ARRAY: each value is a prefix of the previous one (in this page) plus a suffix;
 * prefix lengths and suffixes (DELTA_LENGTH_BYTE_ARRAY) follow each other.
 */
export function deltaByteArray(
  page: Uint8Array,
  pos: number,
  end: number,
  k: number,
  out: BytesOut,
  r: number,
): number {
  const prefixes = new Int32Array(k);
  let p = deltaBinaryPacked(page, pos, end, k, prefixes, 0, 1);
  const suffixes = new Int32Array(k);
  p = deltaBinaryPacked(page, p, end, k, suffixes, 0, 1);
  let total = 0;
  let sfx = 0;
  let prev = 0;
  for (let i = 0; i < k; i++) {
    const pre = prefixes[i]!;
    const suf = suffixes[i]!;
    if (pre < 0 || suf < 0 || pre > prev) {
      throw corrupt(`a delta string has prefix ${pre} of a previous value of ${prev} bytes`);
    }
    prev = pre + suf;
    total += prev;
    sfx += suf;
  }
  if (p + sfx > end) throw corrupt("the page holds fewer suffix bytes than its lengths say");
  const offsets = out.offsets;
  let o = offsets[r]!;
  reserveBytes(out, o + total);
  const data = out.data;
  let start = o;
  for (let i = 0; i < k; i++) {
    const pre = prefixes[i]!;
    const suf = suffixes[i]!;
    // The prefix comes from the previous value, already written just before.
    data.copyWithin(o, start, start + pre);
    start = o;
    o += pre;
    data.set(page.subarray(p, p + suf), o);
    p += suf;
    o += suf;
    offsets[r + i + 1] = o;
  }
  return p;
}

/** DELTA_BYTE_ARRAY for FIXED_LEN_BYTE_ARRAY: every value must have the column's width. */
export function deltaByteArrayFixed(
  page: Uint8Array,
  pos: number,
  end: number,
  k: number,
  out: FlbaOut,
  r: number,
): number {
  const tmp: BytesOut = {
    kind: "bytes",
    offsets: new Int32Array(k + 1),
    data: new Uint8Array(k * out.width),
  };
  const p = deltaByteArray(page, pos, end, k, tmp, 0);
  for (let i = 0; i < k; i++) {
    if (tmp.offsets[i + 1]! - tmp.offsets[i]! !== out.width) {
      throw corrupt(
        `a fixed-length value of ${tmp.offsets[i + 1]! - tmp.offsets[i]!} bytes in a column of width ${out.width}`,
      );
    }
  }
  out.data.set(tmp.data.subarray(0, k * out.width), r * out.width);
  return p;
}
