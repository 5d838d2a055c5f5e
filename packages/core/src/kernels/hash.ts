import { type Data, type DataType, Type } from "apache-arrow";
import { typeName } from "../types/dtype.js";
// Which types can be keys, and the class each hashes and compares as, is a typing rule.
import { type KeyKind, keyKindOf } from "../types/typing-keys.js";
import { decimalKeyBytes } from "./decimal.js";

export { type KeyKind, keyKindOf };

/** Throws a message naming the column when it cannot be a key (group-by, join, distinct). */
export function checkKeyType(type: DataType, column: string, what: string): KeyKind {
  const kind = keyKindOf(type);
  if (!kind) {
    throw new TypeError(
      `${what}: column "${column}" has type ${typeName(type)}, which cannot be hashed or compared as a key. Keys may be integers, floats, bools, utf8, binary, dates or timestamps; cast the column (e.g. to utf8) or drop it from the keys.`,
    );
  }
  return kind;
}

/** A key column of one batch, unpacked once so per-row loops touch only typed arrays. */
export interface KeyView {
  kind: KeyKind;
  length: number;
  /** Validity bitmap (null when the column has no nulls) and the bit offset into it. */
  valid: Uint8Array | null;
  bitOffset: number;
  /** "num" and "float": the values; "bool": the bits (with bitOffset). */
  num: ArrayLike<number>;
  /** "i64": two Int32 words per row (low, high). */
  words: Int32Array;
  /** "bytes": offsets into `bytes`. */
  offsets: Int32Array;
  bytes: Uint8Array;
}

const NO_I32 = new Int32Array(0);
const NO_U8 = new Uint8Array(0);

export function keyView(data: Data, kind: KeyKind): KeyView {
  const valid = data.nullCount > 0 ? data.nullBitmap! : null;
  const v: KeyView = {
    kind,
    length: data.length,
    valid,
    bitOffset: data.offset,
    num: NO_I32,
    words: NO_I32,
    offsets: NO_I32,
    bytes: NO_U8,
  };
  const values = data.values as ArrayBufferView & ArrayLike<number>;
  if (kind === "num" || kind === "float" || kind === "bool") v.num = values;
  else if (kind === "i64")
    v.words = new Int32Array(values.buffer, values.byteOffset, data.length * 2);
  else if (data.typeId === Type.Decimal) {
    const k = decimalKeyBytes(data);
    v.offsets = k.offsets;
    v.bytes = k.bytes;
  } else {
    v.offsets = data.valueOffsets as Int32Array;
    v.bytes = data.values as Uint8Array;
  }
  return v;
}

export const isNullAt = (v: KeyView, i: number): boolean => {
  if (!v.valid) return false;
  const b = v.bitOffset + i;
  return ((v.valid[b >> 3]! >> (b & 7)) & 1) === 0;
};

/** murmur3's 32-bit finalizer: a cheap, well-mixed hash of one 32-bit word. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

const NULL_HASH = 0x5bd1e995;
const NAN_HASH = 0x7ff80000;
const f64 = new Float64Array(1);
const f64w = new Int32Array(f64.buffer);

/**
 * Hashes column `v` into `out` for rows [0, n). One typed loop per kind, no per-row calls.
 */
export function hashColumn(v: KeyView, n: number, out: Int32Array): void {
  const { valid, bitOffset } = v;
  switch (v.kind) {
    case "num": {
      const a = v.num;
      for (let i = 0; i < n; i++) out[i] = fmix32(a[i]! | 0);
      break;
    }
    case "float": {
      const a = v.num;
      for (let i = 0; i < n; i++) {
        const x = a[i]!;
        if (x === 0) out[i] = 0;
        else if (Number.isNaN(x)) out[i] = NAN_HASH;
        else {
          f64[0] = x;
          out[i] = fmix32(f64w[0]! ^ fmix32(f64w[1]!));
        }
      }
      break;
    }
    case "i64": {
      const w = v.words;
      for (let i = 0; i < n; i++) out[i] = fmix32(w[2 * i]! ^ fmix32(w[2 * i + 1]! + 0x9e3779b9));
      break;
    }
    case "bool": {
      const a = v.num as Uint8Array;
      for (let i = 0; i < n; i++) {
        const b = bitOffset + i;
        out[i] = (a[b >> 3]! >> (b & 7)) & 1 ? 0x3c6ef372 : 0x1b873593;
      }
      break;
    }
    case "bytes": {
      const o = v.offsets;
      const bytes = v.bytes;
      for (let i = 0; i < n; i++) {
        // FNV-1a over the bytes, finalized with fmix32 for better low bits.
        let h = 0x811c9dc5;
        for (let k = o[i]!, e = o[i + 1]!; k < e; k++) h = Math.imul(h ^ bytes[k]!, 0x01000193);
        out[i] = fmix32(h ^ (o[i + 1]! - o[i]!));
      }
      break;
    }
  }
  if (valid) {
    for (let i = 0; i < n; i++) {
      const b = bitOffset + i;
      if (((valid[b >> 3]! >> (b & 7)) & 1) === 0) out[i] = NULL_HASH;
    }
  }
}

/** Hashes several key columns (same length) into one hash per row. */
export function hashColumns(views: readonly KeyView[], n: number, out: Int32Array): void {
  hashColumn(views[0]!, n, out);
  if (views.length === 1) return;
  const tmp = new Int32Array(n);
  for (let c = 1; c < views.length; c++) {
    hashColumn(views[c]!, n, tmp);
    for (let i = 0; i < n; i++) out[i] = fmix32(Math.imul(out[i]!, 31) + tmp[i]!);
  }
}
