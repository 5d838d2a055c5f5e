import { corrupt } from "./errors.js";
import { unpackGroups } from "./unpack-groups.js";

// The RLE / bit-packing hybrid (dictionary indices, boolean values, definition levels):
// runs of `varint(len << 1) value` and `varint(groups << 1 | 1)` followed by groups of 8
// values packed LSB first.

/** Reads a ULEB128 varint at `pos` (below 2^53); returns the value and the next position. */
export function readVarint(bytes: Uint8Array, pos: number, end: number): [number, number] {
  let v = 0;
  let mul = 1;
  for (let i = 0; i < 8; i++) {
    if (pos >= end) throw corrupt("a varint runs past the end of its page");
    const b = bytes[pos++]!;
    v += (b & 0x7f) * mul;
    if (b < 0x80) return [v, pos];
    mul *= 128;
  }
  throw corrupt("a varint is longer than 8 bytes");
}

/** Where the last `runHeader` ended (a second result, without an array per run). */
let afterHeader = 0;

/**
 * The run header at `pos` (a ULEB128 varint of at most 5 bytes); sets `afterHeader`. Small
 * enough to be inlined: runs can be a few values long.
 */
function runHeader(bytes: Uint8Array, pos: number, end: number): number {
  let header = 0;
  let mul = 1;
  for (;;) {
    if (pos >= end) throw corrupt("a run header runs past the end of its page");
    const b = bytes[pos++]!;
    header += (b & 0x7f) * mul;
    if (b < 0x80) break;
    mul *= 128;
    if (mul > 2 ** 35) throw corrupt("a run header is longer than 5 bytes");
  }
  afterHeader = pos;
  return header;
}

/** An RLE run's value: `valueBytes` little-endian bytes at `pos`. */
function rleValue(bytes: Uint8Array, pos: number, end: number, valueBytes: number): number {
  if (pos + valueBytes > end) throw corrupt("an RLE run's value runs past its page");
  let v = 0;
  for (let i = 0; i < valueBytes; i++) v |= bytes[pos + i]! << (8 * i);
  return v;
}

/**
 * Decodes `count` values of width `w` (0..32) from `bytes[pos..end)` into `out[o..o+count)`.
 * Returns the position after the last run read. Throws when the runs hold fewer values.
 */
export function decodeHybrid(
  bytes: Uint8Array,
  pos: number,
  end: number,
  w: number,
  out: Int32Array,
  o: number,
  count: number,
): number {
  if (w < 0 || w > 32) throw corrupt(`bit width ${w} is out of range`);
  const stop = o + count;
  const valueBytes = (w + 7) >>> 3;
  while (o < stop) {
    const header = runHeader(bytes, pos, end);
    pos = afterHeader;
    if ((header & 1) === 0) {
      const len = Math.floor(header / 2);
      if (len === 0) throw corrupt("an RLE run of length 0");
      const v = rleValue(bytes, pos, end, valueBytes);
      pos += valueBytes;
      const n = Math.min(len, stop - o);
      out.fill(v, o, o + n);
      o += n;
    } else {
      const values = Math.floor(header / 2) * 8;
      if (values === 0) throw corrupt("a bit-packed run of 0 groups");
      const n = Math.min(values, stop - o);
      // The last run may stop short of its declared groups when the page ends: only the
      // bytes of the values still needed must be present.
      const need = Math.ceil((n * w) / 8);
      if (pos + need > end) throw corrupt("a bit-packed run runs past its page");
      unpack(bytes, pos, w, out, o, n);
      o += n;
      pos = Math.min(end, pos + (values * w) / 8);
    }
  }
  return pos;
}

/**
 * The values at `rows[0..m)` (ascending positions below `count`) of the hybrid-encoded values
 * in `bytes[pos..end)` (width `w`, 1..24), into `out[0..m)`, without unpacking the others: an
 * RLE run gives its value to the picked rows it covers, a bit-packed run reads each picked
 * value at its bit offset. Runs after the last picked row are not read. Worth it when few
 * rows of a page are picked; `decodeHybrid` then `picked` is faster for many.
 */
export function decodeHybridAt(
  bytes: Uint8Array,
  pos: number,
  end: number,
  w: number,
  rows: Int32Array,
  m: number,
  out: Int32Array,
  count: number,
): void {
  if (w < 1 || w > 24) throw corrupt(`bit width ${w} is out of range for picked values`);
  const valueBytes = (w + 7) >>> 3;
  const mask = (1 << w) - 1;
  let o = 0; // the row the current run starts at
  let j = 0;
  while (j < m) {
    if (o >= count) throw new Error("internal: a picked row is past the page's values");
    const header = runHeader(bytes, pos, end);
    pos = afterHeader;
    if ((header & 1) === 0) {
      const len = Math.floor(header / 2);
      if (len === 0) throw corrupt("an RLE run of length 0");
      const v = rleValue(bytes, pos, end, valueBytes);
      pos += valueBytes;
      const stop = o + len;
      while (j < m && rows[j]! < stop) out[j++] = v;
      o = stop;
    } else {
      const values = Math.floor(header / 2) * 8;
      if (values === 0) throw corrupt("a bit-packed run of 0 groups");
      const n = Math.min(values, count - o);
      const need = Math.ceil((n * w) / 8);
      if (pos + need > end) throw corrupt("a bit-packed run runs past its page");
      const stop = o + n;
      // A value spans at most 4 bytes (w <= 24, starting at bit 0..7 of its first byte); a
      // byte past the run's last needed one reads as 0 and is masked off.
      const last = pos + need;
      for (; j < m && rows[j]! < stop; j++) {
        const bit = (rows[j]! - o) * w;
        const at = pos + (bit >>> 3);
        const word =
          bytes[at]! |
          ((at + 1 < last ? bytes[at + 1]! : 0) << 8) |
          ((at + 2 < last ? bytes[at + 2]! : 0) << 16) |
          ((at + 3 < last ? bytes[at + 3]! : 0) << 24);
        out[j] = (word >>> (bit & 7)) & mask;
      }
      o = stop;
      pos = Math.min(end, pos + (values * w) / 8);
    }
  }
}

/** Unpacks `n` LSB-first values of width `w` starting at byte `pos`. */
export function unpack(
  bytes: Uint8Array,
  pos: number,
  w: number,
  out: Int32Array,
  o: number,
  n: number,
): void {
  const stop = o + n;
  if (w === 0) {
    out.fill(0, o, stop);
    return;
  }
  if (w === 8) {
    for (; o < stop; o++) out[o] = bytes[pos++]!;
    return;
  }
  if (w === 16) {
    for (; o < stop; o++, pos += 2) out[o] = bytes[pos]! | (bytes[pos + 1]! << 8);
    return;
  }
  if (w === 32) {
    for (; o < stop; o++, pos += 4) {
      out[o] =
        bytes[pos]! | (bytes[pos + 1]! << 8) | (bytes[pos + 2]! << 16) | (bytes[pos + 3]! << 24);
    }
    return;
  }
  if (w > 24) {
    unpackWide(bytes, pos, w, out, o, n);
    return;
  }
  // Whole groups of 8 through the unrolled unpacker; the rest (a cut last group) below.
  const groups = n >>> 3;
  if (groups > 0) {
    unpackGroups(bytes, pos, w, out, o, groups);
    o += groups * 8;
    pos += groups * w;
    if (o === stop) return;
  }
  // At most w + 7 <= 31 bits are buffered, so 32-bit integer arithmetic is exact.
  const mask = (1 << w) - 1;
  let buf = 0;
  let bits = 0;
  for (; o < stop; o++) {
    while (bits < w) {
      buf |= bytes[pos++]! << bits;
      bits += 8;
    }
    out[o] = buf & mask;
    buf >>>= w;
    bits -= w;
  }
}

/** Widths 25..31: buffered in a double (up to 39 bits), exact below 2^53. */
function unpackWide(
  bytes: Uint8Array,
  pos: number,
  w: number,
  out: Int32Array,
  o: number,
  n: number,
): void {
  const stop = o + n;
  const div = 2 ** w;
  let buf = 0;
  let scale = 1;
  for (; o < stop; o++) {
    while (scale < div) {
      buf += bytes[pos++]! * scale;
      scale *= 256;
    }
    const v = buf % div;
    out[o] = v;
    buf = (buf - v) / div;
    scale /= div;
  }
}

/**
 * Decodes a hybrid stream of width 1 (definition levels of an optional column, boolean
 * values) straight into a bitmap at bit `at`; returns [ones, next position]. Any value other
 * than 0 or 1 is corrupt.
 */
export function decodeBitsHybrid(
  bytes: Uint8Array,
  pos: number,
  end: number,
  bitmap: Uint8Array,
  at: number,
  count: number,
): [number, number] {
  let o = 0;
  let ones = 0;
  while (o < count) {
    const [header, p] = readVarint(bytes, pos, end);
    pos = p;
    if ((header & 1) === 0) {
      const len = Math.floor(header / 2);
      if (len === 0) throw corrupt("an RLE run of length 0");
      if (pos >= end) throw corrupt("an RLE run's value runs past its page");
      const v = bytes[pos++]!;
      if (v > 1) throw corrupt(`a level or boolean run has value ${v}, expected 0 or 1`);
      const n = Math.min(len, count - o);
      if (v === 1) {
        setBits(bitmap, at + o, n);
        ones += n;
      }
      o += n;
    } else {
      const values = Math.floor(header / 2) * 8;
      if (values === 0) throw corrupt("a bit-packed run of 0 groups");
      const n = Math.min(values, count - o);
      const need = (n + 7) >>> 3;
      if (pos + need > end) throw corrupt("a bit-packed run runs past its page");
      ones += copyBits(bytes, pos, bitmap, at + o, n);
      o += n;
      pos = Math.min(end, pos + values / 8);
    }
  }
  return [ones, pos];
}

/** Sets bits [from, from + n) of `bitmap`. */
export function setBits(bitmap: Uint8Array, from: number, n: number): void {
  let i = from;
  const end = from + n;
  while (i < end && (i & 7) !== 0) {
    bitmap[i >>> 3]! |= 1 << (i & 7);
    i++;
  }
  const full = (end - i) >>> 3;
  if (full > 0) {
    bitmap.fill(0xff, i >>> 3, (i >>> 3) + full);
    i += full * 8;
  }
  for (; i < end; i++) bitmap[i >>> 3]! |= 1 << (i & 7);
}

/**
 * ORs `n` bits from `src` (starting at byte `pos`, bit 0) into `dst` at bit `at` (whose bits
 * there are 0); returns how many were ones.
 */
export function copyBits(
  src: Uint8Array,
  pos: number,
  dst: Uint8Array,
  at: number,
  n: number,
): number {
  let ones = 0;
  const shift = at & 7;
  const fullBytes = n >>> 3;
  let d = at >>> 3;
  if (shift === 0) {
    for (let i = 0; i < fullBytes; i++) {
      const b = src[pos + i]!;
      dst[d + i] = b;
      ones += POPCOUNT[b]!;
    }
  } else {
    for (let i = 0; i < fullBytes; i++) {
      const b = src[pos + i]!;
      dst[d + i]! |= (b << shift) & 0xff;
      dst[d + i + 1]! |= b >>> (8 - shift);
      ones += POPCOUNT[b]!;
    }
  }
  const rest = n & 7;
  if (rest > 0) {
    const b = src[pos + fullBytes]! & ((1 << rest) - 1);
    ones += POPCOUNT[b]!;
    const bit = at + fullBytes * 8;
    d = bit >>> 3;
    const s = bit & 7;
    dst[d]! |= (b << s) & 0xff;
    if (s + rest > 8) dst[d + 1]! |= b >>> (8 - s);
  }
  return ones;
}

export const POPCOUNT: Uint8Array = (() => {
  const t = new Uint8Array(256);
  for (let i = 1; i < 256; i++) t[i] = (i & 1) + t[i >>> 1]!;
  return t;
})();
