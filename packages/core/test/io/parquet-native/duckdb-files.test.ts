import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { tmpDir } from "../helpers.js";
import {
  columnCells,
  duckCell,
  duckRows,
  duckRun,
  expectSameCells,
  readWithDeft,
} from "./helpers.js";
import { chunkPages } from "./pages.js";

// Files written by DuckDB, read by deft's own decoder and compared, cell by cell, with DuckDB
// reading the same file. DuckDB's PARQUET_VERSION V2 switches its encodings to
// DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY and BYTE_STREAM_SPLIT (its pages stay v1).

const ROWS = 30_000;
const GROUP = 10_000;

// Each column with the SQL that reads it back from DuckDB as what `cell` prints.
const COLUMNS: [string, string, string][] = [
  ["i32", "CASE WHEN i % 11 = 0 THEN NULL ELSE (i * 7919 - 50000)::INTEGER END", "i32"],
  [
    "i64",
    "CASE i % 5 WHEN 0 THEN -9223372036854775808 WHEN 1 THEN 9223372036854775807 ELSE i * 123456789123 END",
    "i64",
  ],
  ["i8", "(i % 256 - 128)::TINYINT", "i8"],
  ["i16", "(i * 37 % 65536 - 32768)::SMALLINT", "i16"],
  ["u8", "(i % 256)::UTINYINT", "u8"],
  ["u16", "(i % 65536)::USMALLINT", "u16"],
  ["u32", "(i * 2654435761 % 4294967296)::UINTEGER", "u32"],
  ["u64", "CASE WHEN i % 3 = 0 THEN 18446744073709551615 ELSE i * 1000003 END::UBIGINT", "u64"],
  [
    "f32",
    "CASE i % 6 WHEN 0 THEN 'nan'::FLOAT WHEN 1 THEN -0.0::FLOAT WHEN 2 THEN 'inf'::FLOAT WHEN 3 THEN NULL ELSE (i / 7.0)::FLOAT END",
    "f32::DOUBLE",
  ],
  ["f64", "CASE i % 4 WHEN 0 THEN 'nan'::DOUBLE WHEN 1 THEN -0.0 ELSE i / 3.0 END", "f64"],
  ["b", "CASE WHEN i % 13 = 0 THEN NULL ELSE i % 3 = 0 END", "b"],
  [
    "s",
    "CASE i % 9 WHEN 0 THEN NULL WHEN 1 THEN '' WHEN 2 THEN 'ø日本🦆' ELSE 'city' || (i % 40)::VARCHAR END",
    "s",
  ],
  [
    "u",
    "CASE WHEN i % 17 = 0 THEN NULL WHEN i % 17 = 1 THEN '' ELSE 'unique-' || i::VARCHAR END",
    "u",
  ],
  ["empty", "''", "empty"],
  ["allnull", `CASE WHEN i < ${GROUP} THEN NULL ELSE i END::INTEGER`, "allnull"],
  ["d", "DATE '1969-12-25' + (i % 2000)::INTEGER", "(d - DATE '1970-01-01')::INTEGER"],
  ["ts", "TIMESTAMP '2020-01-01' + to_microseconds(i * 1000003)", "epoch_us(ts)"],
  ["tz", "TIMESTAMPTZ '2020-01-01 00:00:00+00' + to_microseconds(i)", "epoch_us(tz)"],
  ["id", "CASE WHEN i % 10 = 0 THEN NULL ELSE uuid() END", "hex(id::BLOB)"],
  ["bl", "CASE WHEN i % 8 = 0 THEN NULL ELSE ('\\x00\\xFF' || i::VARCHAR)::BLOB END", "bl"],
];
const NAMES = COLUMNS.map((c) => c[0]);

let dir: string;
beforeAll(async () => {
  dir = tmpDir("deft-native-duck-");
  await duckRun(
    `CREATE TABLE t AS SELECT ${COLUMNS.map(([n, e]) => `${e} AS ${n}`).join(", ")} FROM range(${ROWS}) r(i) ORDER BY i`,
  );
});

async function write(codec: string, version: string): Promise<string> {
  const file = path.join(dir, `t-${codec}-${version}.parquet`);
  await duckRun(
    `COPY t TO '${file}' (FORMAT parquet, COMPRESSION ${codec}, PARQUET_VERSION ${version}, ROW_GROUP_SIZE ${GROUP})`,
  );
  return file;
}

async function expectSameAsDuckDB(file: string, threads = 1): Promise<void> {
  const { table, decoder } = await readWithDeft(file, NAMES, threads);
  expect(decoder).toBe("native");
  expect(table.numRows).toBe(ROWS);
  const ref = await duckRows(
    `SELECT ${COLUMNS.map(([n, , r]) => `${r} AS ${n}`).join(", ")} FROM read_parquet('${file}')`,
  );
  for (const name of NAMES) {
    expectSameCells(
      columnCells(table, name),
      ref.map((r) => duckCell(r[name])),
      `${path.basename(file)} column ${name}`,
    );
  }
}

const CODECS = ["uncompressed", "snappy", "zstd", "gzip", "brotli", "lz4_raw"];

describe("Parquet files written by DuckDB, read by the native decoder", () => {
  it.each(CODECS)("%s, PARQUET_VERSION V1 (PLAIN and dictionary pages)", async (codec) => {
    const file = await write(codec, "V1");
    const encodings = await duckRows(
      `SELECT DISTINCT unnest(string_split(encodings, ', ')) AS e FROM parquet_metadata('${file}')`,
    );
    expect(encodings.map((r) => r.e).sort()).toEqual(["PLAIN", "PLAIN_DICTIONARY"]);
    await expectSameAsDuckDB(file);
  });

  it.each(CODECS)(
    "%s, PARQUET_VERSION V2 (delta and byte-stream-split encodings)",
    async (codec) => {
      const file = await write(codec, "V2");
      const encodings = await duckRows(
        `SELECT DISTINCT unnest(string_split(encodings, ', ')) AS e FROM parquet_metadata('${file}')`,
      );
      expect(encodings.map((r) => r.e).sort()).toEqual([
        "BYTE_STREAM_SPLIT",
        "DELTA_BINARY_PACKED",
        "DELTA_LENGTH_BYTE_ARRAY",
        "PLAIN",
        "RLE_DICTIONARY",
      ]);
      await expectSameAsDuckDB(file, 2);
    },
  );

  it("a row group whose column is all null decodes to nulls (one all-null page)", async () => {
    const file = await write("zstd", "V1");
    const pages = chunkPages(file, 0, "allnull").filter((p) => p.type !== 2);
    expect(pages.length).toBeGreaterThan(0);
    const { table } = await readWithDeft(file, ["allnull"]);
    const v = table.getChild("allnull")!;
    expect(v.nullCount).toBe(GROUP);
    expect(v.get(GROUP)).toBe(GROUP);
  });
});
