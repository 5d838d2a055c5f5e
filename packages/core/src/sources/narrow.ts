// Files written by Polars (and pyarrow with large_string) hold large_utf8 / large_binary
// columns: 64-bit offsets. The engine's string kernels, hashing, comparison and take assume
// 32-bit offsets, so sources narrow them on read, one batch at a time. A batch holds at most
// batchSize rows, so its string bytes fit 32-bit offsets unless single values are huge; when
// they do not, the error says to lower batchSize. float16 (half floats, stored as 16-bit
// patterns) widens to float32 the same way, so every numeric kernel reads real numbers.
import os from "node:os";
import {
  Binary,
  type Data,
  type DataType,
  Dictionary,
  Field,
  FixedSizeList,
  Float32,
  type LargeList,
  List,
  Map_,
  makeData,
  Precision,
  RecordBatch,
  Schema,
  Struct,
  Type,
  Utf8,
  util,
  Vector,
} from "apache-arrow";
import type { ExecContext } from "../exec/context.js";
import { relabelData } from "../kernels/relabel.js";
import type { ScanRequest, ScanSource } from "../plan/source.js";

const MAX_INT32 = 2 ** 31 - 1;
const LITTLE_ENDIAN = os.endianness() === "LE";

/**
 * The type with every LargeUtf8 → Utf8, LargeBinary → Binary and float16 → float32, children
 * included.
 */
export function normalizeType(type: DataType): DataType {
  switch (type.typeId) {
    case Type.Float:
      return (type as Float32).precision === Precision.HALF ? new Float32() : type;
    case Type.LargeUtf8:
      return new Utf8();
    case Type.LargeBinary:
      return new Binary();
    case Type.LargeList: {
      const child = normalizeField((type as LargeList).children[0]!);
      return new List(child);
    }
    case Type.List: {
      const child = normalizeField((type as List).children[0]!);
      return child === (type as List).children[0] ? type : new List(child);
    }
    case Type.FixedSizeList: {
      const t = type as FixedSizeList;
      const child = normalizeField(t.children[0]!);
      return child === t.children[0] ? type : new FixedSizeList(t.listSize, child);
    }
    case Type.Struct: {
      const t = type as Struct;
      const children = t.children.map(normalizeField);
      return children.every((c, i) => c === t.children[i]) ? type : new Struct(children);
    }
    case Type.Map: {
      const t = type as Map_;
      const entries = normalizeField(t.children[0]!);
      return entries === t.children[0] ? type : new Map_(entries as Field<Struct>, t.keysSorted);
    }
    case Type.Dictionary: {
      const t = type as Dictionary;
      const values = normalizeType(t.dictionary);
      return values === t.dictionary ? type : new Dictionary(values, t.indices, t.id, t.isOrdered);
    }
    default:
      return type;
  }
}

function normalizeField(f: Field): Field {
  const type = normalizeType(f.type);
  return type === f.type ? f : new Field(f.name, type, f.nullable, f.metadata);
}

/** The schema with large string/binary types narrowed (the same object when there are none). */
export function normalizeSchema(schema: Schema): Schema {
  const fields = schema.fields.map(normalizeField);
  return fields.every((f, i) => f === schema.fields[i])
    ? schema
    : new Schema(fields, schema.metadata);
}

/**
 * Narrows one batch to `schema` (from normalizeSchema of the batch's schema). Buffers are
 * shared except the offsets, which are rewritten as Int32. `tooLarge(column, bytes)` builds
 * the error thrown when a column's data in this batch exceed 2^31-1 bytes.
 */
function narrowBatch(
  batch: RecordBatch,
  schema: Schema,
  tooLarge: (column: string, bytes: number) => Error,
): RecordBatch {
  const children = batch.data.children.map((d, i) =>
    narrowData(d, schema.fields[i]!.type, (bytes) => tooLarge(schema.fields[i]!.name, bytes)),
  );
  return new RecordBatch(
    schema,
    makeData({ type: new Struct(schema.fields), length: batch.numRows, nullCount: 0, children }),
  );
}

function narrowData(data: Data, type: DataType, tooLarge: (bytes: number) => Error): Data {
  // Nothing large inside (the batch's type objects need not be the schema's own).
  if (type === data.type || normalizeType(data.type) === data.type) return data;
  switch (data.type.typeId) {
    case Type.LargeUtf8:
    case Type.LargeBinary:
      return narrowOffsets(data, type, tooLarge);
    case Type.Float:
      return widenHalf(data, type as Float32);
    case Type.LargeList: {
      // Offsets narrowed and rebased; the child is cut to the rows' range and narrowed too.
      const { offsets, first, end } = narrowedOffsets(data, tooLarge);
      const child = narrowData(
        data.children[0]!.slice(first, end - first),
        (type as List).children[0]!.type,
        tooLarge,
      );
      return makeData({
        type: type as List,
        length: data.length,
        nullCount: data.nullCount,
        nullBitmap: bitmapOf(data),
        valueOffsets: offsets,
        child,
      });
    }
    case Type.Dictionary: {
      const dict = data.dictionary!;
      const valueType = (type as Dictionary).dictionary;
      const values = dict.data.map((d) => narrowData(d, valueType, tooLarge));
      return makeData({
        type: type as Dictionary,
        offset: data.offset,
        length: data.length,
        nullCount: data.nullCount,
        nullBitmap: data.nullBitmap,
        data: data.values,
        dictionary: new Vector(values),
      });
    }
    default: {
      // Nested: the parent's buffers stay; children are narrowed against the new child types.
      const childTypes = type.children.map((f: Field) => f.type);
      const children = data.children.map((c, i) => narrowData(c, childTypes[i]!, tooLarge));
      return relabelData(data, type, children);
    }
  }
}

/** A sliced Data's validity bitmap, starting at its first row (null when no nulls). */
function bitmapOf(data: Data): Uint8Array | undefined {
  return data.nullCount > 0 && data.nullBitmap
    ? util.truncateBitmap(data.offset, data.length, data.nullBitmap)
    : undefined;
}

/**
 * 64-bit offsets → 32-bit, rebased to start at 0. Arrow JS slices offsets with the data
 * (wide[0] is the first row's); the validity bitmap is not sliced (it counts from offset).
 */
function narrowedOffsets(
  data: Data,
  tooLarge: (bytes: number) => Error,
): { offsets: Int32Array; first: number; end: number } {
  const wide = data.valueOffsets as unknown as BigInt64Array;
  const length = data.length;
  const first = Number(wide[0]);
  const end = Number(wide[length]);
  if (end - first > MAX_INT32) throw tooLarge(end - first);
  // Offsets are non-negative and rising, so each fits in the low 32-bit word (little-endian)
  // once rebased: reading those words avoids a BigInt per row.
  const offsets = new Int32Array(length + 1);
  if (LITTLE_ENDIAN) {
    const low = new Int32Array(wide.buffer, wide.byteOffset, wide.length * 2);
    const base = low[0]!;
    for (let i = 0, j = 0; i <= length; i++, j += 2) offsets[i] = (low[j]! - base) | 0;
  } else {
    for (let i = 0; i <= length; i++) offsets[i] = Number(wide[i]) - first;
  }
  return { offsets, first, end };
}

/** Large string/binary → utf8/binary: narrowed offsets over a zero-copy view of the bytes. */
function narrowOffsets(data: Data, type: DataType, tooLarge: (bytes: number) => Error): Data {
  const { offsets, first, end } = narrowedOffsets(data, tooLarge);
  return makeData({
    type: type as Utf8,
    length: data.length,
    nullCount: data.nullCount,
    nullBitmap: bitmapOf(data),
    valueOffsets: offsets,
    data: (data.values as Uint8Array).subarray(first, end),
  });
}

/** float16 → float32: every value decoded from its 16-bit pattern; the bitmap is shared. */
function widenHalf(data: Data, type: Float32): Data {
  const bits = data.values as unknown as Uint16Array;
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = util.uint16ToFloat64(bits[i]!);
  return makeData({
    type,
    length: data.length,
    nullCount: data.nullCount,
    nullBitmap: bitmapOf(data),
    data: out,
  });
}

/**
 * A source whose large_utf8/large_binary columns (anywhere in its schema) read as utf8/binary,
 * batch by batch; every other source is returned as it is.
 */
export function narrowLargeTypes(source: ScanSource): ScanSource {
  const schema = normalizeSchema(source.schema);
  if (schema === source.schema) return source;
  const tooLarge = (column: string, bytes: number) =>
    new RangeError(
      `${source.describe()}: column "${column}" holds ${bytes} bytes of large_utf8/large_binary data in one batch; deft reads such columns as utf8 with 32-bit offsets (up to 2 GiB per batch). Read it with a smaller batchSize.`,
    );
  return {
    kind: source.kind,
    schema,
    usesFilter: source.usesFilter,
    numRows: source.numRows,
    describe: () => source.describe(),
    describeTasks: source.describeTasks && ((request) => source.describeTasks!(request)),
    partitions: source.partitions && ((request) => source.partitions!(request)),
    async *scan(request: ScanRequest, ctx: ExecContext): AsyncGenerator<RecordBatch> {
      // A pruned scan yields only some columns: narrow each batch against its own fields
      // (batches of one scan share their schema, so it is worked out once).
      let from: Schema | null = null;
      let to: Schema = schema;
      for await (const batch of source.scan(request, ctx)) {
        if (batch.schema !== from) {
          from = batch.schema;
          to = normalizeSchema(from);
        }
        yield to === batch.schema ? batch : narrowBatch(batch, to, tooLarge);
      }
    },
  };
}
