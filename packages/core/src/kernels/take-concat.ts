import {
  type Data,
  type DataType,
  makeData,
  RecordBatch,
  type Schema,
  Struct,
  Type,
  vectorFromArray,
} from "apache-arrow";
import { typeName } from "../types/dtype.js";
import { bitmapBytes } from "./bits.js";
import { isFixedWidth, mkData } from "./take.js";

/**
 * Concatenates chunks of one column into a single Data (blocking operators such as sort and
 * the join build side need random access over their whole input).
 */
export function concatData<T extends DataType>(type: T, chunks: readonly Data<T>[]): Data<T> {
  const parts = chunks.filter((c) => c.length > 0);
  if (parts.length === 0) return emptyData(type);
  if (parts.length === 1) return parts[0]!;
  let n = 0;
  for (const c of parts) n += c.length;
  const { validity, nulls } = concatValidity(parts, n);
  const base = { type, length: n, nullCount: nulls, nullBitmap: validity };
  switch (type.typeId) {
    case Type.Null:
      return mkData<T>({ type, length: n, nullCount: n });
    case Type.Bool: {
      const out = new Uint8Array(bitmapBytes(n));
      let pos = 0;
      for (const c of parts) {
        copyBitsInto(c.values as Uint8Array, c.offset, c.length, out, pos);
        pos += c.length;
      }
      return mkData<T>({ ...base, data: out });
    }
    case Type.Utf8:
    case Type.Binary: {
      const offs = new Int32Array(n + 1);
      let total = 0;
      for (const c of parts) {
        const o = c.valueOffsets as Int32Array;
        total += o[c.length]! - o[0]!;
      }
      const bytes = new Uint8Array(total);
      let row = 0;
      let pos = 0;
      for (const c of parts) {
        const o = c.valueOffsets as Int32Array;
        const start = o[0]!;
        for (let i = 1; i <= c.length; i++) offs[row + i] = pos + o[i]! - start;
        bytes.set((c.values as Uint8Array).subarray(start, o[c.length]!), pos);
        pos += o[c.length]! - start;
        row += c.length;
      }
      return mkData<T>({ ...base, valueOffsets: offs, data: bytes });
    }
    case Type.List:
    case Type.Map: {
      const offs = new Int32Array(n + 1);
      const kids: Data[] = [];
      let row = 0;
      let pos = 0;
      for (const c of parts) {
        const o = c.valueOffsets as Int32Array;
        const start = o[0]!;
        for (let i = 1; i <= c.length; i++) offs[row + i] = pos + o[i]! - start;
        kids.push(c.children[0]!.slice(start, o[c.length]! - start));
        pos += o[c.length]! - start;
        row += c.length;
      }
      const child = concatData(type.children[0]!.type, kids);
      return mkData<T>({ ...base, valueOffsets: offs, child });
    }
    case Type.FixedSizeList: {
      const size = (type as unknown as { listSize: number }).listSize;
      const kids = parts.map((c) => c.children[0]!.slice(0, c.length * size));
      const child = concatData(type.children[0]!.type, kids);
      return mkData<T>({ ...base, child });
    }
    case Type.Struct: {
      const children = type.children.map((f, k) =>
        concatData(
          f.type,
          parts.map((c) => c.children[k]!.slice(0, c.length)),
        ),
      );
      return mkData<T>({ ...base, children });
    }
    case Type.Dictionary: {
      const dict = parts[0]!.dictionary;
      if (parts.some((c) => c.dictionary !== dict)) {
        throw new TypeError(
          "concat: dictionary columns with different dictionaries cannot be combined; cast the column to its value type first.",
        );
      }
      return mkData<T>({ ...base, data: concatFixed(parts), dictionary: dict });
    }
    default:
      if (isFixedWidth(type.typeId)) return mkData<T>({ ...base, data: concatFixed(parts) });
      throw new TypeError(`concat: columns of type ${typeName(type)} are not supported yet.`);
  }
}

function concatFixed(parts: readonly Data[]): ArrayBufferView {
  let total = 0;
  for (const c of parts) total += c.length * c.stride;
  const first = parts[0]!.values as Int32Array;
  // Morsels sliced from one column (a memory source) lie back to back in one buffer: view
  // that range instead of copying it.
  let adjacent = true;
  let end = first.byteOffset;
  for (const c of parts) {
    const v = c.values as Int32Array;
    if (v.buffer !== first.buffer || v.byteOffset !== end) {
      adjacent = false;
      break;
    }
    end += c.length * c.stride * v.BYTES_PER_ELEMENT;
  }
  if (adjacent) {
    const View = first.constructor as new (b: ArrayBufferLike, o: number, n: number) => Int32Array;
    return new View(first.buffer, first.byteOffset, total);
  }
  const Ctor = first.constructor as new (
    n: number,
  ) => {
    set(a: ArrayLike<unknown>, o: number): void;
  };
  const out = new Ctor(total);
  let pos = 0;
  for (const c of parts) {
    const len = c.length * c.stride;
    out.set((c.values as Int32Array).subarray(0, len), pos);
    pos += len;
  }
  return out as unknown as ArrayBufferView;
}

function concatValidity(
  parts: readonly Data[],
  n: number,
): { validity: Uint8Array | null; nulls: number } {
  let nulls = 0;
  for (const c of parts) nulls += c.nullCount;
  if (nulls === 0) return { validity: null, nulls: 0 };
  const out = new Uint8Array(bitmapBytes(n));
  let pos = 0;
  for (const c of parts) {
    if (c.typeId === Type.Null) {
      // all null: leave bits at 0
    } else if (c.nullCount === 0) setBits(out, pos, c.length);
    else copyBitsInto(c.nullBitmap!, c.offset, c.length, out, pos);
    pos += c.length;
  }
  return { validity: out, nulls };
}

/** Copies `len` bits from src (starting at bit `from`) into dst at bit `to`. */
export function copyBitsInto(
  src: Uint8Array,
  from: number,
  len: number,
  dst: Uint8Array,
  to: number,
): void {
  if ((from & 7) === 0 && (to & 7) === 0) {
    const full = len >> 3;
    dst.set(src.subarray(from >> 3, (from >> 3) + full), to >> 3);
    for (let i = full << 3; i < len; i++) {
      const b = from + i;
      if ((src[b >> 3]! >> (b & 7)) & 1) dst[(to + i) >> 3]! |= 1 << ((to + i) & 7);
    }
    return;
  }
  for (let i = 0; i < len; i++) {
    const b = from + i;
    if ((src[b >> 3]! >> (b & 7)) & 1) dst[(to + i) >> 3]! |= 1 << ((to + i) & 7);
  }
}

function setBits(dst: Uint8Array, to: number, len: number): void {
  for (let i = 0; i < len; i++) dst[(to + i) >> 3]! |= 1 << ((to + i) & 7);
}

/** Concatenates record batches of one schema into one column Data per field. */
export function concatBatches(schema: Schema, batches: readonly RecordBatch[]): Data[] {
  return schema.fields.map((f, k) =>
    concatData(
      f.type,
      batches.map((b) => b.data.children[k]!),
    ),
  );
}

/** A zero-row column of any type. */
export function emptyData<T extends DataType>(type: T): Data<T> {
  return vectorFromArray([], type).data[0] as Data<T>;
}

/** The morsel size blocking operators emit in: up to 128K rows per batch. */
export const OUTPUT_BATCH_ROWS = 128 * 1024;

/** Wraps whole columns as one RecordBatch. */
export function makeBatch(schema: Schema, columns: readonly Data[], length: number): RecordBatch {
  const data = makeData({
    type: new Struct(schema.fields),
    length,
    nullCount: 0,
    children: columns as Data[],
  });
  return new RecordBatch(schema, data);
}

/** Yields `columns` as batches of at most `rows` rows (zero-copy slices). */
export function* sliceIntoBatches(
  schema: Schema,
  columns: readonly Data[],
  length: number,
  rows = OUTPUT_BATCH_ROWS,
): Generator<RecordBatch> {
  for (let start = 0; start < length; start += rows) {
    const len = Math.min(rows, length - start);
    yield makeBatch(
      schema,
      columns.map((c) => (start === 0 && len === c.length ? c : c.slice(start, len))),
      len,
    );
  }
}
