import path from "node:path";
import { readParquet } from "@deft/core";
import { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import pl from "nodejs-polars";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tmpDir } from "../helpers.js";
import { arrowRows, duckRows } from "./helpers.js";

// Files written by DuckDB during the test, read by deft and compared value by value with
// what DuckDB itself reads back from the same file (each column in its raw form: temporal
// values as integers in the unit the file stores, decimals as text).

interface Case {
  /** The column's SQL type. */
  type: string;
  /** Two non-null values (SQL literals); the third row is NULL. */
  values: [string, string];
  /** DuckDB's raw form of the column read back (`{}` is the column). */
  raw?: string;
  /** The Arrow type deft reads the column as. */
  arrow: string;
}

const CASES: Record<string, Case> = {
  tinyint: { type: "TINYINT", values: ["-128", "127"], arrow: "Int8" },
  smallint: { type: "SMALLINT", values: ["-32768", "7"], arrow: "Int16" },
  integer: { type: "INTEGER", values: ["-2147483648", "1"], arrow: "Int32" },
  bigint: { type: "BIGINT", values: ["-9223372036854775808", "9007199254740993"], arrow: "Int64" },
  utinyint: { type: "UTINYINT", values: ["0", "255"], arrow: "Uint8" },
  usmallint: { type: "USMALLINT", values: ["0", "65535"], arrow: "Uint16" },
  uinteger: { type: "UINTEGER", values: ["0", "4294967295"], arrow: "Uint32" },
  ubigint: { type: "UBIGINT", values: ["0", "18446744073709551615"], arrow: "Uint64" },
  float: { type: "FLOAT", values: ["1.5", "-0.25"], arrow: "Float32" },
  double: { type: "DOUBLE", values: ["1e300", "-0.1"], arrow: "Float64" },
  boolean: { type: "BOOLEAN", values: ["true", "false"], arrow: "Bool" },
  varchar: { type: "VARCHAR", values: ["'a'", "'日本 ✓'"], arrow: "Utf8" },
  enum: { type: "ENUM('x', 'y')", values: ["'x'", "'y'"], raw: "{}::VARCHAR", arrow: "Utf8" },
  blob: {
    type: "BLOB",
    values: ["'\\x00\\xFF'::BLOB", "''::BLOB"],
    raw: "lower(hex({}))",
    arrow: "Binary",
  },
  date: {
    type: "DATE",
    values: ["DATE '1995-03-01'", "DATE '1969-12-31'"],
    raw: "{} - DATE '1970-01-01'",
    arrow: "Date32<DAY>",
  },
  time: {
    type: "TIME",
    values: ["TIME '01:02:03.456789'", "TIME '23:59:59'"],
    raw: "datediff('microsecond', TIME '00:00:00', {})",
    arrow: "Time64<MICROSECOND>",
  },
  timestamp: {
    type: "TIMESTAMP",
    values: ["TIMESTAMP '2024-01-01 01:02:03.456789'", "TIMESTAMP '1960-06-30 00:00:00'"],
    raw: "epoch_us({})",
    arrow: "Timestamp<MICROSECOND>",
  },
  timestamp_ms: {
    type: "TIMESTAMP_MS",
    values: ["TIMESTAMP_MS '2024-01-01 01:02:03.456'", "TIMESTAMP_MS '1960-06-30 00:00:00'"],
    raw: "epoch_ms({})",
    arrow: "Timestamp<MILLISECOND>",
  },
  timestamp_ns: {
    type: "TIMESTAMP_NS",
    values: ["TIMESTAMP_NS '2024-01-01 01:02:03.123456789'", "TIMESTAMP_NS '1969-06-30 00:00:00'"],
    raw: "epoch_ns({})",
    arrow: "Timestamp<NANOSECOND>",
  },
  timestamptz: {
    type: "TIMESTAMPTZ",
    values: ["TIMESTAMPTZ '2024-01-01 01:02:03.5+00'", "TIMESTAMPTZ '2024-07-01 12:00:00+05:30'"],
    raw: "epoch_us({})",
    arrow: "Timestamp<MICROSECOND, UTC>",
  },
  decimal_4_2: {
    type: "DECIMAL(4,2)",
    values: ["-12.34", "0.05"],
    raw: "{}::VARCHAR",
    arrow: "Decimal[4e+2]",
  },
  decimal_18_2: {
    type: "DECIMAL(18,2)",
    values: ["1234567890123456.78", "-0.01"],
    raw: "{}::VARCHAR",
    arrow: "Decimal[18e+2]",
  },
  decimal_38_10: {
    type: "DECIMAL(38,10)",
    values: ["1234567890123456789012345678.0123456789", "-0.0000000001"],
    raw: "{}::VARCHAR",
    arrow: "Decimal[38e+10]",
  },
  uuid: {
    type: "UUID",
    values: ["'00112233-4455-6677-8899-aabbccddeeff'", "'ffffffff-0000-0000-0000-000000000001'"],
    raw: "replace({}::VARCHAR, '-', '')",
    arrow: "FixedSizeBinary[16]",
  },
  list: { type: "INTEGER[]", values: ["[1, NULL, 3]", "[]"], arrow: "List<Int32>" },
  list_of_lists: {
    type: "VARCHAR[][]",
    values: ["[['a'], NULL, []]", "[]"],
    arrow: "List<List<Utf8>>",
  },
  struct: {
    type: "STRUCT(a INTEGER, b VARCHAR)",
    values: ["{'a': 1, 'b': 'x'}", "{'a': NULL, 'b': NULL}"],
    arrow: "Struct<{a:Int32, b:Utf8}>",
  },
  map: {
    type: "MAP(VARCHAR, INTEGER)",
    values: ["MAP {'k': 1, 'l': NULL}", "MAP {}"],
    raw: "map_entries({})",
    arrow: "Map<{key:Utf8, value:Int32}>",
  },
};

const NAMES = Object.keys(CASES);
let instance: DuckDBInstance;
let con: DuckDBConnection;
let dir: string;
let file: string;

const rawSelect = (from: string, names: readonly string[]) =>
  `SELECT ${names.map((n) => `${(CASES[n]!.raw ?? "{}").replaceAll("{}", `"${n}"`)} AS "${n}"`).join(", ")} FROM '${from}'`;

beforeAll(async () => {
  instance = await DuckDBInstance.create(":memory:");
  con = await DuckDBConnection.create(instance);
  dir = tmpDir("deft-interop-duckdb-");
  file = path.join(dir, "every-type.parquet");
  const rows = [0, 1].map(
    (r) => `(${r}, ${NAMES.map((n) => `(${CASES[n]!.values[r]})::${CASES[n]!.type}`).join(", ")})`,
  );
  rows.push(`(2, ${NAMES.map((n) => `NULL::${CASES[n]!.type}`).join(", ")})`);
  await con.run(
    `COPY (SELECT * EXCLUDE (r) FROM (VALUES ${rows.join(", ")}) t(r, ${NAMES.map((n) => `"${n}"`).join(", ")}) ORDER BY r) TO '${file}' (FORMAT parquet)`,
  );
});
afterAll(() => {
  con?.closeSync();
  instance?.closeSync();
});

describe("Parquet written by DuckDB, read by deft", () => {
  it("maps every DuckDB type to its Arrow type", () => {
    const types = Object.fromEntries(
      readParquet(file).schema.fields.map((f) => [f.name, String(f.type)]),
    );
    expect(types).toEqual(Object.fromEntries(NAMES.map((n) => [n, CASES[n]!.arrow])));
  });

  it.each([1, 2])("reads every column with DuckDB's own values (threads %i)", async (threads) => {
    const expected = await duckRows(con, rawSelect(file, NAMES));
    const table = await readParquet(file).toArrow({ threads });
    expect(arrowRows(table)).toEqual(expected);
  });

  it("reads each column alone (deft's own decoder where it applies) with DuckDB's values", async () => {
    for (const n of NAMES) {
      const one = path.join(dir, `${n}.parquet`);
      await con.run(
        `COPY (SELECT "${n}"::${CASES[n]!.type} AS "${n}" FROM '${file}') TO '${one}' (FORMAT parquet)`,
      );
      const table = await readParquet(one).toArrow();
      expect(arrowRows(table), n).toEqual(await duckRows(con, rawSelect(one, [n])));
    }
  });

  it("keeps UUID as a field's extension over its 16 bytes", () => {
    const field = readParquet(file).schema.fields.find((f) => f.name === "uuid")!;
    expect(field.metadata.get("ARROW:extension:name")).toBe("arrow.uuid");
  });

  it("reads INTERVAL with its months as MONTH_DAY_NANO; beside a nested column, an error naming it", async () => {
    const iv = path.join(dir, "interval.parquet");
    await con.run(
      `COPY (SELECT * FROM (VALUES (1, INTERVAL '14 months 3 days 00:00:01.5', [1]), (2, NULL, [2]), (3, INTERVAL '40 days 23:59:59.999', NULL)) t(id, iv, li)) TO '${iv}' (FORMAT parquet)`,
    );
    const expected = await duckRows(
      con,
      `SELECT id, (datepart('year', iv) * 12 + datepart('month', iv))::VARCHAR || ':' || datepart('day', iv)::VARCHAR || ':' || ((epoch_us(iv) - (datepart('year', iv) * 360 + datepart('month', iv) * 30 + datepart('day', iv)) * 86400000000) * 1000)::VARCHAR AS iv FROM '${iv}' ORDER BY id`,
    );
    const df = readParquet(iv);
    expect(String(df.schema.fields[1]!.type)).toBe("Interval<MONTH_DAY_NANO>");
    expect(arrowRows(await df.select("id", "iv").toArrow())).toEqual(expected);
    await expect(df.toArrow()).rejects.toThrow(
      /interval\.parquet": column "iv" \(Parquet INTERVAL, read as Interval<MONTH_DAY_NANO>\) can only be read together with flat columns/,
    );
  });

  it("reads DuckDB's TIMESTAMPTZ and polars' UTC datetimes as one table: the same zone", async () => {
    const duck = path.join(dir, "tz-duck.parquet");
    const polars = path.join(dir, "tz-polars.parquet");
    await con.run(
      `COPY (SELECT TIMESTAMPTZ '1970-01-01 00:00:00.000001+00' AS t) TO '${duck}' (FORMAT parquet)`,
    );
    pl.DataFrame({ t: [2] })
      .select(pl.col("t").cast(pl.Datetime("us", "UTC")))
      .writeParquet(polars);
    const df = readParquet([duck, polars]);
    expect(String(df.schema.fields[0]!.type)).toBe("Timestamp<MICROSECOND, UTC>");
    expect(arrowRows(await df.toArrow()).map((r) => r.t)).toEqual(["1", "2"]);
  });
});
