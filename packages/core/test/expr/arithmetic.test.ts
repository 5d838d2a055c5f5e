import { col, DataFrame, lit } from "@deft/core";
import { Float32, Float64, Int32, Int64, Uint8 } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { arrowBatches, expectColumns, typesOf } from "../helpers.js";

const ints = { type: new Int32(), values: [1, -7, null, 2147483647, 0, 9] };
const floats = { type: new Float64(), values: [0.5, Number.NaN, null, -2, Infinity, 3] };

describe("arithmetic over int32 and float64 with nulls, NaN and many batches", () => {
  // Cuts at 1 and 4 plus empty batches around them: every kernel sees 0-row batches too.
  const df = DataFrame.fromArrow(arrowBatches({ i: ints, f: floats }, [1, 4]));

  it("add sub mul keep nulls null and follow IEEE rules for NaN/Infinity", async () => {
    await expectColumns(
      df.select(
        col("f").add(col("f")).alias("add"),
        col("f").sub(1).alias("sub"),
        col("f").mul(col("f")).alias("mul"),
      ),
      {
        add: [1, Number.NaN, null, -4, Infinity, 6],
        sub: [-0.5, Number.NaN, null, -3, Infinity, 2],
        mul: [0.25, Number.NaN, null, 4, Infinity, 9],
      },
    );
  });

  it("int32 + 1 stays int32 and wraps around like a 32-bit integer", async () => {
    const out = df.select(
      col("i").add(1).alias("a"),
      col("i").mul(2).alias("m"),
      col("i").sub(-1).alias("s"),
    );
    expect(typesOf(out)).toEqual({ a: "int32", m: "int32", s: "int32" });
    await expectColumns(out, {
      a: [2, -6, null, -2147483648, 1, 10],
      m: [2, -14, null, -2, 0, 18],
      s: [2, -6, null, -2147483648, 1, 10],
    });
  });

  it("a fractional literal widens an int column to float64", async () => {
    const out = df.select(col("i").add(0.5).alias("a"));
    expect(typesOf(out)).toEqual({ a: "float64" });
    await expectColumns(out, { a: [1.5, -6.5, null, 2147483647.5, 0.5, 9.5] });
  });

  it("a literal pinned to a type is not adapted (lit(1, 'float64') makes float64)", async () => {
    // Same printed shape as the weak literal above: the kernel cache must still tell them apart.
    const weak = df.select(col("i").add(1).alias("a"));
    const pinned = df.select(col("i").add(lit(1, "float64")).alias("a"));
    await weak.toColumns();
    expect(typesOf(pinned)).toEqual({ a: "float64" });
    const t = await pinned.toArrow();
    expect(t.getChild("a")!.data[0]!.values).toBeInstanceOf(Float64Array);
    expect(t.getChild("a")!.toArray()[3]).toBe(2147483648);
  });

  it("int + float column is float64", async () => {
    const out = df.select(col("i").add(col("f")).alias("x"));
    expect(typesOf(out)).toEqual({ x: "float64" });
    await expectColumns(out, { x: [1.5, Number.NaN, null, 2147483645, Infinity, 12] });
  });

  it("div is true division into float64, by zero gives Infinity/NaN", async () => {
    const out = df.select(col("i").div(2).alias("h"), col("i").div(0).alias("z"));
    expect(typesOf(out)).toEqual({ h: "float64", z: "float64" });
    await expectColumns(out, {
      h: [0.5, -3.5, null, 1073741823.5, 0, 4.5],
      z: [Infinity, -Infinity, null, Infinity, Number.NaN, Infinity],
    });
  });

  it("mod keeps the dividend's sign; integer mod by zero is null, float mod by zero NaN", async () => {
    await expectColumns(
      df.select(
        col("i").mod(4).alias("m"),
        col("i").mod(0).alias("z"),
        col("f").mod(0).alias("fz"),
        col("i")
          .mod(col("i").sub(col("i")))
          .alias("zc"),
      ),
      {
        m: [1, -3, null, 3, 0, 1],
        z: [null, null, null, null, null, null],
        fz: [Number.NaN, Number.NaN, null, Number.NaN, Number.NaN, Number.NaN],
        zc: [null, null, null, null, null, null],
      },
    );
  });

  it("neg negates, int32 min wraps to itself", async () => {
    const d = DataFrame.fromColumns({ i: new Int32Array([-2147483648, 5, 0]) });
    await expectColumns(d.select(col("i").neg()), { i: [-2147483648, -5, 0] });
    await expectColumns(df.select(col("f").neg()), {
      f: [-0.5, Number.NaN, null, 2, -Infinity, -3],
    });
  });

  it("adding a null literal gives an all-null column of the column's type", async () => {
    const out = df.select(col("i").add(lit(null)).alias("n"));
    expect(typesOf(out)).toEqual({ n: "int32" });
    await expectColumns(out, { n: [null, null, null, null, null, null] });
  });
});

describe("arithmetic over int64, float32 and unsigned columns", () => {
  it("int64 stays bigint, wraps at 2^63 and mod by zero is null", async () => {
    const max = 2n ** 63n - 1n;
    const df = DataFrame.fromColumns({ v: [1n, max, null, -5n] }, { schema: { v: "int64" } });
    const out = df.select(
      col("v").add(1).alias("a"),
      col("v").mod(0).alias("z"),
      col("v").mod(3).alias("m"),
      col("v").neg().alias("n"),
    );
    expect(typesOf(out)).toEqual({ a: "int64", z: "int64", m: "int64", n: "int64" });
    await expectColumns(out, {
      a: [2n, -(2n ** 63n), null, -4n],
      z: [null, null, null, null],
      m: [1n, 1n, null, -2n],
      n: [-1n, -max, null, 5n],
    });
  });

  it("int64 overflow wraps inside a fused loop too: a comparison sees the value stored", async () => {
    const big = col("id").mul(2n ** 62n);
    await expectColumns(DataFrame.range(3).select(big.gt(0).alias("pos"), big.alias("v")), {
      pos: [false, true, false],
      v: [0n, 2n ** 62n, -(2n ** 63n)],
    });
  });

  it("int64 * float literal is float64; int64 / int64 is float64", async () => {
    const df = DataFrame.range(4);
    const out = df.select(col("id").mul(0.5).alias("h"), col("id").div(col("id")).alias("d"));
    expect(typesOf(out)).toEqual({ h: "float64", d: "float64" });
    await expectColumns(out, { h: [0, 0.5, 1, 1.5], d: [Number.NaN, 1, 1, 1] });
  });

  it("float32 + 1 stays float32 (rounded to single precision)", async () => {
    const df = DataFrame.fromColumns({ f: new Float32Array([0.1, 16777216]) });
    const out = df.select(col("f").add(1));
    expect(typesOf(out)).toEqual({ f: "float32" });
    await expectColumns(out, { f: [Math.fround(Math.fround(0.1) + 1), 16777216] });
  });

  it("uint8 wraps modulo 256", async () => {
    const df = DataFrame.fromArrow(
      arrowBatches({ u: { type: new Uint8(), values: [250, 3, null] } }, [1]),
    );
    await expectColumns(df.select(col("u").add(10).alias("a"), col("u").sub(4).alias("s")), {
      a: [4, 13, null],
      s: [246, 255, null],
    });
  });

  it("int32 + int64 is int64; float32 + float64 is float64", async () => {
    const df = DataFrame.fromArrow(
      arrowBatches(
        {
          a: { type: new Int32(), values: [1, 2] },
          b: { type: new Int64(), values: [10n, 20n] },
          c: { type: new Float32(), values: [0.5, 1.5] },
          d: { type: new Float64(), values: [1, 2] },
        },
        [1],
      ),
    );
    const out = df.select(col("a").add(col("b")).alias("ab"), col("c").add(col("d")).alias("cd"));
    expect(typesOf(out)).toEqual({ ab: "int64", cd: "float64" });
    await expectColumns(out, { ab: [11n, 22n], cd: [1.5, 3.5] });
  });
});

describe("empty inputs", () => {
  it("an expression over zero rows gives zero rows of the right type", async () => {
    const df = DataFrame.fromColumns({ a: new Float64Array(0), b: new Int32Array(0) });
    const out = df.select(col("a").mul(2).add(col("b")).alias("x"), col("b").mod(0).alias("m"));
    expect(typesOf(out)).toEqual({ x: "float64", m: "int32" });
    await expectColumns(out, { x: [], m: [] });
  });
});
