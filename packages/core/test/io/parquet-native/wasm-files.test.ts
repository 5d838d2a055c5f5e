import path from "node:path";
import {
  Bool,
  Field,
  FixedSizeBinary,
  Float32,
  Float64,
  Int32,
  Int64,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  Utf8,
  vectorFromArray,
} from "apache-arrow";
import { Compression, Encoding, WriterVersion } from "parquet-wasm";
import { beforeAll, describe, expect, it } from "vitest";
import { tmpDir } from "../helpers.js";
import { expectSameTables, readWithDeft, readWithWasm, writeWithWasm } from "./helpers.js";
import { chunkPages } from "./pages.js";

// Files written by parquet-wasm (arrow-rs), whose writer reaches what DuckDB's does not: data
// page v2, REQUIRED columns, many pages per column chunk, DELTA_BYTE_ARRAY, RLE booleans.
// The native decoder must read them exactly as parquet-wasm does.

const N = 5_000;
let table: Table;
let dir: string;

beforeAll(() => {
  dir = tmpDir("deft-native-wasm-");
  const nullable = (name: string, type: Schema["fields"][number]["type"], values: unknown[]) => ({
    field: new Field(name, type, true),
    values,
  });
  const cols = [
    nullable(
      "i32",
      new Int32(),
      Array.from({ length: N }, (_, i) => (i % 7 === 0 ? null : i * 31 - 9000)),
    ),
    nullable(
      "i64",
      new Int64(),
      Array.from({ length: N }, (_, i) => (i % 5 === 0 ? null : BigInt(i) ** 4n - 2n ** 62n)),
    ),
    nullable(
      "f32",
      new Float32(),
      Array.from({ length: N }, (_, i) => (i % 9 === 0 ? null : i / 3)),
    ),
    nullable(
      "f64",
      new Float64(),
      Array.from({ length: N }, (_, i) => (i % 4 === 0 ? Number.NaN : i * 1.5e300)),
    ),
    nullable(
      "b",
      new Bool(),
      Array.from({ length: N }, (_, i) => (i % 6 === 0 ? null : i % 3 === 0)),
    ),
    nullable(
      "s",
      new Utf8(),
      Array.from({ length: N }, (_, i) =>
        i % 8 === 0 ? null : `prefix-shared-${Math.floor(i / 3)}-é`,
      ),
    ),
    nullable(
      "fb",
      new FixedSizeBinary(3),
      Array.from({ length: N }, (_, i) =>
        i % 10 === 0 ? null : Uint8Array.of(i & 255, i >> 8, 7),
      ),
    ),
  ];
  const required = {
    field: new Field("req", new Int64(), false),
    values: Array.from({ length: N }, (_, i) => BigInt(i * i)),
  };
  const all = [...cols, required];
  const schema = new Schema(all.map((c) => c.field));
  const data = all.map((c) => vectorFromArray(c.values as never, c.field.type).data[0]!);
  const batch = new RecordBatch(
    schema,
    makeData({ type: new Struct(schema.fields), length: N, children: data }),
  );
  table = new Table([batch]);
});

const NAMES = ["i32", "i64", "f32", "f64", "b", "s", "fb", "req"];

async function expectNativeEqualsWasm(file: string, threads = 1): Promise<void> {
  const { table: got, decoder } = await readWithDeft(file, NAMES, threads);
  expect(decoder).toBe("native");
  const want = await readWithWasm(file, NAMES);
  expectSameTables(got, want, NAMES, path.basename(file));
}

describe("Parquet files written by parquet-wasm, read by the native decoder", () => {
  it.each([
    ["v1 pages, dictionary", WriterVersion.V1, true, Compression.SNAPPY],
    ["v2 pages, dictionary", WriterVersion.V2, true, Compression.ZSTD],
    ["v1 pages, plain", WriterVersion.V1, false, Compression.GZIP],
    ["v2 pages, plain", WriterVersion.V2, false, Compression.LZ4_RAW],
    ["v2 pages, uncompressed", WriterVersion.V2, false, Compression.UNCOMPRESSED],
    ["v1 pages, brotli", WriterVersion.V1, true, Compression.BROTLI],
  ])("%s, many pages per column chunk", async (label, version, dictionary, compression) => {
    const file = path.join(dir, `${label.replace(/\W+/g, "-")}.parquet`);
    writeWithWasm(table, file, {
      version,
      dictionary,
      compression,
      pageBytes: 1024,
      rowGroupSize: 2_000,
    });
    const pages = chunkPages(file, 0, "s").filter((p) => p.type === 0 || p.type === 3);
    expect(pages.length).toBeGreaterThan(1);
    expect(pages[0]!.type).toBe(version === WriterVersion.V2 ? 3 : 0);
    await expectNativeEqualsWasm(file, 2);
  });

  it.each([
    [
      "DELTA_BYTE_ARRAY strings and fixed-length bytes",
      { s: Encoding.DELTA_BYTE_ARRAY, fb: Encoding.DELTA_BYTE_ARRAY },
    ],
    ["DELTA_LENGTH_BYTE_ARRAY strings", { s: Encoding.DELTA_LENGTH_BYTE_ARRAY }],
    [
      "DELTA_BINARY_PACKED integers",
      {
        i32: Encoding.DELTA_BINARY_PACKED,
        i64: Encoding.DELTA_BINARY_PACKED,
        req: Encoding.DELTA_BINARY_PACKED,
      },
    ],
    [
      "BYTE_STREAM_SPLIT floats and fixed-length bytes",
      {
        f32: Encoding.BYTE_STREAM_SPLIT,
        f64: Encoding.BYTE_STREAM_SPLIT,
        fb: Encoding.BYTE_STREAM_SPLIT,
      },
    ],
    ["RLE booleans", { b: Encoding.RLE }],
  ])("%s, v1 and v2 pages", async (label, columnEncodings) => {
    for (const version of [WriterVersion.V1, WriterVersion.V2]) {
      const file = path.join(dir, `${label.replace(/\W+/g, "-")}-${version}.parquet`);
      writeWithWasm(table, file, {
        version,
        columnEncodings,
        compression: Compression.SNAPPY,
        pageBytes: 4096,
      });
      for (const [c, e] of Object.entries(columnEncodings)) {
        const encodings = chunkPages(file, 0, c).map((p) => p.encoding);
        // parquet-wasm's enum is off by one from Parquet's above PLAIN (it has no GROUP_VAR_INT).
        expect(encodings).toContain(e + 1);
      }
      await expectNativeEqualsWasm(file);
    }
  });
});
