// Row-wise concatenation of utf8 columns, byte for byte: the lengths are summed first, then
// every row's pieces are copied once into the output buffer.
import { type Data, makeData, Type, Utf8 } from "apache-arrow";
import { bitmapBytes, validityOf } from "./bits.js";
import { asUtf8 } from "./utf8.js";

/**
 * `sep` goes between the pieces. Without `ignoreNulls` a row with any null piece is null (SQL's
 * `||`, Polars' concat_str); with it the null pieces are left out, separators too, and a row is
 * never null (DuckDB's concat_ws).
 */
export function concatKernel(kids: Data[], sep: Uint8Array, ignoreNulls: boolean, n: number): Data {
  // An untyped null (lit(null)) is a piece that is null on every row.
  const cols = kids.map((k) => {
    if (k.typeId === Type.Null) return null;
    const d = asUtf8(k);
    return {
      offs: d.valueOffsets as Int32Array,
      bytes: d.values as Uint8Array,
      valid: validityOf(d),
    };
  });
  const present = (c: (typeof cols)[number], i: number) =>
    c !== null && (!c.valid || ((c.valid[i >> 3]! >> (i & 7)) & 1) === 1);
  const rowValid = new Uint8Array(bitmapBytes(n));
  const offsets = new Int32Array(n + 1);
  let nulls = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    let len = 0;
    let pieces = 0;
    let ok = true;
    for (const c of cols) {
      if (!present(c, i)) {
        if (!ignoreNulls) ok = false;
        continue;
      }
      len += c!.offs[i + 1]! - c!.offs[i]!;
      pieces++;
    }
    if (ok) {
      if (pieces > 1) len += sep.length * (pieces - 1);
      total += len;
      rowValid[i >> 3]! |= 1 << (i & 7);
    } else nulls++;
    offsets[i + 1] = total;
  }
  const out = new Uint8Array(total);
  for (let i = 0; i < n; i++) {
    if (((rowValid[i >> 3]! >> (i & 7)) & 1) === 0) continue;
    let pos = offsets[i]!;
    let first = true;
    for (const c of cols) {
      if (!present(c, i)) continue;
      if (!first && sep.length) {
        out.set(sep, pos);
        pos += sep.length;
      }
      first = false;
      const a = c!.offs[i]!;
      const b = c!.offs[i + 1]!;
      // Short pieces (most) are copied in the loop; a subarray per piece costs more.
      if (b - a < 32) for (let k = a; k < b; k++) out[pos++] = c!.bytes[k]!;
      else {
        out.set(c!.bytes.subarray(a, b), pos);
        pos += b - a;
      }
    }
  }
  return makeData({
    type: new Utf8(),
    length: n,
    nullCount: nulls,
    nullBitmap: nulls ? rowValid : null,
    valueOffsets: offsets,
    data: out,
  });
}
