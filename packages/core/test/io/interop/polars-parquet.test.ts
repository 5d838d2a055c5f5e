import path from "node:path";
import { col, lit, readParquet } from "@deft/core";
import pl from "nodejs-polars";
import { beforeAll, describe, expect, it } from "vitest";
import { tmpDir } from "../helpers.js";
import { arrowRows, polarsRows } from "./helpers.js";

// Files written by nodejs-polars during the test, read by deft and compared value by value
// with what polars itself reads back from the same file.

let dir: string;
let file: string;

/** Every polars type, each with a null, derived from three base columns. */
function everyType(): pl.DataFrame {
  const base = pl.DataFrame({
    n: [1, null, -3, 40],
    s: ["a", null, "ccc", "日本"],
    f: [1.5, null, -2.25, 1e300],
  });
  const n = pl.col("n");
  const s = pl.col("s");
  return base.select(
    n.cast(pl.Int8).alias("i8"),
    n.cast(pl.Int16).alias("i16"),
    n.cast(pl.Int32).alias("i32"),
    n.cast(pl.Int64).alias("i64"),
    pl.col("n").abs().cast(pl.UInt8).alias("u8"),
    pl.col("n").abs().cast(pl.UInt16).alias("u16"),
    pl.col("n").abs().cast(pl.UInt32).alias("u32"),
    pl.col("n").abs().cast(pl.UInt64).alias("u64"),
    pl.col("f").cast(pl.Float32).alias("f32"),
    pl.col("f").alias("f64"),
    n.gt(0).alias("bool"),
    s.alias("str"),
    s.cast(pl.Categorical).alias("cat"),
    n.cast(pl.Date).alias("date"),
    n.mul(86_400_123).cast(pl.Datetime("ms")).alias("ts_ms"),
    n.mul(86_400_123_456).cast(pl.Datetime("us")).alias("ts_us"),
    n.mul(86_400_123_456_789).cast(pl.Datetime("ns")).alias("ts_ns"),
    n.mul(86_400_123_456).cast(pl.Datetime("us", "UTC")).alias("ts_utc"),
    n.mul(86_400_123_456).cast(pl.Datetime("us", "Europe/Berlin")).alias("ts_berlin"),
    n.mul(1_000_123).cast(pl.Duration("us")).alias("dur_us"),
    n.mul(1_000).cast(pl.Duration("ms")).alias("dur_ms"),
    n.abs().mul(3_600_000_000_123).cast(pl.Time).alias("time"),
    pl.concatList([n, n.mul(2)]).alias("list_int"),
    pl.concatList([s, s]).alias("list_str"),
    pl.struct([n.alias("x"), s.alias("y")]).alias("struct"),
    pl.struct([s.cast(pl.Categorical).alias("c")]).alias("struct_cat"),
  );
}

beforeAll(() => {
  dir = tmpDir("deft-interop-polars-");
  file = path.join(dir, "every-type.parquet");
  everyType().writeParquet(file);
});

describe("Parquet written by polars, read by deft", () => {
  it.each([1, 2])("reads every column with polars' own values (threads %i)", async (threads) => {
    const expected = polarsRows(pl, pl.readParquet(file));
    const table = await readParquet(file).toArrow({ threads });
    expect(arrowRows(table)).toEqual(expected);
  });

  it("reads each column alone (deft's own decoder where it applies) with polars' values", async () => {
    const whole = pl.readParquet(file);
    for (const c of whole.columns) {
      const one = path.join(dir, `${c}.parquet`);
      whole.select(c).writeParquet(one);
      const table = await readParquet(one).toArrow();
      expect(arrowRows(table), c).toEqual(polarsRows(pl, pl.readParquet(one)));
    }
  });

  it("maps polars' types to deft's: strings and categoricals as utf8, zones kept, UTC as UTC", () => {
    const types = Object.fromEntries(
      readParquet(file).schema.fields.map((f) => [f.name, String(f.type)]),
    );
    expect(types).toMatchObject({
      str: "Utf8",
      cat: "Utf8",
      ts_utc: "Timestamp<MICROSECOND, UTC>",
      ts_berlin: "Timestamp<MICROSECOND, Europe/Berlin>",
      ts_ns: "Timestamp<NANOSECOND>",
      dur_us: "Duration<MICROSECOND>",
      time: "Time64<NANOSECOND>",
      list_str: "List<Utf8>",
      struct_cat: "Struct<{c:Utf8}>",
    });
  });

  it("filters, sorts, groups and joins on a categorical column without a cast", async () => {
    const df = readParquet(file);
    const filtered = await df
      .filter(col("cat").eq(lit("ccc")))
      .select("cat", "i32")
      .toRecords();
    expect(filtered).toEqual([{ cat: "ccc", i32: -3 }]);
    const sorted = await df.select("cat").sort("cat").toRecords();
    expect(sorted.map((r) => r.cat)).toEqual(["a", "ccc", "日本", null]);
    const groups = await df.groupBy("cat").agg(col("i32").sum().alias("n")).sort("cat").toRecords();
    expect(groups).toEqual([
      { cat: "a", n: 1n },
      { cat: "ccc", n: -3n },
      { cat: "日本", n: 40n },
      { cat: null, n: null },
    ]);
    const joined = await df
      .select("cat", "i32")
      .join(df.select(col("str"), col("i8")), { leftOn: "cat", rightOn: "str" })
      .sort("i32")
      .toRecords();
    expect(joined.map((r) => [r.cat, r.i8])).toEqual([
      ["ccc", -3],
      ["a", 1],
      ["日本", 40],
    ]);
  });
});
