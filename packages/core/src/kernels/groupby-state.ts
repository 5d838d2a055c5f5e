// Shared by the group-by accumulators: the accumulator contract and growable per-group state.
import { type Data, type DataType, Int64, makeData, Type } from "apache-arrow";
import { bitmapBytes } from "./bits.js";
import { keyKindOf } from "./hash.js";

/**
 * One aggregation's running state over all groups. `update` folds in one batch given each
 * row's group id; state lives in growable typed arrays indexed by group id.
 */
export interface GroupAccumulator {
  update(gids: Int32Array, arg: Data | null, numGroups: number): void;
  finish(numGroups: number): Data;
}

export const isUint64 = (t: DataType): boolean =>
  t.typeId === Type.Int && (t as Int64).bitWidth === 64 && !(t as Int64).isSigned;

export function growF64(
  a: Float64Array<ArrayBuffer>,
  n: number,
  fill = 0,
): Float64Array<ArrayBuffer> {
  if (n <= a.length) return a;
  const next = new Float64Array(Math.max(n, a.length * 2, 16));
  next.set(a);
  if (fill !== 0) next.fill(fill, a.length);
  return next;
}
export function growU8(a: Uint8Array<ArrayBuffer>, n: number): Uint8Array<ArrayBuffer> {
  if (n <= a.length) return a;
  const next = new Uint8Array(Math.max(n, a.length * 2, 16));
  next.set(a);
  return next;
}
export function growI32(a: Int32Array<ArrayBuffer>, n: number, fill = 0): Int32Array<ArrayBuffer> {
  if (n <= a.length) return a;
  const next = new Int32Array(Math.max(n, a.length * 2, 16));
  next.set(a);
  if (fill !== 0) next.fill(fill, a.length);
  return next;
}

/** A validity bitmap from a byte-per-group "has a value" array (null when all have one). */
export function seenBitmap(
  seen: Uint8Array,
  n: number,
): { nullBitmap: Uint8Array | null; nullCount: number } {
  const bm = new Uint8Array(bitmapBytes(n));
  let nulls = 0;
  for (let g = 0; g < n; g++) {
    if (seen[g]) bm[g >> 3]! |= 1 << (g & 7);
    else nulls++;
  }
  return nulls ? { nullBitmap: bm, nullCount: nulls } : { nullBitmap: null, nullCount: 0 };
}

export const validBit = (d: Data): Uint8Array | null => (d.nullCount > 0 ? d.nullBitmap! : null);

export function int64Column(counts: Float64Array, n: number): Data {
  const out = new BigInt64Array(n);
  for (let g = 0; g < n; g++) out[g] = BigInt(counts[g]!);
  return makeData({ type: new Int64(), length: n, nullCount: 0, data: out });
}

/** Values of a numeric column as JS numbers (int64 through its two words). */
export function numberReader(arg: Data): {
  a: ArrayLike<number>;
  w: Int32Array | null;
  unsigned: boolean;
} {
  const values = arg.values as ArrayBufferView & ArrayLike<number>;
  if (keyKindOf(arg.type) === "i64") {
    return {
      a: values,
      w: new Int32Array(values.buffer, values.byteOffset, arg.length * 2),
      unsigned: isUint64(arg.type),
    };
  }
  return { a: values, w: null, unsigned: false };
}
