import { col, DataFrame, lit, when } from "@deft/core";
import { Float64, Int32, Int64, Utf8 } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { arrowBatches, expectColumns, typesOf } from "../helpers.js";

describe("cast", () => {
  const df = DataFrame.fromArrow(
    arrowBatches(
      {
        f: { type: new Float64(), values: [1.7, -2.5, Number.NaN, Infinity, null, 3e9] },
        i: { type: new Int32(), values: [1, 0, -3, null, 7, 2] },
        s: { type: new Utf8(), values: ["12", " 7 ", null, "-1", "0", "5"] },
      },
      [2, 3],
    ),
  );

  it("float -> int truncates toward zero; NaN/Infinity become null; beyond int32 is an error", async () => {
    const out = df.select(
      col("f").cast("int32", { onError: "null" }).alias("i32"),
      col("f").cast("int64").alias("i64"),
    );
    expect(typesOf(out)).toEqual({ i32: "int32", i64: "int64" });
    await expectColumns(out, {
      i32: [1, -2, null, null, null, null],
      i64: [1n, -2n, null, null, null, 3_000_000_000n],
    });
    await expect(df.select(col("f").cast("int32")).toColumns()).rejects.toThrow(
      /Column "f" row 2: 3000000000 is out of range for int32/,
    );
  });

  it("int -> float, int -> bool, bool -> int, int -> utf8", async () => {
    await expectColumns(
      df.select(
        col("i").cast("float64").alias("f"),
        col("i").cast("bool").alias("b"),
        col("i").cast("bool").cast("int32").alias("bi"),
        col("i").cast("utf8").alias("s"),
      ),
      {
        f: [1, 0, -3, null, 7, 2],
        b: [true, false, true, null, true, true],
        bi: [1, 0, 1, null, 1, 1],
        s: ["1", "0", "-3", null, "7", "2"],
      },
    );
  });

  it("utf8 -> int32/int64/float64 parses (trimmed); a bad value names the row and value", async () => {
    await expectColumns(
      df.select(
        col("s").cast("int32").alias("i"),
        col("s").cast("int64").alias("l"),
        col("s").cast("float64").alias("f"),
      ),
      {
        i: [12, 7, null, -1, 0, 5],
        l: [12n, 7n, null, -1n, 0n, 5n],
        f: [12, 7, null, -1, 0, 5],
      },
    );
    const bad = DataFrame.fromRecords([{ s: "1" }, { s: "x1" }]).select(col("s").cast("int32"));
    await expect(bad.toColumns()).rejects.toThrow(
      /Column "s" row 1: cast to int32 failed: "x1" is not a int32/,
    );
  });

  it("int64 <-> timestamp[ms] and timestamp[s] -> timestamp[ms]", async () => {
    const t = DataFrame.range(3).select(col("id").mul(1000).cast("timestamp[ms]").alias("t"));
    expect(typesOf(t)).toEqual({ t: "Timestamp<MILLISECOND>" });
    await expectColumns(t, { t: [new Date(0), new Date(1000), new Date(2000)] });
    await expectColumns(t.select(col("t").cast("int64")), { t: [0n, 1000n, 2000n] });
    const secs = DataFrame.range(2).select(
      col("id").cast("timestamp[s]").cast("timestamp[ms]").alias("t"),
    );
    await expectColumns(secs, { t: [new Date(0), new Date(1000)] });
  });

  it("an unknown type name is an error that lists the known ones", () => {
    expect(() => col("i").cast("int33")).toThrow(/Unknown type "int33". Use one of .*int32/);
  });
});

describe("alias", () => {
  it("renames the output; select of two expressions with one name is an error", async () => {
    const df = DataFrame.fromColumns({ a: new Int32Array([1, 2]) });
    await expectColumns(df.select(col("a").add(1).alias("b"), col("a")), { b: [2, 3], a: [1, 2] });
    expect(() => df.select(col("a").add(1), col("a"))).toThrow(/two columns named "a".*alias/);
  });
});

describe("when / then / otherwise", () => {
  const df = DataFrame.fromArrow(
    arrowBatches(
      {
        x: { type: new Int32(), values: [-5, 0, null, 5, 50] },
        s: { type: new Utf8(), values: ["neg", null, "?", "pos", "big"] },
        l: { type: new Int64(), values: [1n, 2n, 3n, null, 5n] },
      },
      [1, 4],
    ),
  );

  it("first true branch wins; a null condition falls through; otherwise for the rest", async () => {
    const out = df.select(
      when(col("x").lt(0))
        .then(-1)
        .when(col("x").gt(10))
        .then(100)
        .when(col("x").gt(0))
        .then(1)
        .otherwise(0)
        .alias("sign"),
    );
    // Only number literals in the branches: they are float64, as JS numbers are doubles.
    expect(typesOf(out)).toEqual({ sign: "float64" });
    await expectColumns(out, { sign: [-1, 0, 0, 1, 100] });
  });

  it("without otherwise the rest is null; the type comes from the branches", async () => {
    const out = df.select(when(col("x").gt(0)).then(col("x").mul(2)).alias("d"));
    expect(typesOf(out)).toEqual({ d: "int32" });
    await expectColumns(out, { d: [null, null, null, 10, 100] });
  });

  it("picks values from columns, including null values in a chosen branch", async () => {
    await expectColumns(
      df.select(when(col("x").gte(0)).then(col("l")).otherwise(col("x")).alias("v")),
      {
        v: [-5n, 2n, null, null, 5n],
      },
    );
  });

  it("works over strings (then/otherwise string columns and literals)", async () => {
    const out = df.select(
      when(col("x").gt(0)).then(col("s")).otherwise(lit("non-positive")).alias("label"),
    );
    expect(typesOf(out)).toEqual({ label: "utf8" });
    await expectColumns(out, {
      label: ["non-positive", "non-positive", "non-positive", "pos", "big"],
    });
  });

  it("a fractional branch widens the result to float64", async () => {
    const out = df.select(when(col("x").gt(0)).then(0.5).otherwise(col("x")).alias("v"));
    expect(typesOf(out)).toEqual({ v: "float64" });
    await expectColumns(out, { v: [-5, 0, null, 0.5, 0.5] });
  });

  it("a non-boolean condition is a build-time error", () => {
    expect(() => df.select(when(col("x")).then(1))).toThrow(
      /when\(\) needs a boolean condition, but col\(x\) is int32/,
    );
  });

  it("mismatched branch types name both sides", () => {
    expect(() => df.select(when(col("x").gt(0)).then(col("s")).otherwise(1))).toThrow(
      /Type mismatch.*utf8.*float64/,
    );
  });
});
