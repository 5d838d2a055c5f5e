// Column builders for the generator: typed arrays and hand-built Utf8 (offsets + bytes), so a
// 6M-row table is built without a JS value per cell (apache-arrow's vectorFromArray costs ~2 µs
// a string).
import {
  type Data,
  DateDay,
  Field,
  Float64,
  Int32,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  Utf8,
} from "apache-arrow";

const encoder = new TextEncoder();

/** Appends strings as UTF-8 bytes; `finish()` gives the Arrow Utf8 column. */
export class StringColumn {
  private bytes: Uint8Array;
  private offsets: Int32Array;
  private used = 0;
  private rows = 0;

  /** `rows` and `avgBytes` size the first allocation; both grow as needed. */
  constructor(rows: number, avgBytes: number) {
    this.bytes = new Uint8Array(Math.max(16, Math.ceil(rows * avgBytes)));
    this.offsets = new Int32Array(rows + 1);
  }

  private reserve(n: number): void {
    if (this.used + n <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.used + n));
    grown.set(this.bytes.subarray(0, this.used));
    this.bytes = grown;
  }

  /** Appends `src[start, end)` (already UTF-8). */
  pushBytes(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    this.reserve(n);
    // A byte loop beats subarray().set() for the short strings most columns hold.
    const bytes = this.bytes;
    if (n < 64) for (let i = 0, o = this.used; i < n; i++) bytes[o + i] = src[start + i]!;
    else bytes.set(src.subarray(start, end), this.used);
    this.used += n;
    if (this.rows + 1 >= this.offsets.length) {
      const grown = new Int32Array(this.offsets.length * 2);
      grown.set(this.offsets);
      this.offsets = grown;
    }
    this.offsets[++this.rows] = this.used;
  }

  pushEncoded(b: Uint8Array): void {
    this.pushBytes(b, 0, b.length);
  }

  push(s: string): void {
    this.pushEncoded(encoder.encode(s));
  }

  finish(): Data<Utf8> {
    return makeData({
      type: new Utf8(),
      length: this.rows,
      nullCount: 0,
      valueOffsets: this.offsets.subarray(0, this.rows + 1),
      data: this.bytes.subarray(0, this.used),
    });
  }
}

/** The UTF-8 bytes of each word of a fixed list (pushed many times). */
export function encodeAll(words: readonly string[]): Uint8Array[] {
  return words.map((s) => encoder.encode(s));
}

export type ColumnData = Data<Utf8> | Data<Int32> | Data<Float64> | Data<DateDay>;

export const int32 = (values: Int32Array): Data<Int32> =>
  makeData({ type: new Int32(), length: values.length, nullCount: 0, data: values });
export const float64 = (values: Float64Array): Data<Float64> =>
  makeData({ type: new Float64(), length: values.length, nullCount: 0, data: values });
/** Days since 1970-01-01. */
export const date32 = (days: Int32Array): Data<DateDay> =>
  makeData({ type: new DateDay(), length: days.length, nullCount: 0, data: days });

/** One apache-arrow Table from named columns of equal length (non-nullable fields). */
export function tableOf(columns: Record<string, ColumnData>): Table {
  const names = Object.keys(columns);
  const datas = names.map((n) => columns[n]!);
  const length = datas[0]!.length;
  for (const [i, d] of datas.entries()) {
    if (d.length !== length) {
      throw new Error(`column ${names[i]} has ${d.length} rows, ${names[0]} has ${length}`);
    }
  }
  const fields = names.map((n, i) => new Field(n, datas[i]!.type, false));
  const schema = new Schema(fields);
  const struct = makeData({
    type: new Struct(fields),
    length,
    nullCount: 0,
    children: datas as Data[],
  });
  return new Table([new RecordBatch(schema, struct)]);
}

/** Round to cents (the money columns are DOUBLE but hold two-decimal values). */
export const cents = (x: number): number => Math.round(x * 100) / 100;
