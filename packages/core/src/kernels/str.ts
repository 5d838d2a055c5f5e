import { Binary, Bool, type Data, makeData } from "apache-arrow";
import type { ExprNode, LitValue } from "../expr/ast.js";
import { isLiteralRegex } from "../expr/regex.js";
import { bitmapBytes, int32WithNullsOf, validityOf } from "./bits.js";
import { findKernel } from "./str-find.js";
import { compileLike, containsProgram, type LikeProgram, likeKernel } from "./str-like.js";
import { padder, repeater } from "./str-pad.js";
import {
  type CompiledRegex,
  compileRegex,
  listOf,
  regexCount,
  regexExtract,
  regexExtractAll,
  regexMatches,
  regexReplace,
  regexSplit,
} from "./str-regex.js";
import { capitalizeText, reverseText } from "./str-reverse.js";
import { equalAt } from "./str-search.js";
import { asUtf8, buildUtf8, decodeUtf8Column, encodeUtf8 } from "./utf8.js";

type StrNode = Extract<ExprNode, { kind: "str" }>;

/**
 * What a pattern compiles to, kept per expression node: the compiled program of an
 * expression holds its node for all batches, so a LIKE pattern or RegExp is built once per
 * operator, not per batch or row.
 */
const compiled = new WeakMap<StrNode, LikeProgram | CompiledRegex>();

function prepared<T extends LikeProgram | CompiledRegex>(node: StrNode, make: () => T): T {
  let hit = compiled.get(node) as T | undefined;
  if (!hit) {
    hit = make();
    compiled.set(node, hit);
  }
  return hit;
}

const optString = (v: LitValue | undefined): string | undefined =>
  v === undefined || v === null ? undefined : String(v);

/** `.str` kernels. Byte-level where the answer does not need decoding (length, matching). */
export function strKernel(node: StrNode, input: Data): Data {
  const data = asUtf8(input);
  const { fn, args } = node;
  const regex = () => prepared(node, () => compileRegex(String(args[0]), String(args[1])));
  switch (fn) {
    case "length":
      return lengthKernel(data);
    case "contains":
      return likeKernel(containsProgram(encodeUtf8(String(args[0]))), data);
    case "startsWith":
    case "endsWith":
      return matchKernel(fn, data, encodeUtf8(String(args[0])));
    case "lower":
      return mapStrings(data, (s) => s.toLowerCase());
    case "upper":
      return mapStrings(data, (s) => s.toUpperCase());
    case "strip":
      return mapStrings(data, (s) => s.trim());
    case "lstrip":
      return mapStrings(data, (s) => s.trimStart());
    case "rstrip":
      return mapStrings(data, (s) => s.trimEnd());
    case "capitalize":
      return mapStrings(data, capitalizeText);
    case "reverse":
      return mapStrings(data, reverseText);
    case "padStart":
    case "padEnd":
      return mapStrings(data, padder(Number(args[0]), String(args[1] ?? " "), fn === "padStart"));
    case "repeat":
      return mapStrings(data, repeater(Number(args[0])));
    case "find":
      return findKernel(data, encodeUtf8(String(args[0])));
    case "toBytes":
      return toBytes(data);
    case "replace": {
      const from = String(args[0]);
      const to = String(args[1]);
      const all = args[2] !== false;
      const flags = optString(args[3]);
      if (flags !== undefined) {
        const re = prepared(node, () => compileRegex(from, flags));
        return regexReplace(re, data, to, all);
      }
      // A function replacement, so "$&" and friends in `to` stay literal text.
      return mapStrings(data, (s) =>
        all ? s.replaceAll(from, () => to) : s.replace(from, () => to),
      );
    }
    case "like":
    case "ilike": {
      const p = prepared(node, () =>
        compileLike(String(args[0]), optString(args[1]), fn === "ilike"),
      );
      return likeKernel(p, data);
    }
    case "matches":
      // Plain text needs no RegExp: the byte search of contains answers it.
      if (isLiteralRegex(String(args[0]), String(args[1])))
        return likeKernel(containsProgram(encodeUtf8(String(args[0]))), data);
      return regexMatches(regex(), data);
    case "extract":
      return regexExtract(regex(), data, Number(args[2] ?? 1));
    case "extractAll":
      return regexExtractAll(regex(), data);
    case "countMatches":
      return regexCount(regex(), data);
    case "slice": {
      const start = Number(args[0]);
      const len = args[1] === undefined ? undefined : Number(args[1]);
      return mapStrings(data, (s) => sliceChars(s, start, len));
    }
    case "split":
      if (args[1] !== undefined && args[1] !== null) return regexSplit(regex(), data);
      return splitKernel(data, String(args[0]));
  }
}

function sliceChars(s: string, start: number, len: number | undefined): string {
  const chars = Array.from(s);
  const from = start < 0 ? Math.max(0, chars.length + start) : Math.min(start, chars.length);
  const to = len === undefined ? chars.length : Math.min(chars.length, from + Math.max(0, len));
  return chars.slice(from, to).join("");
}

function mapStrings(data: Data, f: (s: string) => string): Data {
  const values = decodeUtf8Column(data);
  for (let i = 0; i < values.length; i++) {
    const s = values[i];
    if (s !== null && s !== undefined) values[i] = f(s);
  }
  return buildUtf8(values);
}

/** The same offsets and bytes read as binary: no copy. */
function toBytes(data: Data): Data {
  const validity = validityOf(data);
  return makeData({
    type: new Binary(),
    length: data.length,
    nullCount: validity ? data.nullCount : 0,
    nullBitmap: validity,
    valueOffsets: data.valueOffsets as Int32Array,
    data: data.values as Uint8Array,
  });
}

function lengthKernel(data: Data): Data {
  const n = data.length;
  const offs = data.valueOffsets as Int32Array;
  const bytes = data.values as Uint8Array;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let count = 0;
    const end = offs[i + 1]!;
    // Count code points: every byte that is not a UTF-8 continuation byte starts one.
    for (let k = offs[i]!; k < end; k++) if ((bytes[k]! & 0xc0) !== 0x80) count++;
    out[i] = count;
  }
  return int32WithNullsOf(data, out);
}

function matchKernel(fn: "startsWith" | "endsWith", data: Data, pat: Uint8Array): Data {
  const n = data.length;
  const offs = data.valueOffsets as Int32Array;
  const bytes = data.values as Uint8Array;
  const out = new Uint8Array(bitmapBytes(n));
  const m = pat.length;
  for (let i = 0; i < n; i++) {
    const start = offs[i]!;
    const end = offs[i + 1]!;
    let hit = false;
    if (end - start >= m) hit = equalAt(bytes, fn === "startsWith" ? start : end - m, pat);
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

function splitKernel(data: Data, sep: string): Data {
  const values = decodeUtf8Column(data);
  const n = values.length;
  const offsets = new Int32Array(n + 1);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const s = values[i];
    // An empty separator splits into characters (code points, never half a surrogate pair).
    if (s !== null && s !== undefined)
      for (const p of sep ? s.split(sep) : Array.from(s)) parts.push(p);
    offsets[i + 1] = parts.length;
  }
  return listOf(data, offsets, buildUtf8(parts));
}

/** Compares two Utf8 columns byte-wise (UTF-8 byte order equals code point order). */
export function compareUtf8(a: Data, ai: number, b: Data, bi: number): number {
  const ao = a.valueOffsets as Int32Array;
  const bo = b.valueOffsets as Int32Array;
  const ab = a.values as Uint8Array;
  const bb = b.values as Uint8Array;
  let x = ao[ai]!;
  const xe = ao[ai + 1]!;
  let y = bo[bi]!;
  const ye = bo[bi + 1]!;
  while (x < xe && y < ye) {
    const d = ab[x]! - bb[y]!;
    if (d !== 0) return d;
    x++;
    y++;
  }
  return xe - x - (ye - y);
}
