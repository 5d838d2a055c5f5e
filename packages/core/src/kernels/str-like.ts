// SQL LIKE / ILIKE over Arrow Utf8 bytes. The pattern is compiled once per expression into
// anchored first and last parts and substring searches between them, so `%a%b%` is two
// searches per row and `abc%` one comparison; `_` steps over one code point (a lead byte and
// its continuation bytes). No row is decoded, except for ILIKE on a row with non-ASCII text.
import { Bool, type Data, makeData } from "apache-arrow";
import { foldCodePoints, type LikeAtom, parseLike } from "../expr/like-pattern.js";
import { bitmapBytes, validityOf } from "./bits.js";
import { equalAt, Finder } from "./str-search.js";
import { decodeRange, encodeUtf8 } from "./utf8.js";

type ByteAtom = { lit: Uint8Array; id: number } | { any: number };

/** A compiled LIKE pattern (see LikePattern): byte literals, numbered for their finders. */
export interface LikeProgram {
  parts: ByteAtom[][];
  exact: boolean;
  lits: Uint8Array[];
  /** ILIKE: the pattern is folded; ASCII rows are folded byte-wise, others per code point. */
  fold: boolean;
}

export function compileLike(pattern: string, esc: string | undefined, fold: boolean): LikeProgram {
  const parsed = parseLike(pattern, esc);
  const lits: Uint8Array[] = [];
  const toBytes = (a: LikeAtom): ByteAtom => {
    if ("any" in a) return a;
    const lit = encodeUtf8(fold ? foldCodePoints(a.lit) : a.lit);
    lits.push(lit);
    return { lit, id: lits.length - 1 };
  };
  return { parts: parsed.parts.map((p) => p.map(toBytes)), exact: parsed.exact, lits, fold };
}

/** `%text%` as a program: what contains() runs, so it shares the batch-wide search. */
export function containsProgram(text: Uint8Array): LikeProgram {
  if (text.length === 0) return { parts: [[], []], exact: false, lits: [], fold: false };
  return { parts: [[], [{ lit: text, id: 0 }], []], exact: false, lits: [text], fold: false };
}

/** Where the next occurrence of literal `id` at or after `from` starts, or -1. */
type Find = (id: number, from: number) => number;

/** Matches `part` forward from `pos` without passing `limit`: the end position, or -1. */
function forward(bytes: Uint8Array, part: ByteAtom[], pos: number, limit: number): number {
  for (const a of part) {
    if ("lit" in a) {
      if (pos + a.lit.length > limit || !equalAt(bytes, pos, a.lit)) return -1;
      pos += a.lit.length;
    } else {
      for (let k = 0; k < a.any; k++) {
        if (pos >= limit) return -1;
        pos++;
        while (pos < limit && (bytes[pos]! & 0xc0) === 0x80) pos++;
      }
    }
  }
  return pos;
}

/** Matches `part` backward so it ends at `end`, not before `lower`: its start, or -1. */
function backward(bytes: Uint8Array, part: ByteAtom[], end: number, lower: number): number {
  for (let i = part.length - 1; i >= 0; i--) {
    const a = part[i]!;
    if ("lit" in a) {
      const at = end - a.lit.length;
      if (at < lower || !equalAt(bytes, at, a.lit)) return -1;
      end = at;
    } else {
      for (let k = 0; k < a.any; k++) {
        if (end <= lower) return -1;
        end--;
        while (end > lower && (bytes[end]! & 0xc0) === 0x80) end--;
      }
    }
  }
  return end;
}

/** The end of the leftmost match of a middle part within [from, limit), or -1. */
function search(
  bytes: Uint8Array,
  part: ByteAtom[],
  from: number,
  limit: number,
  find: Find,
): number {
  const head = part[0]!;
  if ("lit" in head) {
    // Candidates are the occurrences of the leading literal; the rest must follow it.
    for (let x = find(head.id, from); x !== -1 && x + head.lit.length <= limit; ) {
      const end = part.length === 1 ? x + head.lit.length : forward(bytes, part, x, limit);
      if (end !== -1) return end;
      x = find(head.id, x + 1);
    }
    return -1;
  }
  // A part that starts with `_`: try every code point boundary. The end of a match only
  // moves right as its start does, so the leftmost start is the best one.
  for (let x = from; x < limit; ) {
    const end = forward(bytes, part, x, limit);
    if (end !== -1) return end;
    x++;
    while (x < limit && (bytes[x]! & 0xc0) === 0x80) x++;
  }
  return -1;
}

function matchRow(p: LikeProgram, bytes: Uint8Array, s: number, e: number, find: Find): boolean {
  const parts = p.parts;
  if (p.exact) return forward(bytes, parts[0]!, s, e) === e;
  let pos = forward(bytes, parts[0]!, s, e);
  if (pos === -1) return false;
  const tail = backward(bytes, parts[parts.length - 1]!, e, pos);
  if (tail === -1) return false;
  for (let i = 1; i < parts.length - 1; i++) {
    pos = search(bytes, parts[i]!, pos, tail, find);
    if (pos === -1) return false;
  }
  return true;
}

/** A row-local search (for the few rows ILIKE folds per code point into a buffer of their own). */
function localFind(p: LikeProgram, bytes: Uint8Array): Find {
  return (id, from) => {
    const lit = p.lits[id]!;
    const first = lit[0];
    for (let k = from; k + lit.length <= bytes.length; k++) {
      if (bytes[k] === first && equalAt(bytes, k, lit)) return k;
    }
    return -1;
  };
}

/** LIKE (or ILIKE when the program folds) over a Utf8 column: a Bool column, nulls kept. */
export function likeKernel(p: LikeProgram, data: Data): Data {
  const n = data.length;
  const offs = data.valueOffsets as Int32Array;
  let bytes = data.values as Uint8Array;
  let nonAscii = false;
  if (p.fold) {
    const folded = foldAscii(bytes, offs[n]!);
    bytes = folded.bytes;
    nonAscii = folded.nonAscii;
  }
  const finders = p.lits.map((lit) => new Finder(bytes, lit));
  const find: Find = (id, from) => finders[id]!.next(from);
  const out = new Uint8Array(bitmapBytes(n));
  for (let i = 0; i < n; i++) {
    const s = offs[i]!;
    const e = offs[i + 1]!;
    let hit: boolean;
    if (nonAscii && hasHighByte(bytes, s, e)) {
      // Case folding beyond ASCII: decode this row and fold it per code point.
      const row = encodeUtf8(foldCodePoints(decodeRange(data.values as Uint8Array, s, e)));
      hit = matchRow(p, row, 0, row.length, localFind(p, row));
    } else hit = matchRow(p, bytes, s, e, find);
    if (hit) out[i >> 3]! |= 1 << (i & 7);
  }
  const validity = validityOf(data);
  return makeData({
    type: new Bool(),
    length: n,
    nullCount: validity ? data.nullCount : 0,
    nullBitmap: validity,
    data: out,
  });
}

function hasHighByte(bytes: Uint8Array, s: number, e: number): boolean {
  for (let k = s; k < e; k++) if (bytes[k]! >= 0x80) return true;
  return false;
}

/**
 * A copy of bytes [0, end) with ASCII letters lower-cased, four bytes at a time (bytes with
 * the high bit set, parts of multi-byte characters, are left alone), and whether any was set.
 */
function foldAscii(src: Uint8Array, end: number): { bytes: Uint8Array; nonAscii: boolean } {
  const out = new Uint8Array(end);
  out.set(src.subarray(0, end));
  const words = new Uint32Array(out.buffer, 0, end >> 2);
  let high = 0;
  for (let k = 0; k < words.length; k++) {
    const w = words[k]!;
    high |= w;
    const h = w & 0x7f7f7f7f;
    // A byte's top bit: set by +0x3f when it is >= "A", by +0x25 when it is > "Z".
    const upper = (h + 0x3f3f3f3f) & ~(h + 0x25252525) & ~w & 0x80808080;
    words[k] = w | (upper >>> 2);
  }
  for (let k = words.length << 2; k < end; k++) {
    const b = out[k]!;
    high |= b;
    if (b >= 65 && b <= 90) out[k] = b + 32;
  }
  return { bytes: out, nonAscii: (high & 0x80808080) !== 0 };
}
