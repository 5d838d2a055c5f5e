import fs from "node:fs";
import path from "node:path";
import { readArrow, readParquet } from "@deft/core";
import { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import pl from "nodejs-polars";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tmpDir } from "../helpers.js";
import { arrowRows, duckRows, polarsRows } from "./helpers.js";

// The coverage matrix: one row per type DuckDB or polars writes. Each column is written by
// the tool during the test with a null, read by deft and compared value by value with what
// the tool reads back itself; then deft writes it (Parquet, and Arrow IPC for polars) and
// the tool reads deft's file with the same values and the same type. A type deft lacks
// would be a row with the error it must give; today every type the tools write reads.

interface DuckCase {
  /** SQL literal of the non-null value (the second row is NULL). */
  value: string;
  /** DuckDB's raw form of the column read back (`{}` is the column). */
  raw?: string;
  /** The Arrow type deft reads it as. */
  arrow: string;
  /** DuckDB's type when it reads deft's copy, when it differs from the original's. */
  back?: string;
  /** DuckDB's raw form of deft's copy, when DuckDB reads it as another type. */
  rawBack?: string;
}

const DUCK: Record<string, DuckCase> = {
  TINYINT: { value: "(-128)::TINYINT", arrow: "Int8" },
  SMALLINT: { value: "(-32768)::SMALLINT", arrow: "Int16" },
  INTEGER: { value: "(-2147483648)::INTEGER", arrow: "Int32" },
  BIGINT: { value: "(-9223372036854775808)::BIGINT", arrow: "Int64" },
  UTINYINT: { value: "255::UTINYINT", arrow: "Uint8" },
  USMALLINT: { value: "65535::USMALLINT", arrow: "Uint16" },
  UINTEGER: { value: "4294967295::UINTEGER", arrow: "Uint32" },
  UBIGINT: { value: "18446744073709551615::UBIGINT", arrow: "Uint64" },
  // DuckDB itself writes HUGEINT / UHUGEINT to Parquet as DOUBLE.
  HUGEINT: { value: "170141183460469231731687303715884105727::HUGEINT", arrow: "Float64" },
  UHUGEINT: { value: "12345::UHUGEINT", arrow: "Float64" },
  FLOAT: { value: "(-0.25)::FLOAT", arrow: "Float32" },
  DOUBLE: { value: "1e300::DOUBLE", arrow: "Float64" },
  BOOLEAN: { value: "true", arrow: "Bool" },
  VARCHAR: { value: "'日本 ✓'", arrow: "Utf8" },
  "ENUM('x','y')": {
    value: "'y'::ENUM('x','y')",
    raw: "{}::VARCHAR",
    arrow: "Utf8",
    back: "VARCHAR",
  },
  // deft keeps the extension in the field's metadata but writes a plain string.
  JSON: { value: `'{"a": [1, null]}'::JSON`, raw: "{}::VARCHAR", arrow: "Utf8", back: "VARCHAR" },
  // deft writes the 16 bytes without Parquet's UUID annotation: DuckDB reads them as a BLOB.
  UUID: {
    value: "'00112233-4455-6677-8899-aabbccddeeff'::UUID",
    raw: "replace({}::VARCHAR, '-', '')",
    arrow: "FixedSizeBinary[16]",
    rawBack: "lower(hex({}))",
    back: "BLOB",
  },
  BLOB: { value: "'\\x00\\xFF'::BLOB", raw: "lower(hex({}))", arrow: "Binary" },
  BIT: { value: "'0101'::BIT", raw: "{}::VARCHAR", arrow: "Utf8", back: "VARCHAR" },
  VARINT: {
    value: "123456789012345678901234567890::VARINT",
    raw: "{}::VARCHAR",
    arrow: "Utf8",
    back: "VARCHAR",
  },
  DATE: { value: "DATE '1969-12-31'", raw: "{} - DATE '1970-01-01'", arrow: "Date32<DAY>" },
  TIME: {
    value: "TIME '23:59:59.999999'",
    raw: "datediff('microsecond', TIME '00:00:00', {})",
    arrow: "Time64<MICROSECOND>",
  },
  // TIMETZ is stored as the UTC time of day (DuckDB reads its own file back with offset 0);
  // deft writes it as a plain TIME of the same value.
  TIMETZ: {
    value: "TIMETZ '01:02:03+05'",
    raw: "datediff('microsecond', TIME '00:00:00', {}::TIME)",
    arrow: "Time64<MICROSECOND>",
    back: "TIME",
  },
  TIMESTAMP_S: {
    value: "TIMESTAMP_S '1960-06-30 01:02:03'",
    raw: "epoch_us({})",
    arrow: "Timestamp<MICROSECOND>",
    back: "TIMESTAMP",
  },
  TIMESTAMP_MS: {
    value: "TIMESTAMP_MS '2024-01-01 01:02:03.456'",
    raw: "epoch_ms({})",
    arrow: "Timestamp<MILLISECOND>",
  },
  TIMESTAMP: {
    value: "TIMESTAMP '2024-01-01 01:02:03.456789'",
    raw: "epoch_us({})",
    arrow: "Timestamp<MICROSECOND>",
  },
  TIMESTAMP_NS: {
    value: "TIMESTAMP_NS '1969-06-30 00:00:00.000000001'",
    raw: "epoch_ns({})",
    arrow: "Timestamp<NANOSECOND>",
  },
  TIMESTAMPTZ: {
    value: "TIMESTAMPTZ '2024-07-01 12:00:00.5+05:30'",
    raw: "epoch_us({})",
    arrow: "Timestamp<MICROSECOND, UTC>",
  },
  "DECIMAL(4,1)": { value: "(-123.4)::DECIMAL(4,1)", raw: "{}::VARCHAR", arrow: "Decimal[4e+1]" },
  "DECIMAL(9,4)": { value: "12345.6789::DECIMAL(9,4)", raw: "{}::VARCHAR", arrow: "Decimal[9e+4]" },
  "DECIMAL(18,2)": {
    value: "(-1234567890123456.78)::DECIMAL(18,2)",
    raw: "{}::VARCHAR",
    arrow: "Decimal[18e+2]",
  },
  "DECIMAL(38,10)": {
    value: "1234567890123456789012345678.0123456789::DECIMAL(38,10)",
    raw: "{}::VARCHAR",
    arrow: "Decimal[38e+10]",
  },
  "INTEGER[]": { value: "[1, NULL, 3]", arrow: "List<Int32>" },
  "INTEGER[3]": { value: "[1, NULL, 3]::INTEGER[3]", arrow: "List<Int32>", back: "INTEGER[]" },
  "VARCHAR[][]": { value: "[['a'], NULL, []]", arrow: "List<List<Utf8>>" },
  "STRUCT(a INTEGER, b VARCHAR)": {
    value: "{'a': NULL, 'b': 'x'}",
    arrow: "Struct<{a:Int32, b:Utf8}>",
  },
  "STRUCT(a INTEGER, b VARCHAR)[]": {
    value: "[{'a': 1, 'b': 'x'}, NULL]",
    arrow: "List<Struct<{a:Int32, b:Utf8}>>",
  },
  "MAP(VARCHAR, INTEGER)": {
    value: "MAP {'k': 1, 'l': NULL}",
    raw: "map_entries({})",
    arrow: "Map<{key:Utf8, value:Int32}>",
  },
  // DuckDB writes a UNION as a struct of its tag and members, and reads it back as that struct.
  "UNION(a INTEGER, b VARCHAR)": {
    value: "union_value(b := 'x')::UNION(a INTEGER, b VARCHAR)",
    arrow: "Struct<{:Uint8, a:Int32, b:Utf8}>",
  },
};

let instance: DuckDBInstance;
let con: DuckDBConnection;
let dir: string;

beforeAll(async () => {
  instance = await DuckDBInstance.create(":memory:");
  con = await DuckDBConnection.create(instance);
  dir = tmpDir("deft-interop-matrix-");
});
afterAll(() => {
  con?.closeSync();
  instance?.closeSync();
});

const duckType = async (file: string) =>
  String(
    (await duckRows(con, `SELECT column_type FROM (DESCRIBE SELECT c FROM '${file}')`))[0]!
      .column_type,
  );

describe("every DuckDB type, both directions (Parquet)", () => {
  it.each(Object.keys(DUCK))("%s", async (type) => {
    const c = DUCK[type]!;
    const slug = type.replace(/\W+/g, "_");
    const original = path.join(dir, `duck-${slug}.parquet`);
    await con.run(
      `COPY (SELECT * FROM (VALUES (1, ${c.value}), (2, NULL)) t(r, c) ORDER BY r) TO '${original}' (FORMAT parquet)`,
    );
    const raw = (f: string) =>
      duckRows(
        con,
        `SELECT ${(c.raw ?? "{}").replaceAll("{}", "c")} AS c FROM '${f}' ORDER BY r NULLS LAST`,
      );
    const rawC = (f: string) =>
      duckRows(
        con,
        `SELECT ${(c.rawBack ?? c.raw ?? "{}").replaceAll("{}", "c")} AS c FROM '${f}'`,
      );
    const expected = await raw(original);
    expect(expected[1]).toEqual({ c: null });
    const df = readParquet(original).select("c");
    expect(String(df.schema.fields[0]!.type)).toBe(c.arrow);
    expect(arrowRows(await df.toArrow())).toEqual(expected);

    const copy = path.join(dir, `duck-${slug}-by-deft.parquet`);
    await df.writeParquet(copy);
    expect(await rawC(copy)).toEqual(expected);
    expect(await duckType(copy)).toBe(c.back ?? (await duckType(original)));
  });

  it("an empty file and an all-NULL column: schema and no rows; nulls of the declared type", async () => {
    const empty = path.join(dir, "duck-empty.parquet");
    await con.run(
      `COPY (SELECT 1::INTEGER AS a, 'x' AS b, [1.5] AS l WHERE false) TO '${empty}' (FORMAT parquet)`,
    );
    const df = readParquet(empty);
    expect(df.schema.fields.map(String)).toEqual(["a: Int32", "b: Utf8", "l: List<Decimal[2e+1]>"]);
    expect((await df.toArrow()).numRows).toBe(0);
    const copy = path.join(dir, "duck-empty-by-deft.parquet");
    await df.writeParquet(copy);
    expect(await duckRows(con, `SELECT count(*)::INTEGER AS n FROM '${copy}'`)).toEqual([
      { n: "0" },
    ]);

    const nulls = path.join(dir, "duck-nulls.parquet");
    await con.run(`COPY (SELECT NULL AS c FROM range(3)) TO '${nulls}' (FORMAT parquet)`);
    const n = readParquet(nulls);
    expect(String(n.schema.fields[0]!.type)).toBe("Int32");
    expect(await n.toRecords()).toEqual([{ c: null }, { c: null }, { c: null }]);
  });
});
