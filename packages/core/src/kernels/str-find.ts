// find(sub): where a substring first occurs, as a 0-based character (code point) index that
// slice() accepts; null when it does not occur. Byte search over the batch, no decoding.
import { type Data, Int32, makeData } from "apache-arrow";
import { bitmapBytes, validityOf } from "./bits.js";
import { Finder } from "./str-search.js";

export function findKernel(data: Data, sub: Uint8Array): Data {
  const n = data.length;
  const offs = data.valueOffsets as Int32Array;
  const bytes = data.values as Uint8Array;
  const inValid = validityOf(data);
  const out = new Int32Array(n);
  const valid = new Uint8Array(bitmapBytes(n));
  const finder = sub.length ? new Finder(bytes, sub) : null;
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    const s = offs[i]!;
    const e = offs[i + 1]!;
    const at = finder ? finder.next(s) : s;
    const isValid = !inValid || ((inValid[i >> 3]! >> (i & 7)) & 1) === 1;
    if (!isValid || at === -1 || at + sub.length > e) {
      nulls++;
      continue;
    }
    let chars = 0;
    for (let k = s; k < at; k++) if ((bytes[k]! & 0xc0) !== 0x80) chars++;
    out[i] = chars;
    valid[i >> 3]! |= 1 << (i & 7);
  }
  return makeData({
    type: new Int32(),
    length: n,
    nullCount: nulls,
    nullBitmap: nulls ? valid : null,
    data: out,
  });
}
