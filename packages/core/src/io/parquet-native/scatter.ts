import type { ColumnOut } from "./column-output.js";

// Spreads a page's `k` values, written packed from row `r`, over its `n` rows [r, r + n):
// row i gets the next value when bit i of `valid` is set, else stays empty (zero, or an
// empty string). Walks backwards so it works in place: value j never lies after row i.

const bit = (valid: Uint8Array, i: number): number => (valid[i >>> 3]! >>> (i & 7)) & 1;

export function scatter(out: ColumnOut, valid: Uint8Array, r: number, n: number, k: number): void {
  let j = r + k;
  switch (out.kind) {
    case "fixed": {
      const d = out.data;
      if (out.words === 1) {
        for (let i = r + n - 1; i >= r; i--) d[i] = bit(valid, i) ? d[--j]! : 0;
      } else {
        for (let i = r + n - 1; i >= r; i--) {
          if (bit(valid, i)) {
            j--;
            d[2 * i] = d[2 * j]!;
            d[2 * i + 1] = d[2 * j + 1]!;
          } else {
            d[2 * i] = 0;
            d[2 * i + 1] = 0;
          }
        }
      }
      return;
    }
    case "bool": {
      const b = out.bits;
      for (let i = r + n - 1; i >= r; i--) {
        const v = bit(valid, i) ? bit(b, --j) : 0;
        if (v) b[i >>> 3]! |= 1 << (i & 7);
        else b[i >>> 3]! &= ~(1 << (i & 7));
      }
      return;
    }
    case "flba": {
      const w = out.width;
      const d = out.data;
      for (let i = r + n - 1; i >= r; i--) {
        if (bit(valid, i)) {
          j--;
          if (j !== i) d.copyWithin(i * w, j * w, j * w + w);
        } else {
          d.fill(0, i * w, i * w + w);
        }
      }
      return;
    }
    case "bytes": {
      // Offsets: row i spans [off[i], off[i+1]); the packed values' offsets sit at r..r+k.
      const off = out.offsets;
      off[r + n] = off[r + k]!;
      for (let i = r + n - 1; i >= r; i--) off[i] = bit(valid, i) ? off[--j]! : off[i + 1]!;
      return;
    }
  }
}
