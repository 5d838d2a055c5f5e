import {
  type Data,
  type DataType,
  type FixedSizeList,
  type List,
  makeData,
  type Struct,
  Type,
} from "apache-arrow";
import { typeName } from "../types/dtype.js";
import { bitmapBytes } from "./bits.js";

/** makeData with the loose props object every per-type branch here builds. */
export const mkData = <T extends DataType>(props: object): Data<T> =>
  makeData(props as never) as unknown as Data<T>;

/**
 * Gathers rows of `data` by index: out[i] = data[idx[i]], and null where idx[i] < 0 (how
 * outer joins and explode make null rows). Works for every fixed-width type, bool, utf8 and
 * binary (via offsets), lists, fixed-size lists, structs and dictionaries.
 */
export function takeData<T extends DataType>(data: Data<T>, idx: Int32Array): Data<T> {
  const n = idx.length;
  const { validity, nulls } = takeValidity(data, idx);
  const type = data.type;
  const base = { type, length: n, nullCount: nulls, nullBitmap: validity };
  switch (type.typeId) {
    case Type.Null:
      return mkData<T>({ type, length: n, nullCount: n });
    case Type.Bool:
      return mkData<T>({ ...base, data: takeBits(data.values as Uint8Array, data.offset, idx) });
    case Type.Utf8:
    case Type.Binary:
      return takeBytes(data, idx, base);
    case Type.List:
    case Type.Map: {
      // A map is a list of key/value structs: the same offsets + child layout.
      const offs = data.valueOffsets as Int32Array;
      const outOffs = new Int32Array(n + 1);
      let total = 0;
      for (let i = 0; i < n; i++) {
        const j = idx[i]!;
        if (j >= 0) total += offs[j + 1]! - offs[j]!;
        outOffs[i + 1] = total;
      }
      const childIdx = new Int32Array(total);
      let k = 0;
      for (let i = 0; i < n; i++) {
        const j = idx[i]!;
        if (j < 0) continue;
        for (let c = offs[j]!, e = offs[j + 1]!; c < e; c++) childIdx[k++] = c;
      }
      const child = takeData(data.children[0]!, childIdx);
      return mkData<T>({ ...base, type: type as unknown as List, valueOffsets: outOffs, child });
    }
    case Type.FixedSizeList: {
      const size = (type as unknown as FixedSizeList).listSize;
      const childIdx = new Int32Array(n * size);
      for (let i = 0; i < n; i++) {
        const j = idx[i]!;
        for (let c = 0; c < size; c++) childIdx[i * size + c] = j < 0 ? -1 : j * size + c;
      }
      const child = takeData(data.children[0]!, childIdx);
      return mkData<T>({ ...base, type: type as unknown as FixedSizeList, child });
    }
    case Type.Struct: {
      const children = data.children.map((c) => takeData(c, idx));
      return mkData<T>({ ...base, type: type as unknown as Struct, children });
    }
    case Type.Dictionary: {
      const indices = takeFixed(data.values as Int32Array, 1, idx);
      return mkData<T>({ ...base, data: indices, dictionary: data.dictionary });
    }
    default:
      if (isFixedWidth(type.typeId)) {
        return mkData<T>({ ...base, data: takeFixed(data.values, data.stride, idx) });
      }
      throw new TypeError(`take: columns of type ${typeName(type)} are not supported yet.`);
  }
}

const FIXED = new Set<Type>([
  Type.Int,
  Type.Float,
  Type.Date,
  Type.Timestamp,
  Type.Time,
  Type.Duration,
  Type.Decimal,
  Type.Interval,
]);
export const isFixedWidth = (t: Type): boolean => FIXED.has(t);

function takeValidity(data: Data, idx: Int32Array): { validity: Uint8Array | null; nulls: number } {
  const n = idx.length;
  const bm = data.nullCount > 0 ? data.nullBitmap : null;
  let nulls = 0;
  let anyNeg = false;
  for (let i = 0; i < n; i++) if (idx[i]! < 0) anyNeg = true;
  if (!bm && !anyNeg) return { validity: null, nulls: 0 };
  const out = new Uint8Array(bitmapBytes(n));
  const off = data.offset;
  for (let i = 0; i < n; i++) {
    const j = idx[i]!;
    if (j < 0) {
      nulls++;
      continue;
    }
    if (bm) {
      const b = off + j;
      if (((bm[b >> 3]! >> (b & 7)) & 1) === 0) {
        nulls++;
        continue;
      }
    }
    out[i >> 3]! |= 1 << (i & 7);
  }
  return nulls === 0 ? { validity: null, nulls: 0 } : { validity: out, nulls };
}

function takeBits(src: Uint8Array, off: number, idx: Int32Array): Uint8Array {
  const n = idx.length;
  const out = new Uint8Array(bitmapBytes(n));
  for (let i = 0; i < n; i++) {
    const j = idx[i]!;
    if (j < 0) continue;
    const b = off + j;
    if ((src[b >> 3]! >> (b & 7)) & 1) out[i >> 3]! |= 1 << (i & 7);
  }
  return out;
}

type Typed = ArrayBufferView & { length: number; BYTES_PER_ELEMENT: number };

/** Copies fixed-width values by index, moving 32-bit words so 64-bit values never become BigInts. */
export function takeFixed<A extends Typed>(values: A, stride: number, idx: Int32Array): A {
  const n = idx.length;
  const Ctor = values.constructor as new (n: number) => A;
  const out = new Ctor(n * stride);
  const width = values.BYTES_PER_ELEMENT * stride;
  if (width % 4 === 0 && values.byteOffset % 4 === 0) {
    const w = width >> 2;
    const src = new Int32Array(
      values.buffer,
      values.byteOffset,
      (values.length * values.BYTES_PER_ELEMENT) >> 2,
    );
    const dst = new Int32Array(out.buffer, out.byteOffset, n * w);
    if (w === 1) {
      for (let i = 0; i < n; i++) {
        const j = idx[i]!;
        if (j >= 0) dst[i] = src[j]!;
      }
    } else if (w === 2) {
      for (let i = 0; i < n; i++) {
        const j = idx[i]!;
        if (j >= 0) {
          dst[2 * i] = src[2 * j]!;
          dst[2 * i + 1] = src[2 * j + 1]!;
        }
      }
    } else {
      for (let i = 0; i < n; i++) {
        const j = idx[i]!;
        if (j >= 0) for (let k = 0; k < w; k++) dst[i * w + k] = src[j * w + k]!;
      }
    }
    return out;
  }
  const src = new Uint8Array(
    values.buffer,
    values.byteOffset,
    values.length * values.BYTES_PER_ELEMENT,
  );
  const dst = new Uint8Array(out.buffer, out.byteOffset, n * width);
  for (let i = 0; i < n; i++) {
    const j = idx[i]!;
    if (j >= 0) for (let k = 0; k < width; k++) dst[i * width + k] = src[j * width + k]!;
  }
  return out;
}

function takeBytes<T extends DataType>(
  data: Data<T>,
  idx: Int32Array,
  base: { type: T; length: number; nullCount: number; nullBitmap: Uint8Array | null },
): Data<T> {
  const n = idx.length;
  const offs = data.valueOffsets as Int32Array;
  const bytes = data.values as Uint8Array;
  const outOffs = new Int32Array(n + 1);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const j = idx[i]!;
    if (j >= 0) total += offs[j + 1]! - offs[j]!;
    outOffs[i + 1] = total;
  }
  const out = new Uint8Array(total);
  for (let i = 0; i < n; i++) {
    const j = idx[i]!;
    if (j < 0) continue;
    const s = offs[j]!;
    const e = offs[j + 1]!;
    const d = outOffs[i]!;
    // Short strings copy faster by hand than through subarray + set.
    if (e - s < 16) for (let k = s; k < e; k++) out[d + k - s] = bytes[k]!;
    else out.set(bytes.subarray(s, e), d);
  }
  return mkData<T>({ ...base, valueOffsets: outOffs, data: out });
}

/** Row indices [start, end) as an Int32Array (a contiguous take). */
export function rangeIndex(start: number, end: number): Int32Array {
  const out = new Int32Array(end - start);
  for (let i = 0; i < out.length; i++) out[i] = start + i;
  return out;
}
