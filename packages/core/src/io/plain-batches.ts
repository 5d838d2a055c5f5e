// Arrow IPC from polars and other Arrow writers holds types the engine does not compute on:
// view types (polars writes every string as Utf8View) and dictionaries (polars Categorical).
// Like the Parquet reader, the IPC reader gives them as plain columns: utf8 / binary for the
// views, the values for a dictionary (see plainArrowType).
import {
  type Data,
  type DataType,
  Field,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Type,
  type Utf8,
} from "apache-arrow";
import { relabelData } from "../kernels/relabel.js";
import { dictionaryValues } from "./dictionary-values.js";
import { plainArrowType } from "./parquet-arrow-types.js";

/** The schema with views and dictionaries as plain types (the same object when none). */
export function plainSchema(schema: Schema): Schema {
  const fields = schema.fields.map((f) => {
    const t = plainArrowType(f.type);
    return t === f.type ? f : new Field(f.name, t, f.nullable, f.metadata);
  });
  return fields.every((f, i) => f === schema.fields[i])
    ? schema
    : new Schema(fields, schema.metadata);
}

/** A batch (of the file's schema) as `plain` (from plainSchema of that schema). */
export function plainBatch(batch: RecordBatch, plain: Schema): RecordBatch {
  if (batch.schema === plain) return batch;
  const children = batch.data.children.map((d, i) => plainData(d, plain.fields[i]!.type));
  return new RecordBatch(
    plain,
    makeData({ type: new Struct(plain.fields), length: batch.numRows, nullCount: 0, children }),
  );
}

function plainData(data: Data, type: DataType): Data {
  if (String(data.type) === String(type)) return data;
  if (data.type.typeId === Type.Dictionary) {
    return dictionaryValues(data, (dict) => plainData(dict, type));
  }
  const t = data.type.typeId;
  if (t === Type.Utf8View || t === Type.BinaryView) return viewsToPlain(data, type);
  // Another spelling of the zone (`+00:00` read as `UTC`): the same instants.
  if (t === Type.Timestamp && type.typeId === Type.Timestamp) {
    return relabelData(data, type, []);
  }
  if (data.children.length > 0 && data.children.length === type.children.length) {
    const children = data.children.map((c, i) => plainData(c, type.children[i]!.type));
    return relabelData(data, type, children);
  }
  throw new Error(`cannot read ${String(data.type)} as ${String(type)}`);
}

const VIEW = 16;
const INLINE = 12;

/** Utf8View / BinaryView (16-byte views over inline or variadic bytes) as Utf8 / Binary. */
function viewsToPlain(data: Data, type: DataType): Data {
  const views = data.values as Uint8Array;
  const dv = new DataView(views.buffer, views.byteOffset, views.byteLength);
  const buffers = (data as unknown as { variadicBuffers: readonly Uint8Array[] }).variadicBuffers;
  const n = data.length;
  const offsets = new Int32Array(n + 1);
  let total = 0;
  for (let i = 0; i < n; i++) {
    if (data.getValid(i)) total += Math.max(0, dv.getInt32(i * VIEW, true));
    offsets[i + 1] = total;
  }
  const bytes = new Uint8Array(total);
  const bitmap = new Uint8Array((n + 7) >> 3);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    if (!data.getValid(i)) {
      nulls++;
      continue;
    }
    bitmap[i >> 3]! |= 1 << (i & 7);
    const size = dv.getInt32(i * VIEW, true);
    if (size <= 0) continue;
    const at = offsets[i]!;
    if (size <= INLINE) {
      bytes.set(views.subarray(i * VIEW + 4, i * VIEW + 4 + size), at);
    } else {
      const buf = buffers[dv.getInt32(i * VIEW + 8, true)];
      const off = dv.getInt32(i * VIEW + 12, true);
      if (!buf) throw new Error(`a ${String(data.type)} value names a missing data buffer`);
      bytes.set(buf.subarray(off, off + size), at);
    }
  }
  return makeData({
    type: type as Utf8,
    length: n,
    nullCount: nulls,
    nullBitmap: nulls > 0 ? bitmap : undefined,
    valueOffsets: offsets,
    data: bytes,
  });
}
