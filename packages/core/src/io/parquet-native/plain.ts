import type { BoolOut, BytesOut, FixedOut, FlbaOut } from "./column-output.js";
import { reserveBytes } from "./column-output.js";
import { corrupt } from "./errors.js";
import { copyBits } from "./rle-bitpacked.js";

// PLAIN encoding: values back to back, little endian; booleans bit-packed LSB first;
// BYTE_ARRAY as a 4-byte length then the bytes. Each writes `k` values packed at row `r`.

function short(what: string): never {
  throw corrupt(`the page holds fewer ${what} values than its header says`);
}

export function plainFixed(
  page: Uint8Array,
  pos: number,
  end: number,
  k: number,
  out: FixedOut,
  r: number,
): number {
  const bytes = k * out.words * 4;
  if (pos + bytes > end) short("fixed-width");
  // A byte copy: the page's bytes need not be 4-byte aligned.
  new Uint8Array(out.data.buffer, out.data.byteOffset).set(
    page.subarray(pos, pos + bytes),
    r * out.words * 4,
  );
  return pos + bytes;
}

export function plainBool(
  page: Uint8Array,
  pos: number,
  end: number,
  k: number,
  out: BoolOut,
  r: number,
): number {
  const bytes = (k + 7) >>> 3;
  if (pos + bytes > end) short("boolean");
  copyBits(page, pos, out.bits, r, k);
  return pos + bytes;
}

export function plainFlba(
  page: Uint8Array,
  pos: number,
  end: number,
  k: number,
  out: FlbaOut,
  r: number,
): number {
  const bytes = k * out.width;
  if (pos + bytes > end) short("fixed-length byte array");
  out.data.set(page.subarray(pos, pos + bytes), r * out.width);
  return pos + bytes;
}

/** Appends `k` length-prefixed byte arrays; offsets[r] must already hold the start. */
export function plainBytes(
  page: Uint8Array,
  pos: number,
  end: number,
  k: number,
  out: BytesOut,
  r: number,
): number {
  const offsets = out.offsets;
  let o = offsets[r]!;
  // The values take at most the rest of the page, so one reservation covers them.
  reserveBytes(out, o + Math.max(0, end - pos - 4 * k));
  const data = out.data;
  for (let i = 0; i < k; i++) {
    if (pos + 4 > end) short("byte array");
    const len =
      (page[pos]! | (page[pos + 1]! << 8) | (page[pos + 2]! << 16) | (page[pos + 3]! << 24)) >>> 0;
    pos += 4;
    if (pos + len > end) short("byte array");
    if (len < 24) {
      for (let j = 0; j < len; j++) data[o + j] = page[pos + j]!;
    } else {
      data.set(page.subarray(pos, pos + len), o);
    }
    pos += len;
    o += len;
    offsets[r + i + 1] = o;
  }
  return pos;
}
