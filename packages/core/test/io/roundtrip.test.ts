import path from "node:path";
import {
  CsvSource,
  IpcSource,
  NdjsonSource,
  ParquetSource,
  writeArrowBatches,
  writeCsvBatches,
  writeJsonBatches,
  writeParquetBatches,
} from "@deft/core/internal";
import {
  Binary,
  Bool,
  type Data,
  type DataType,
  DateDay,
  Field,
  Float32,
  Float64,
  Int8,
  Int16,
  Int32,
  Int64,
  LargeUtf8,
  List,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Timestamp,
  TimeUnit,
  Uint8,
  Uint16,
  Uint32,
  Uint64,
  Utf8,
  vectorFromArray,
} from "apache-arrow";
import { describe, expect, it } from "vitest";
import { collect, ctx, tmpDir } from "./helpers.js";

const N = 7;
// Row 3 is null in every column; the rest exercise edge values.
const NULL_ROW = 3;
const valid = (i: number) => i !== NULL_ROW;

function fixedColumn(
  type: DataType,
  values: ArrayLike<number | bigint> & { length: number },
): Data {
  const bitmap = new Uint8Array(8);
  for (let i = 0; i < N; i++) if (valid(i)) bitmap[i >> 3]! |= 1 << (i & 7);
  return makeData({
    type,
    length: N,
    nullCount: 1,
    nullBitmap: bitmap,
    data: values,
  } as never) as Data;
}

const fromJs = (type: DataType, values: unknown[]): Data =>
  vectorFromArray(
    values.map((v, i) => (valid(i) ? v : null)),
    type,
  ).data[0]!;

const T0 = Date.UTC(2024, 1, 29, 13, 45, 7, 123);
const scalarColumns = () => ({
  i8: fixedColumn(new Int8(), Int8Array.from([-128, 127, 0, 0, 1, -1, 5])),
  i16: fixedColumn(new Int16(), Int16Array.from([-32768, 32767, 0, 0, 1, -1, 5])),
  i32: fixedColumn(new Int32(), Int32Array.from([-2147483648, 2147483647, 0, 0, 1, -1, 5])),
  i64: fixedColumn(
    new Int64(),
    BigInt64Array.from([
      -9223372036854775808n,
      9223372036854775807n,
      0n,
      0n,
      9007199254740993n,
      -1n,
      5n,
    ]),
  ),
  u8: fixedColumn(new Uint8(), Uint8Array.from([0, 255, 1, 0, 2, 3, 4])),
  u16: fixedColumn(new Uint16(), Uint16Array.from([0, 65535, 1, 0, 2, 3, 4])),
  u32: fixedColumn(new Uint32(), Uint32Array.from([0, 4294967295, 1, 0, 2, 3, 4])),
  u64: fixedColumn(
    new Uint64(),
    BigUint64Array.from([0n, 18446744073709551615n, 1n, 0n, 2n, 3n, 4n]),
  ),
  f32: fixedColumn(
    new Float32(),
    Float32Array.from([1.5, -0.25, 3e10, 0, Number.POSITIVE_INFINITY, -1, 0]),
  ),
  f64: fixedColumn(
    new Float64(),
    Float64Array.from([Math.PI, -1e-300, 1e300, 0, Number.NEGATIVE_INFINITY, Number.NaN, 0.1]),
  ),
  bool: fromJs(new Bool(), [true, false, true, true, false, true, false]),
  utf8: fromJs(new Utf8(), [
    "plain",
    "",
    'comma, "quote"',
    "x",
    "line\nbreak",
    "ünïcødé ✓ 🎉",
    "NA",
  ]),
  date: fixedColumn(new DateDay(), Int32Array.from([0, -1, 19782, 0, 2932896, -719162, 1])),
  ts_ms: fixedColumn(
    new Timestamp(TimeUnit.MILLISECOND),
    BigInt64Array.from([BigInt(T0), 0n, -1n, 0n, 1n, BigInt(T0) + 999n, 86_400_000n]),
  ),
  ts_us_utc: fixedColumn(
    new Timestamp(TimeUnit.MICROSECOND, "UTC"),
    BigInt64Array.from([BigInt(T0) * 1000n + 456n, 0n, -1n, 0n, 1n, 2n, 3n]),
  ),
  ts_ns: fixedColumn(
    new Timestamp(TimeUnit.NANOSECOND),
    BigInt64Array.from([BigInt(T0) * 1_000_000n + 456_789n, 0n, -1n, 0n, 1n, 2n, 3n]),
  ),
  ts_s: fixedColumn(
    new Timestamp(TimeUnit.SECOND),
    BigInt64Array.from([BigInt((T0 / 1000) | 0), 0n, -1n, 0n, 1n, 2n, 3n]),
  ),
});

const nestedColumns = () => ({
  list: fromJs(new List(new Field("item", new Int32(), true)), [
    [1, 2],
    [],
    [null, 3],
    null,
    [4],
    [5, 6, 7],
    [-1],
  ]),
  struct: fromJs(
    new Struct([new Field("a", new Int32(), true), new Field("b", new Utf8(), true)]),
    [
      { a: 1, b: "x" },
      { a: null, b: "y" },
      { a: 3, b: null },
      null,
      { a: 5, b: "" },
      { a: 6, b: "z" },
      { a: 7, b: "w" },
    ],
  ),
});

const binaryColumns = () => ({
  bin: fromJs(new Binary(), [
    Uint8Array.from([0, 1, 255]),
    new Uint8Array(0),
    Uint8Array.from([7]),
    null,
    Uint8Array.from([1]),
    Uint8Array.from([2]),
    Uint8Array.from([3]),
  ]),
  large: fromJs(new LargeUtf8(), ["a", "bb", "", null, "ccc", "d", "é"]),
});

function batchOf(cols: Record<string, Data>): RecordBatch {
  const fields = Object.entries(cols).map(([name, d]) => new Field(name, d.type, true));
  const schema = new Schema(fields);
  return new RecordBatch(
    schema,
    makeData({ type: new Struct(fields), length: N, nullCount: 0, children: Object.values(cols) }),
  );
}

/** Compares every cell (as JS values; NaN equal to NaN) and the column types. */
function expectSameTable(got: RecordBatch[], want: RecordBatch): void {
  const rows = got.reduce((n, b) => n + b.numRows, 0);
  expect(rows).toBe(want.numRows);
  for (const f of want.schema.fields) {
    const gotField = got[0]!.schema.fields.find((g) => g.name === f.name);
    expect(String(gotField?.type), `type of ${f.name}`).toBe(String(f.type));
    const have: unknown[] = [];
    for (const b of got)
      for (let i = 0; i < b.numRows; i++) have.push(norm(b.getChild(f.name)!.get(i)));
    const expected: unknown[] = [];
    for (let i = 0; i < want.numRows; i++) expected.push(norm(want.getChild(f.name)!.get(i)));
    expect(have, `values of ${f.name}`).toEqual(expected);
  }
}

function norm(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === "number" && Number.isNaN(v)) return "NaN";
  if (v instanceof Uint8Array) return [...v];
  if (typeof v === "object" && typeof (v as { toJSON?: () => unknown }).toJSON === "function")
    return norm((v as { toJSON: () => unknown }).toJSON());
  if (Array.isArray(v)) return v.map(norm);
  if (typeof v === "object")
    return Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, norm(x)]));
  return v;
}

const typeMap = (schema: Schema) => Object.fromEntries(schema.fields.map((f) => [f.name, f.type]));

describe("round trip of every type with nulls", () => {
  const all = batchOf({ ...scalarColumns(), ...nestedColumns(), ...binaryColumns() });

  for (const compression of ["zstd", "snappy", "none"] as const) {
    it(`Parquet (${compression})`, async () => {
      const file = path.join(tmpDir(), "all.parquet");
      const res = await writeParquetBatches([all.slice(0, 4), all.slice(4)], all.schema, file, {
        compression,
        rowGroupSize: 3,
      });
      expect(res).toMatchObject({ path: file, paths: [file], rows: N });
      expect(res.bytes).toBeGreaterThan(100);
      const src = new ParquetSource(file);
      expect(src.files[0]!.metadata.row_groups.length).toBe(3);
      expectSameTable(await collect(src.scan({}, ctx())), all);
    });
  }

  for (const format of ["file", "stream"] as const) {
    it(`Arrow IPC (${format})`, async () => {
      const file = path.join(tmpDir(), `all.${format === "file" ? "arrow" : "arrows"}`);
      await writeArrowBatches([all.slice(0, 2), all.slice(2)], all.schema, file, { format });
      const src = new IpcSource(file);
      expect(src.format).toBe(format);
      expectSameTable(await collect(src.scan({}, ctx())), all);
    });
  }

  it("NDJSON (with the schema given)", async () => {
    const batch = batchOf({ ...scalarColumns(), ...nestedColumns() });
    const file = path.join(tmpDir(), "all.ndjson");
    await writeJsonBatches([batch], batch.schema, file);
    const src = new NdjsonSource(file, { schema: typeMap(batch.schema) });
    expectSameTable(await collect(src.scan({}, ctx())), batch);
  });

  it("CSV (with the schema given; empty string and null stay apart)", async () => {
    const batch = batchOf(scalarColumns());
    const file = path.join(tmpDir(), "all.csv");
    await writeCsvBatches([batch], batch.schema, file);
    const src = new CsvSource(file, { schema: typeMap(batch.schema), nullValues: [""] });
    expectSameTable(await collect(src.scan({}, ctx())), batch);
  });

  it("CSV and NDJSON refuse types they cannot hold, before writing anything", async () => {
    const dir = tmpDir();
    const batch = batchOf(nestedColumns());
    await expect(writeCsvBatches([batch], batch.schema, path.join(dir, "x.csv"))).rejects.toThrow(
      /CSV cannot hold column "list"/,
    );
    const bin = batchOf(binaryColumns());
    await expect(writeJsonBatches([bin], bin.schema, path.join(dir, "x.ndjson"))).rejects.toThrow(
      /NDJSON cannot hold column "bin" of type binary/,
    );
    const { readdirSync } = await import("node:fs");
    expect(readdirSync(dir)).toEqual([]);
  });
});
