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

  it("INTERVAL: DuckDB's values as MONTH_DAY_NANO; deft's Parquet write refuses it by name, IPC keeps it", async () => {
    const original = path.join(dir, "duck-interval.parquet");
    await con.run(
      `COPY (SELECT * FROM (VALUES (1, INTERVAL '14 months 3 days 00:00:01.5'), (2, NULL)) t(r, c)) TO '${original}' (FORMAT parquet)`,
    );
    const expected = await duckRows(
      con,
      `SELECT (datepart('year', c) * 12 + datepart('month', c))::VARCHAR || ':' || datepart('day', c)::VARCHAR || ':' || ((epoch_us(c) - (datepart('year', c) * 360 + datepart('month', c) * 30 + datepart('day', c)) * 86400000000) * 1000)::VARCHAR AS c FROM '${original}' ORDER BY r`,
    );
    expect(expected).toEqual([{ c: "14:3:1500000000" }, { c: null }]);
    const df = readParquet(original).select("c");
    expect(arrowRows(await df.toArrow())).toEqual(expected);
    const copy = path.join(dir, "duck-interval-by-deft.parquet");
    await expect(df.writeParquet(copy)).rejects.toThrow(
      /writeParquet: column "c" \(Interval<MONTH_DAY_NANO>\) cannot be written: .*Write Arrow IPC \(writeArrow\) to keep it/,
    );
    expect(fs.existsSync(copy)).toBe(false);
    const ipc = path.join(dir, "duck-interval-by-deft.arrow");
    await df.writeArrow(ipc);
    expect(arrowRows(await readArrow(ipc).toArrow())).toEqual(expected);
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

/** Each polars type as an expression over `n` (ints with a null) and `s` (strings with a null). */
const POLARS: Record<string, { expr: () => pl.Expr; arrow: string }> = {
  Int8: { expr: () => pl.col("n").cast(pl.Int8), arrow: "Int8" },
  Int16: { expr: () => pl.col("n").cast(pl.Int16), arrow: "Int16" },
  Int32: { expr: () => pl.col("n").cast(pl.Int32), arrow: "Int32" },
  Int64: { expr: () => pl.col("n").cast(pl.Int64), arrow: "Int64" },
  UInt8: { expr: () => pl.col("n").abs().cast(pl.UInt8), arrow: "Uint8" },
  UInt16: { expr: () => pl.col("n").abs().cast(pl.UInt16), arrow: "Uint16" },
  UInt32: { expr: () => pl.col("n").abs().cast(pl.UInt32), arrow: "Uint32" },
  UInt64: { expr: () => pl.col("n").abs().cast(pl.UInt64), arrow: "Uint64" },
  Float32: { expr: () => pl.col("n").div(4).cast(pl.Float32), arrow: "Float32" },
  Float64: { expr: () => pl.col("n").div(3), arrow: "Float64" },
  Boolean: { expr: () => pl.col("n").gt(0), arrow: "Bool" },
  "String (Utf8View)": { expr: () => pl.col("s"), arrow: "Utf8" },
  Categorical: { expr: () => pl.col("s").cast(pl.Categorical), arrow: "Utf8" },
  Date: { expr: () => pl.col("n").cast(pl.Date), arrow: "Date32<DAY>" },
  Time: {
    expr: () => pl.col("n").abs().mul(3_600_000_000_123).cast(pl.Time),
    arrow: "Time64<NANOSECOND>",
  },
  "Datetime(ms)": {
    expr: () => pl.col("n").mul(86_400_123).cast(pl.Datetime("ms")),
    arrow: "Timestamp<MILLISECOND>",
  },
  "Datetime(us)": {
    expr: () => pl.col("n").mul(86_400_123_456).cast(pl.Datetime("us")),
    arrow: "Timestamp<MICROSECOND>",
  },
  "Datetime(ns)": {
    expr: () => pl.col("n").mul(86_400_123_456_789).cast(pl.Datetime("ns")),
    arrow: "Timestamp<NANOSECOND>",
  },
  "Datetime(us, UTC)": {
    expr: () => pl.col("n").mul(1_000_001).cast(pl.Datetime("us", "UTC")),
    arrow: "Timestamp<MICROSECOND, UTC>",
  },
  "Datetime(ns, America/New_York)": {
    expr: () => pl.col("n").mul(86_400_123_456_789).cast(pl.Datetime("ns", "America/New_York")),
    arrow: "Timestamp<NANOSECOND, America/New_York>",
  },
  "Duration(ms)": {
    expr: () => pl.col("n").cast(pl.Duration("ms")),
    arrow: "Duration<MILLISECOND>",
  },
  "Duration(us)": {
    expr: () => pl.col("n").cast(pl.Duration("us")),
    arrow: "Duration<MICROSECOND>",
  },
  "Duration(ns)": {
    expr: () => pl.col("n").cast(pl.Duration("ns")),
    arrow: "Duration<NANOSECOND>",
  },
  "Decimal(9,2)": { expr: () => pl.col("n").div(4).cast(pl.Decimal(9, 2)), arrow: "Decimal[9e+2]" },
  "Decimal(38,10)": {
    expr: () => pl.col("n").div(8).cast(pl.Decimal(38, 10)),
    arrow: "Decimal[38e+10]",
  },
  "List(Int64)": {
    expr: () => pl.concatList([pl.col("n").cast(pl.Int64), pl.col("n").abs().cast(pl.Int64)]),
    arrow: "List<Int64>",
  },
  "List(String)": { expr: () => pl.concatList([pl.col("s"), pl.col("s")]), arrow: "List<Utf8>" },
  "Array(Int64, 2)": {
    expr: () => pl.concatList([pl.col("n"), pl.col("n")]).cast(pl.FixedSizeList(pl.Int64, 2)),
    arrow: "FixedSizeList[2]<Int64>",
  },
  Struct: {
    expr: () => pl.struct([pl.col("n").cast(pl.Int64).alias("x"), pl.col("s").alias("y")]),
    arrow: "Struct<{x:Int64, y:Utf8}>",
  },
  "Struct(Categorical)": {
    expr: () => pl.struct([pl.col("s").cast(pl.Categorical).alias("c")]),
    arrow: "Struct<{c:Utf8}>",
  },
  "List(Struct)": {
    expr: () =>
      pl.concatList([pl.struct([pl.col("s").alias("y")]), pl.struct([pl.col("s").alias("y")])]),
    arrow: "List<Struct<{y:Utf8}>>",
  },
  Null: { expr: () => pl.lit(null), arrow: "Null" },
};

const polarsBase = () => pl.DataFrame({ n: [1, null, -3], s: ["a", null, "日本"] });
const dtype = (df: pl.DataFrame) => String(df.getColumn("c").dtype);

describe("every polars type, both directions (Parquet and Arrow IPC)", () => {
  it.each(Object.keys(POLARS))("%s", async (name) => {
    const c = POLARS[name]!;
    const slug = name.replace(/\W+/g, "_");
    const frame = polarsBase().select(c.expr().alias("c"));
    const parquet = path.join(dir, `polars-${slug}.parquet`);
    const ipc = path.join(dir, `polars-${slug}.arrow`);
    frame.writeParquet(parquet);
    fs.writeFileSync(ipc, frame.writeIPC());
    const original = pl.readParquet(parquet);
    const expected = polarsRows(pl, original);
    for (const df of [readParquet(parquet), readArrow(ipc)]) {
      expect(String(df.schema.fields[0]!.type)).toBe(c.arrow);
      expect(arrowRows(await df.toArrow())).toEqual(expected);
    }

    const copy = path.join(dir, `polars-${slug}-by-deft.parquet`);
    const copyIpc = path.join(dir, `polars-${slug}-by-deft.ipc`);
    await readParquet(parquet).writeParquet(copy);
    await readParquet(parquet).writeArrow(copyIpc);
    for (const back of [pl.readParquet(copy), pl.readIPC(copyIpc)]) {
      expect(polarsRows(pl, back)).toEqual(expected);
      // Views and categoricals come back as plain strings: what deft reads them as.
      expect(dtype(back)).toBe(
        /Categorical/.test(name)
          ? dtype(original).replace(/Categorical/, "String")
          : dtype(original),
      );
    }
  });

  it("Binary (BinaryView, from a DuckDB BLOB) and an empty frame", async () => {
    const blob = path.join(dir, "duck-blob-for-polars.parquet");
    await con.run(
      `COPY (SELECT * FROM (VALUES ('\\x00\\xFF'::BLOB), (NULL), (''::BLOB)) t(c)) TO '${blob}' (FORMAT parquet)`,
    );
    const file = path.join(dir, "polars-binary.parquet");
    pl.readParquet(blob).writeParquet(file);
    // polars hands no Binary values (nor their dtype) to JS, so DuckDB reads polars' file and
    // deft's copy; polars is asked only to read deft's copy.
    const hex = (f: string) => duckRows(con, `SELECT lower(hex(c)) AS c FROM '${f}'`);
    const expected = await hex(file);
    expect(expected).toEqual([{ c: "00ff" }, { c: null }, { c: "" }]);
    expect(arrowRows(await readParquet(file).toArrow())).toEqual(expected);
    const copy = path.join(dir, "polars-binary-by-deft.parquet");
    await readParquet(file).writeParquet(copy);
    expect(await hex(copy)).toEqual(expected);
    expect(pl.readParquet(copy).shape).toEqual({ height: 3, width: 1 });

    const empty = path.join(dir, "polars-empty.parquet");
    polarsBase().head(0).writeParquet(empty);
    const df = readParquet(empty);
    expect(df.schema.fields.map(String)).toEqual(["n: Float64", "s: Utf8"]);
    expect((await df.toArrow()).numRows).toBe(0);
    const emptyCopy = path.join(dir, "polars-empty-by-deft.parquet");
    await df.writeParquet(emptyCopy);
    expect(pl.readParquet(emptyCopy).shape).toEqual({ height: 0, width: 2 });
  });
});
