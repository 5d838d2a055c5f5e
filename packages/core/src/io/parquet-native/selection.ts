import type { ColumnOut } from "./column-output.js";
import { reserveBytes } from "./column-output.js";
import type { Dictionary } from "./dictionary.js";
import { corrupt } from "./errors.js";

// Decoding only some rows of a column chunk: a scan whose filter has been evaluated on the
// filter's own columns decodes the other columns for the rows that passed only. `sel` holds
// those rows (ascending indexes into the row group); a page covering rows [r, r + n) owns the
// entries sel[a..b) that fall in that range, and writes them to output rows a..b.

/** Output row j = scratch row sel[j] - r, for j in [a, b): a page decoded whole, then picked. */
export function copySelected(
  scratch: ColumnOut,
  sel: Int32Array,
  a: number,
  b: number,
  r: number,
  out: ColumnOut,
): void {
  switch (scratch.kind) {
    case "fixed": {
      if (out.kind !== "fixed") break;
      const s = scratch.data;
      const d = out.data;
      if (scratch.words === 1) {
        for (let j = a; j < b; j++) d[j] = s[sel[j]! - r]!;
      } else {
        for (let j = a; j < b; j++) {
          const i = 2 * (sel[j]! - r);
          d[2 * j] = s[i]!;
          d[2 * j + 1] = s[i + 1]!;
        }
      }
      return;
    }
    case "bool": {
      if (out.kind !== "bool") break;
      copyBits(scratch.bits, sel, a, b, r, out.bits);
      return;
    }
    case "flba": {
      if (out.kind !== "flba") break;
      const w = scratch.width;
      for (let j = a; j < b; j++) {
        const i = (sel[j]! - r) * w;
        out.data.set(scratch.data.subarray(i, i + w), j * w);
      }
      return;
    }
    case "bytes": {
      if (out.kind !== "bytes") break;
      const so = scratch.offsets;
      const oo = out.offsets;
      let need = oo[a]!;
      for (let j = a; j < b; j++) {
        const i = sel[j]! - r;
        need += so[i + 1]! - so[i]!;
      }
      reserveBytes(out, need);
      const src = scratch.data;
      const dst = out.data;
      let o = oo[a]!;
      for (let j = a; j < b; j++) {
        const i = sel[j]! - r;
        let s = so[i]!;
        const e = so[i + 1]!;
        if (e - s > 32) {
          dst.set(src.subarray(s, e), o);
          o += e - s;
        } else {
          while (s < e) dst[o++] = src[s++]!;
        }
        oo[j + 1] = o;
      }
      return;
    }
  }
  throw new Error("page and column shapes differ (a bug in deft's decoder)");
}

/** Bit j of `dst` = bit sel[j] - r of `src`, for j in [a, b) (bits of `dst` from a start clear). */
export function copyBits(
  src: Uint8Array,
  sel: Int32Array,
  a: number,
  b: number,
  r: number,
  dst: Uint8Array,
): void {
  for (let j = a; j < b; j++) {
    const i = sel[j]! - r;
    if ((src[i >>> 3]! >>> (i & 7)) & 1) dst[j >>> 3]! |= 1 << (j & 7);
  }
}

function outOfRange(index: number, size: number): never {
  throw corrupt(
    `a dictionary index ${index >>> 0} is out of range (the dictionary has ${size} entries)`,
  );
}

/**
 * A dictionary page without nulls, picked: output row j gets entry idx[sel[j] - r]. Only the
 * picked entries are copied (the point of decoding by selection).
 */
export function gatherSelected(
  dict: Dictionary,
  idx: Int32Array,
  sel: Int32Array,
  a: number,
  b: number,
  r: number,
  out: ColumnOut,
): void {
  const size = dict.size;
  if (dict.kind === "fixed" && out.kind === "fixed") {
    const s = dict.data;
    const d = out.data;
    if (dict.words === 1) {
      for (let j = a; j < b; j++) {
        const k = idx[sel[j]! - r]!;
        if (k >>> 0 >= size) outOfRange(k, size);
        d[j] = s[k]!;
      }
    } else {
      for (let j = a; j < b; j++) {
        const k = idx[sel[j]! - r]!;
        if (k >>> 0 >= size) outOfRange(k, size);
        d[2 * j] = s[2 * k]!;
        d[2 * j + 1] = s[2 * k + 1]!;
      }
    }
    return;
  }
  if (dict.kind === "bytes" && out.kind === "bytes") {
    const dOff = dict.offsets;
    const oo = out.offsets;
    let need = oo[a]!;
    for (let j = a; j < b; j++) {
      const k = idx[sel[j]! - r]!;
      if (k >>> 0 >= size) outOfRange(k, size);
      need += dOff[k + 1]! - dOff[k]!;
    }
    reserveBytes(out, need);
    const src = dict.data;
    const dst = out.data;
    let o = oo[a]!;
    for (let j = a; j < b; j++) {
      const k = idx[sel[j]! - r]!;
      let s = dOff[k]!;
      const e = dOff[k + 1]!;
      if (e - s > 32) {
        dst.set(src.subarray(s, e), o);
        o += e - s;
      } else {
        while (s < e) dst[o++] = src[s++]!;
      }
      oo[j + 1] = o;
    }
    return;
  }
  if (dict.kind === "flba" && out.kind === "flba") {
    const w = dict.width;
    for (let j = a; j < b; j++) {
      const k = idx[sel[j]! - r]!;
      if (k >>> 0 >= size) outOfRange(k, size);
      out.data.set(dict.data.subarray(k * w, k * w + w), j * w);
    }
    return;
  }
  throw new Error("dictionary and column shapes differ (a bug in deft's decoder)");
}
