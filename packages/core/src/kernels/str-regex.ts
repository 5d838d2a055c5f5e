// Regular-expression kernels (JavaScript RegExp, compiled once per expression by the caller).
// Rows are decoded one at a time into a JS string only to run the RegExp; results are written
// straight into Arrow buffers.
import { Bool, type Data, Field, List, makeData, Utf8 } from "apache-arrow";
import { bitmapBytes, int32WithNullsOf, validityOf } from "./bits.js";
import { buildUtf8, decodeRange } from "./utf8.js";

/** A pattern compiled for every way the kernels scan with it. */
export interface CompiledRegex {
  /** For one match (test, exec, first replacement). */
  once: RegExp;
  /** For every match (a `g` copy whose lastIndex the kernels set before each row). */
  every: RegExp;
}

export function compileRegex(source: string, flags: string): CompiledRegex {
  return { once: new RegExp(source, flags), every: new RegExp(source, `${flags}g`) };
}

/** Calls `f` with each non-null row's text (decoded from its bytes) and row index. */
function eachRow(data: Data, f: (s: string, i: number) => void): void {
  const n = data.length;
  const offs = data.valueOffsets as Int32Array;
  const bytes = data.values as Uint8Array;
  const validity = validityOf(data);
  for (let i = 0; i < n; i++) {
    if (validity && ((validity[i >> 3]! >> (i & 7)) & 1) === 0) continue;
    f(decodeRange(bytes, offs[i]!, offs[i + 1]!), i);
  }
}

/** True where the pattern matches anywhere in the value. */
export function regexMatches(re: CompiledRegex, data: Data): Data {
  const n = data.length;
  const out = new Uint8Array(bitmapBytes(n));
  const once = re.once;
  eachRow(data, (s, i) => {
    if (once.test(s)) out[i >> 3]! |= 1 << (i & 7);
  });
  const validity = validityOf(data);
  return makeData({
    type: new Bool(),
    length: n,
    nullCount: validity ? data.nullCount : 0,
    nullBitmap: validity,
    data: out,
  });
}

/** Capture group `group` of the first match; null when nothing matches or the group took no part. */
export function regexExtract(re: CompiledRegex, data: Data, group: number): Data {
  const out = new Array<string | null>(data.length).fill(null);
  eachRow(data, (s, i) => {
    const m = re.once.exec(s);
    out[i] = m?.[group] ?? null;
  });
  return buildUtf8(out);
}

/** Index after `at`, stepping over a surrogate pair (so an empty match never splits one). */
function advance(s: string, at: number): number {
  const c = s.charCodeAt(at);
  return c >= 0xd800 && c <= 0xdbff && at + 1 < s.length ? at + 2 : at + 1;
}

/** Every non-overlapping match of `re.every` in `s`, as [start, end] pairs, in order. */
function forEachMatch(re: RegExp, s: string, f: (start: number, end: number) => void): void {
  re.lastIndex = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    const end = m.index + m[0].length;
    f(m.index, end);
    // An empty match would be found again at the same place: move on by one character.
    if (end === m.index) re.lastIndex = advance(s, end);
    if (re.lastIndex > s.length) break;
  }
}

/** Every match (the whole match, not a group) as `list<utf8>`. */
export function regexExtractAll(re: CompiledRegex, data: Data): Data {
  const n = data.length;
  const offsets = new Int32Array(n + 1);
  const parts: string[] = [];
  let row = 0;
  eachRow(data, (s, i) => {
    for (; row < i; row++) offsets[row + 1] = parts.length;
    forEachMatch(re.every, s, (a, b) => parts.push(s.slice(a, b)));
    offsets[i + 1] = parts.length;
    row = i + 1;
  });
  for (; row < n; row++) offsets[row + 1] = parts.length;
  return listOf(data, offsets, buildUtf8(parts));
}

/** How many non-overlapping matches (int32). */
export function regexCount(re: CompiledRegex, data: Data): Data {
  const out = new Int32Array(data.length);
  eachRow(data, (s, i) => {
    let c = 0;
    forEachMatch(re.every, s, () => c++);
    out[i] = c;
  });
  return int32WithNullsOf(data, out);
}

/** Replaces the first or every match; `$1`, `$<name>`, `$&` and `$$` in `to` as in JavaScript. */
export function regexReplace(re: CompiledRegex, data: Data, to: string, all: boolean): Data {
  const out = new Array<string | null>(data.length).fill(null);
  const r = all ? re.every : re.once;
  eachRow(data, (s, i) => {
    r.lastIndex = 0;
    out[i] = s.replace(r, to);
  });
  return buildUtf8(out);
}

/**
 * Splits at every match (JavaScript's String.split rules for where a match counts: an empty
 * match at the start, at the end or right after another match splits nothing), but without
 * splicing capture groups into the result.
 */
export function regexSplit(re: CompiledRegex, data: Data): Data {
  const n = data.length;
  const offsets = new Int32Array(n + 1);
  const parts: string[] = [];
  const every = re.every;
  let row = 0;
  eachRow(data, (s, i) => {
    for (; row < i; row++) offsets[row + 1] = parts.length;
    let p = 0;
    let q = 0;
    while (q < s.length) {
      every.lastIndex = q;
      const m = every.exec(s);
      if (!m || m.index >= s.length) break;
      const end = m.index + m[0].length;
      if (end === p) {
        q = advance(s, m.index);
        continue;
      }
      parts.push(s.slice(p, m.index));
      p = end;
      q = end === m.index ? advance(s, end) : end;
    }
    parts.push(s.slice(p));
    offsets[i + 1] = parts.length;
    row = i + 1;
  });
  for (; row < n; row++) offsets[row + 1] = parts.length;
  return listOf(data, offsets, buildUtf8(parts));
}

/** A `list<utf8>` column over `child` with `data`'s nulls. */
export function listOf(data: Data, offsets: Int32Array, child: Data<Utf8>): Data {
  const validity = validityOf(data);
  return makeData({
    type: new List(new Field("item", new Utf8(), true)),
    length: data.length,
    nullCount: validity ? data.nullCount : 0,
    nullBitmap: validity,
    valueOffsets: offsets,
    child,
  });
}
