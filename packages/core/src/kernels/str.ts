import { Bool, type Data, Field, List, makeData, Utf8 } from "apache-arrow";
import type { LitValue, StrFn } from "../expr/ast.js";
import { bitmapBytes, int32WithNullsOf, validityOf } from "./bits.js";
import { asUtf8, buildUtf8, decodeUtf8Column, encodeUtf8 } from "./utf8.js";

/** `.str` kernels. Byte-level where the answer does not need decoding (length, matching). */
export function strKernel(fn: StrFn, input: Data, args: LitValue[]): Data {
  const data = asUtf8(input);
  switch (fn) {
    case "length":
      return lengthKernel(data);
    case "contains":
    case "startsWith":
    case "endsWith":
      return matchKernel(fn, data, encodeUtf8(String(args[0])));
    case "lower":
      return mapStrings(data, (s) => s.toLowerCase());
    case "upper":
      return mapStrings(data, (s) => s.toUpperCase());
    case "strip":
      return mapStrings(data, (s) => s.trim());
    case "replace": {
      const from = String(args[0]);
      const to = String(args[1]);
      // A function replacement, so "$&" and friends in `to` stay literal text.
      return mapStrings(data, (s) => s.replaceAll(from, () => to));
    }
    case "slice": {
      const start = Number(args[0]);
      const len = args[1] === undefined ? undefined : Number(args[1]);
      return mapStrings(data, (s) => sliceChars(s, start, len));
    }
    case "split":
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

function matchKernel(
  fn: "contains" | "startsWith" | "endsWith",
  data: Data,
  pat: Uint8Array,
): Data {
  const n = data.length;
  const offs = data.valueOffsets as Int32Array;
  const bytes = data.values as Uint8Array;
  const out = new Uint8Array(bitmapBytes(n));
  const m = pat.length;
  for (let i = 0; i < n; i++) {
    const start = offs[i]!;
    const end = offs[i + 1]!;
    let hit = false;
    if (end - start >= m) {
      if (fn === "startsWith") hit = equalAt(bytes, start, pat);
      else if (fn === "endsWith") hit = equalAt(bytes, end - m, pat);
      else {
        const last = end - m;
        const first = pat[0];
        for (let k = start; k <= last; k++) {
          if ((m === 0 || bytes[k] === first) && equalAt(bytes, k, pat)) {
            hit = true;
            break;
          }
        }
      }
    }
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

function equalAt(bytes: Uint8Array, at: number, pat: Uint8Array): boolean {
  for (let k = 0; k < pat.length; k++) if (bytes[at + k] !== pat[k]) return false;
  return true;
}

function splitKernel(data: Data, sep: string): Data {
  const values = decodeUtf8Column(data);
  const n = values.length;
  const offsets = new Int32Array(n + 1);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const s = values[i];
    if (s !== null && s !== undefined) for (const p of s.split(sep)) parts.push(p);
    offsets[i + 1] = parts.length;
  }
  const child = buildUtf8(parts);
  const validity = validityOf(data);
  return makeData({
    type: new List(new Field("item", new Utf8(), true)),
    length: n,
    nullCount: validity ? data.nullCount : 0,
    nullBitmap: validity,
    valueOffsets: offsets,
    child,
  });
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
