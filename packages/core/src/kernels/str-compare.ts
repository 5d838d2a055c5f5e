import { Bool, type Data, makeData } from "apache-arrow";
import { bitmapBytes, validityOf } from "./bits.js";
import { asUtf8 } from "./utf8.js";

export type CompareOp = "eq" | "neq" | "lt" | "lte" | "gt" | "gte";

const encoder = new TextEncoder();

function boolColumn(n: number, out: Uint8Array, a: Data): Data {
  const validity = validityOf(a);
  return makeData({
    type: new Bool(),
    length: n,
    nullCount: validity ? a.nullCount : 0,
    nullBitmap: validity,
    data: out,
  });
}

/**
 * A string column compared with one string literal, byte by byte over the column's UTF-8
 * (byte order is code point order): no literal column is built and no row is decoded.
 * Equality rejects on length first. `literalLeft` flips the operands (`"x" < col`).
 */
export function compareUtf8Literal(
  op: CompareOp,
  column: Data,
  literal: string,
  literalLeft: boolean,
): Data {
  const a = asUtf8(column);
  const n = a.length;
  const off = a.valueOffsets as Int32Array;
  const bytes = a.values as Uint8Array;
  const lit = encoder.encode(literal);
  const m = lit.length;
  const out = new Uint8Array(bitmapBytes(n));
  if (op === "eq" || op === "neq") {
    const want = op === "eq" ? 1 : 0;
    for (let i = 0; i < n; i++) {
      const s = off[i]!;
      let same = off[i + 1]! - s === m ? 1 : 0;
      for (let j = 0; same && j < m; j++) if (bytes[s + j] !== lit[j]) same = 0;
      if (same === want) out[i >> 3]! |= 1 << (i & 7);
    }
    return boolColumn(n, out, a);
  }
  // Orders as (column vs literal); with the literal on the left the test is mirrored.
  const sign = literalLeft ? -1 : 1;
  const test =
    op === "lt"
      ? (c: number) => c < 0
      : op === "lte"
        ? (c: number) => c <= 0
        : op === "gt"
          ? (c: number) => c > 0
          : (c: number) => c >= 0;
  for (let i = 0; i < n; i++) {
    const s = off[i]!;
    const len = off[i + 1]! - s;
    const k = Math.min(len, m);
    let c = 0;
    for (let j = 0; j < k && c === 0; j++) c = bytes[s + j]! - lit[j]!;
    if (c === 0) c = len - m;
    if (test(sign * c)) out[i >> 3]! |= 1 << (i & 7);
  }
  return boolColumn(n, out, a);
}

/**
 * Whether each string is one of `values`, over the UTF-8 bytes: the candidates of the row's
 * byte length are compared in turn (lists in filters are short), no row decoded.
 */
export function isInUtf8(column: Data, values: readonly string[]): Data {
  const a = asUtf8(column);
  const n = a.length;
  const off = a.valueOffsets as Int32Array;
  const bytes = a.values as Uint8Array;
  const byLength = new Map<number, Uint8Array[]>();
  for (const v of new Set(values)) {
    const b = encoder.encode(v);
    const list = byLength.get(b.length);
    if (list) list.push(b);
    else byLength.set(b.length, [b]);
  }
  const maxLen = Math.max(0, ...byLength.keys());
  const table: (Uint8Array[] | undefined)[] = Array.from({ length: maxLen + 1 }, (_, k) =>
    byLength.get(k),
  );
  const out = new Uint8Array(bitmapBytes(n));
  for (let i = 0; i < n; i++) {
    const s = off[i]!;
    const len = off[i + 1]! - s;
    const candidates = len <= maxLen ? table[len] : undefined;
    if (!candidates) continue;
    for (const c of candidates) {
      let j = 0;
      while (j < len && bytes[s + j] === c[j]) j++;
      if (j === len) {
        out[i >> 3]! |= 1 << (i & 7);
        break;
      }
    }
  }
  return boolColumn(n, out, a);
}
