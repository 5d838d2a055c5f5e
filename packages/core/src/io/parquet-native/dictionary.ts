import type { BytesOut, ColumnOut, FixedOut, FlbaOut } from "./column-output.js";
import { reserveBytes } from "./column-output.js";
import { corrupt } from "./errors.js";
import { plainBytes, plainFixed, plainFlba } from "./plain.js";

/** A column chunk's dictionary page, decoded once: the values data pages index into. */
export type Dictionary = (FixedOut | BytesOut | FlbaOut) & {
  size: number;
  /** The longest entry's length in bytes, measured on first use (byte-array dictionaries). */
  longest?: number;
};

/** Decodes a dictionary page (PLAIN values) in the shape of the column's output. */
export function readDictionary(
  like: ColumnOut,
  page: Uint8Array,
  pos: number,
  end: number,
  n: number,
): Dictionary {
  switch (like.kind) {
    case "fixed": {
      const d: Dictionary = {
        kind: "fixed",
        words: like.words,
        data: new Int32Array(n * like.words),
        size: n,
      };
      plainFixed(page, pos, end, n, d, 0);
      return d;
    }
    case "flba": {
      const d: Dictionary = {
        kind: "flba",
        width: like.width,
        data: new Uint8Array(n * like.width),
        size: n,
      };
      plainFlba(page, pos, end, n, d, 0);
      return d;
    }
    case "bytes": {
      const d: Dictionary = {
        kind: "bytes",
        offsets: new Int32Array(n + 1),
        data: new Uint8Array(Math.max(0, end - pos - 4 * n)),
        size: n,
      };
      plainBytes(page, pos, end, n, d, 0);
      return d;
    }
    case "bool":
      throw corrupt("a boolean column has a dictionary page");
  }
}

function outOfRange(index: number, size: number): never {
  throw corrupt(
    `a dictionary index ${index >>> 0} is out of range (the dictionary has ${size} entries)`,
  );
}

/** Writes the dictionary entries `idx[0..k)` packed at row `r` of `out`. */
export function gather(
  dict: Dictionary,
  idx: Int32Array,
  k: number,
  out: ColumnOut,
  r: number,
): void {
  // One monomorphic loop per shape: a shared loop over differently typed arrays is slow.
  if (dict.kind === "fixed" && out.kind === "fixed") {
    if (dict.words === 1) gatherWords(dict.data, dict.size, idx, k, out.data, r);
    else gatherPairs(dict.data, dict.size, idx, k, out.data, r);
  } else if (dict.kind === "bytes" && out.kind === "bytes") {
    gatherBytes(dict, idx, k, out, r);
  } else if (dict.kind === "flba" && out.kind === "flba") {
    gatherFixedBytes(dict.data, dict.width, dict.size, idx, k, out.data, r);
  } else {
    throw new Error("dictionary and column shapes differ (a bug in deft's decoder)");
  }
}

function gatherWords(
  src: Int32Array,
  size: number,
  idx: Int32Array,
  k: number,
  dst: Int32Array,
  r: number,
): void {
  for (let i = 0; i < k; i++) {
    const d = idx[i]!;
    if (d >>> 0 >= size) outOfRange(d, size);
    dst[r + i] = src[d]!;
  }
}

function gatherPairs(
  src: Int32Array,
  size: number,
  idx: Int32Array,
  k: number,
  dst: Int32Array,
  r: number,
): void {
  let o = r * 2;
  for (let i = 0; i < k; i++) {
    const d = idx[i]!;
    if (d >>> 0 >= size) outOfRange(d, size);
    dst[o] = src[2 * d]!;
    dst[o + 1] = src[2 * d + 1]!;
    o += 2;
  }
}

function gatherBytes(
  dict: Dictionary & { kind: "bytes" },
  idx: Int32Array,
  k: number,
  out: BytesOut,
  r: number,
): void {
  const size = dict.size;
  const dOff = dict.offsets;
  const offsets = out.offsets;
  const o = offsets[r]!;
  // Gathers come once per run of indexes, often short: measure the entries once per page.
  let longest = dict.longest;
  if (longest === undefined) {
    longest = 0;
    for (let d = 0; d < size; d++) longest = Math.max(longest, dOff[d + 1]! - dOff[d]!);
    dict.longest = longest;
  }
  // When the longest entry bounds the output tightly (codes, short labels) one pass copies;
  // otherwise a first pass sums the exact size so a few long entries do not inflate it.
  const bound = k * longest;
  if (bound > 2 * (dOff[size]! / Math.max(1, size)) * k + 65536) {
    let total = 0;
    for (let i = 0; i < k; i++) {
      const d = idx[i]!;
      if (d >>> 0 >= size) outOfRange(d, size);
      total += dOff[d + 1]! - dOff[d]!;
    }
    reserveBytes(out, o + total);
  } else {
    reserveBytes(out, o + bound);
  }
  copyEntries(dict.data, dOff, size, idx, k, out.data, offsets, r, o);
}

function copyEntries(
  src: Uint8Array,
  dOff: Int32Array,
  size: number,
  idx: Int32Array,
  k: number,
  dst: Uint8Array,
  offsets: Int32Array,
  r: number,
  o: number,
): void {
  for (let i = 0; i < k; i++) {
    const d = idx[i]!;
    if (d >>> 0 >= size) outOfRange(d, size);
    let s = dOff[d]!;
    const e = dOff[d + 1]!;
    if (e - s > 32) {
      dst.set(src.subarray(s, e), o);
      o += e - s;
    } else {
      while (s < e) dst[o++] = src[s++]!;
    }
    offsets[r + i + 1] = o;
  }
}

function gatherFixedBytes(
  src: Uint8Array,
  w: number,
  size: number,
  idx: Int32Array,
  k: number,
  dst: Uint8Array,
  r: number,
): void {
  let o = r * w;
  for (let i = 0; i < k; i++) {
    const d = idx[i]!;
    if (d >>> 0 >= size) outOfRange(d, size);
    for (let j = d * w, e = j + w; j < e; ) dst[o++] = src[j++]!;
  }
}
