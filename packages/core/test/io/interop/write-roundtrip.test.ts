import fs from "node:fs";
import path from "node:path";
import { DataFrame, readArrow, readParquet } from "@deft/core";
import { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { Dictionary, Int32, Table, Utf8, vectorFromArray } from "apache-arrow";
import pl from "nodejs-polars";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tmpDir } from "../helpers.js";
import { arrowRows, duckRows, polarsRows } from "./helpers.js";

// deft writes what it read from polars and DuckDB files; the writers then read deft's files
// and must see what they saw in their own.

let instance: DuckDBInstance;
let con: DuckDBConnection;
let dir: string;

/** polars' test table: strings, categoricals, zones, durations, times, decimals, nesting. */
function polarsTable(): pl.DataFrame {
  const n = pl.col("n");
  const s = pl.col("s");
  return pl
    .DataFrame({ n: [1, null, -3], s: ["a", null, "日本"], f: [1.5, null, -2.25] })
    .select(
      n.cast(pl.Int8).alias("i8"),
      n.cast(pl.Int64).alias("i64"),
      n.abs().cast(pl.UInt64).alias("u64"),
      pl.col("f").cast(pl.Float32).alias("f32"),
      pl.col("f").alias("f64"),
      n.gt(0).alias("bool"),
      s.alias("str"),
      s.cast(pl.Categorical).alias("cat"),
      n.cast(pl.Date).alias("date"),
      n.mul(86_400_123_456).cast(pl.Datetime("us", "UTC")).alias("ts_utc"),
      n.mul(86_400_123_456_789).cast(pl.Datetime("ns", "Europe/Berlin")).alias("ts_berlin"),
      n.mul(1_000_123).cast(pl.Duration("us")).alias("dur"),
      n.abs().mul(3_600_000_000_123).cast(pl.Time).alias("time"),
      pl.col("f").cast(pl.Decimal(10, 2)).alias("dec"),
      pl.concatList([s, s]).alias("list_str"),
      pl.struct([n.alias("x"), s.alias("y")]).alias("struct"),
    );
}

beforeAll(async () => {
  instance = await DuckDBInstance.create(":memory:");
  con = await DuckDBConnection.create(instance);
  dir = tmpDir("deft-interop-write-");
});
afterAll(() => {
  con?.closeSync();
  instance?.closeSync();
});

describe("deft writes, polars and DuckDB read", () => {
  it("Parquet: polars reads deft's copy of a polars file as it reads the original", async () => {
    const original = path.join(dir, "polars.parquet");
    polarsTable().writeParquet(original);
    const copy = path.join(dir, "polars-by-deft.parquet");
    await readParquet(original).writeParquet(copy);
    expect(polarsRows(pl, pl.readParquet(copy))).toEqual(polarsRows(pl, pl.readParquet(original)));
    // deft reads its own file back with the same values and types.
    expect(arrowRows(await readParquet(copy).toArrow())).toEqual(
      arrowRows(await readParquet(original).toArrow()),
    );
    expect(readParquet(copy).schema.fields.map(String)).toEqual(
      readParquet(original).schema.fields.map(String),
    );
  });

  it("Parquet: DuckDB reads deft's copy of a DuckDB file as it reads the original", async () => {
    const original = path.join(dir, "duck.parquet");
    await con.run(`COPY (SELECT * FROM (VALUES
      (1::TINYINT, 'a', 12.34::DECIMAL(4,2), 1234567890.0123456789::DECIMAL(38,10),
       TIMESTAMPTZ '2024-01-01 01:02:03.5+00', TIMESTAMP_NS '2024-01-01 00:00:00.000000001',
       DATE '1995-03-01', TIME '01:02:03', [1, NULL], {'a': 1, 'b': 'x'}, MAP {'k': 1},
       'x'::ENUM('x', 'y'), '\\x00\\xFF'::BLOB, 18446744073709551615::UBIGINT),
      (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
    ) t(ti, s, d4, d38, tz, tns, d, tm, li, st, mp, en, bl, ub)) TO '${original}' (FORMAT parquet)`);
    const copy = path.join(dir, "duck-by-deft.parquet");
    await readParquet(original).writeParquet(copy);
    const raw = (f: string) =>
      duckRows(
        con,
        `SELECT ti, s, d4::VARCHAR AS d4, d38::VARCHAR AS d38, epoch_us(tz) AS tz, epoch_ns(tns) AS tns,
          d - DATE '1970-01-01' AS d, tm::VARCHAR AS tm, li, st, map_entries(mp) AS mp, en::VARCHAR AS en,
          lower(hex(bl)) AS bl, ub FROM '${f}'`,
      );
    expect(await raw(copy)).toEqual(await raw(original));
    const types = async (f: string) =>
      (await duckRows(con, `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM '${f}')`))
        .map((r) => `${r.column_name}:${r.column_type}`)
        .filter((t) => !t.startsWith("en:"));
    expect(await types(copy)).toEqual(await types(original));
  });

  it("Parquet: an Arrow dictionary column is written as its values", async () => {
    const table = new Table({
      c: vectorFromArray(["b", "a", null, "b"], new Dictionary(new Utf8(), new Int32())),
      n: vectorFromArray([1, 2, 3, 4], new Int32()),
    });
    const file = path.join(dir, "dictionary.parquet");
    await DataFrame.fromArrow(table).writeParquet(file);
    expect(pl.readParquet(file).toRecords()).toEqual([
      { c: "b", n: 1 },
      { c: "a", n: 2 },
      { c: null, n: 3 },
      { c: "b", n: 4 },
    ]);
    expect(await duckRows(con, `SELECT c FROM '${file}'`)).toEqual(
      ["b", "a", null, "b"].map((c) => ({ c })),
    );
    expect(await readParquet(file).select("c").toRecords()).toEqual(
      ["b", "a", null, "b"].map((c) => ({ c })),
    );
  });

  it("Arrow IPC: polars reads deft's files and deft reads polars' (views and categoricals as plain)", async () => {
    const source = path.join(dir, "for-ipc.parquet");
    polarsTable().writeParquet(source);
    const expected = polarsRows(pl, pl.readParquet(source));
    // polars takes a path only when it ends in ".ipc" (any other string is read as inline
    // IPC bytes), so the .arrow file is given as bytes.
    const ipcPath = path.join(dir, "by-deft.ipc");
    const arrowPath = path.join(dir, "by-deft.arrow");
    const streamPath = path.join(dir, "by-deft.arrows");
    await readParquet(source).writeArrow(ipcPath);
    await readParquet(source).writeArrow(arrowPath);
    await readParquet(source).writeArrow(streamPath, { format: "stream" });
    expect(polarsRows(pl, pl.readIPC(ipcPath))).toEqual(expected);
    expect(polarsRows(pl, pl.readIPC(fs.readFileSync(arrowPath)))).toEqual(expected);
    expect(polarsRows(pl, pl.readIPCStream(fs.readFileSync(streamPath)))).toEqual(expected);

    const fromPolars = path.join(dir, "by-polars.arrow");
    fs.writeFileSync(fromPolars, pl.readParquet(source).writeIPC());
    const df = readArrow(fromPolars);
    expect(String(df.schema.fields.find((f) => f.name === "str")!.type)).toBe("Utf8");
    expect(String(df.schema.fields.find((f) => f.name === "cat")!.type)).toBe("Utf8");
    expect(arrowRows(await df.toArrow())).toEqual(arrowRows(await readParquet(source).toArrow()));
  });
});
