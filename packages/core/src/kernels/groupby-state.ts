// Shared by the group-by accumulators: the accumulator contract and growable per-group state.
import { type Data, type DataType, Float64, Int64, makeData, Type, Uint8 } from "apache-arrow";
import { bitmapBytes } from "./bits.js";
import { keyKindOf } from "./hash.js";

/**
 * One aggregation's running state over all groups, in growable typed arrays indexed by group
 * id. A partition's accumulator exports its state as Arrow columns (plain buffers, so they can
 * cross threads) and another accumulator merges them; partitions merged in input order give
 * exactly the result of one accumulator fed every row (first/last/list follow that order).
 */
export interface GroupAccumulator {
  /**
   * Folds in one batch: `gids[j]` is the group of argument row `sel ? sel[j] : j`. Only an
   * accumulator with `selects` is given a selection; the others get a gathered argument.
   */
  update(gids: Int32Array, arg: Data | null, numGroups: number, sel?: Int32Array): void;
  finish(numGroups: number): Data;
  /** How many columns `state` returns. */
  readonly stateWidth: number;
  /** The running state as `stateWidth` columns of `numGroups` rows (copies, never views). */
  state(numGroups: number): Data[];
  /** Folds in another accumulator's `state`: its group r is group `map[r]` here. */
  merge(map: Int32Array, state: readonly Data[], numGroups: number): void;
  readonly selects?: boolean;
}

/** A float64 column of the first n values (a copy), optionally with a validity bitmap. */
export function f64Column(
  a: Float64Array,
  n: number,
  nulls: { nullBitmap: Uint8Array | null; nullCount: number } = { nullBitmap: null, nullCount: 0 },
): Data {
  return makeData({ type: new Float64(), length: n, data: a.slice(0, n), ...nulls });
}

/** A uint8 column of the first n values (a copy). */
export function u8Column(a: Uint8Array, n: number): Data {
  const out = new Uint8Array(n);
  out.set(a.subarray(0, Math.min(n, a.length)));
  return makeData({ type: new Uint8(), length: n, nullCount: 0, data: out });
}

/** For a list column: the partial group of every child value, through `map` (state merges). */
export function listGids(list: Data, map: Int32Array): { gids: Int32Array; child: Data } {
  const offs = list.valueOffsets as Int32Array;
  const n = list.length;
  const base = offs[list.offset]!;
  const end = offs[list.offset + n]!;
  const gids = new Int32Array(end - base);
  for (let r = 0; r < n; r++) {
    const g = map[r]!;
    for (let k = offs[list.offset + r]!; k < offs[list.offset + r + 1]!; k++) gids[k - base] = g;
  }
  return { gids, child: list.children[0]!.slice(base, end - base) };
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
