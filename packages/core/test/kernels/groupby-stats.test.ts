// std var median quantile product any all stringAgg mode: per group and global, with nulls,
// NaN, all-null groups and empty input; their types; bad arguments.
import { col, count, DataFrame } from "@deft/core";
import { Bool, Float64, Int32, Int64, Utf8 } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { arrowBatches, expectColumns, typesOf } from "../helpers.js";

const df = DataFrame.fromArrow(
  arrowBatches(
    {
      k: { type: new Utf8(), values: ["a", "a", "b", "a", "b", "c", "a", "d"] },
      x: { type: new Int32(), values: [1, 2, null, 10, 4, null, 2, 3] },
      f: { type: new Float64(), values: [0.5, Number.NaN, 2, 1.5, -1, null, 3, 4] },
      b: { type: new Bool(), values: [true, false, null, true, false, null, true, true] },
      s: { type: new Utf8(), values: ["p", null, "q", "r", "s", null, "p", "t"] },
    },
    [3, 5],
  ),
);

describe("more aggregations per group", () => {
  it("have the typing module's result types", () => {
    const out = df
      .groupBy("k")
      .agg(
        col("x").std().alias("std"),
        col("x").var().alias("var"),
        col("x").median().alias("median"),
        col("x").quantile(0.25).alias("q"),
        col("x").product().alias("product"),
        col("b").any().alias("any"),
        col("b").all().alias("all"),
        col("s").stringAgg().alias("sa"),
        col("x").mode().alias("mode"),
        col("s").mode().alias("smode"),
      );
    expect(typesOf(out)).toEqual({
      k: "utf8",
      std: "float64",
      var: "float64",
      median: "float64",
      q: "float64",
      product: "float64",
      any: "bool",
      all: "bool",
      sa: "utf8",
      mode: "int32",
      smode: "utf8",
    });
  });

  it("skip nulls; a group of only nulls (c) gives null; one value has no sample std (b, d)", async () => {
    // a: x = 1, 2, 10, 2; b: x = 4; c: none; d: 3.
    const out = df
      .groupBy("k")
      .agg(
        col("x").std().alias("std"),
        col("x").var(0).alias("var0"),
        col("x").median().alias("median"),
        col("x").quantile(0.25).alias("q25"),
        col("x").quantile(0.25, { interpolation: "lower" }).alias("lower"),
        col("x").quantile(0.25, { interpolation: "higher" }).alias("higher"),
        col("x").quantile(0.4, { interpolation: "nearest" }).alias("nearest"),
        col("x").product().alias("product"),
        col("x").mode().alias("mode"),
        count(),
      );
    const mean = 15 / 4;
    const m2 = [1, 2, 10, 2].reduce((s, v) => s + (v - mean) ** 2, 0);
    await expectColumns(out, {
      k: ["a", "b", "c", "d"],
      std: [Math.sqrt(m2 / 3), null, null, null],
      var0: [m2 / 4, 0, null, 0],
      median: [2, 4, null, 3],
      q25: [1.75, 4, null, 3],
      lower: [1, 4, null, 3],
      higher: [2, 4, null, 3],
      nearest: [2, 4, null, 3],
      product: [40, 4, null, 3],
      mode: [2, 4, null, 3],
      count: [4n, 2n, 1n, 1n],
    });
  });

  it("NaN: std/var/product are NaN, quantiles sort NaN above every number, mode counts it", async () => {
    const out = df
      .groupBy("k")
      .agg(
        col("f").std().alias("std"),
        col("f").product().alias("product"),
        col("f").median().alias("median"),
        col("f").quantile(1).alias("max"),
        col("f").quantile(0).alias("min"),
        col("f").mode().alias("mode"),
      );
    // a: f = 0.5, NaN, 1.5, 3 -> sorted 0.5 1.5 3 NaN.
    await expectColumns(out, {
      k: ["a", "b", "c", "d"],
      std: [Number.NaN, Math.sqrt(4.5), null, null],
      product: [Number.NaN, -2, null, 4],
      median: [2.25, 0.5, null, 4],
      max: [Number.NaN, 2, null, 4],
      min: [0.5, -1, null, 4],
      mode: [0.5, -1, null, 4],
    });
  });

  it("any/all skip nulls; stringAgg joins in input order; mode of strings breaks ties by the smallest", async () => {
    const out = df
      .groupBy("k")
      .agg(
        col("b").any().alias("any"),
        col("b").all().alias("all"),
        col("s").stringAgg("|").alias("sa"),
        col("s").stringAgg().alias("comma"),
        col("s").mode().alias("mode"),
      );
    await expectColumns(out, {
      k: ["a", "b", "c", "d"],
      any: [true, false, null, true],
      all: [false, false, null, true],
      sa: ["p|r|p", "q|s", null, "t"],
      comma: ["p,r,p", "q,s", null, "t"],
      mode: ["p", "q", null, "t"],
    });
  });

  it("int64 and bool arguments: exact int64 modes, bools as 0/1 for the numeric ones", async () => {
    const big = DataFrame.fromArrow(
      arrowBatches(
        {
          x: { type: new Int64(), values: [9007199254740993n, 9007199254740993n, 1n, null] },
          b: { type: new Bool(), values: [true, false, true, null] },
        },
        [1],
      ),
    );
    await expectColumns(
      big.select(
        col("x").mode(),
        col("b").mean().alias("mean"),
        col("b").var(0).alias("var"),
        col("b").product().alias("product"),
        col("b").mode().alias("bmode"),
      ),
      {
        x: [9007199254740993n],
        mean: [2 / 3],
        var: [expect.closeTo(2 / 9, 14)],
        product: [0],
        bmode: [true],
      },
    );
  });
});

describe("more aggregations over the whole table, and over nothing", () => {
  it("global select: one row", async () => {
    await expectColumns(
      df.select(
        col("x").median().alias("median"),
        col("x").std(0).alias("std0"),
        col("b").all().alias("all"),
        col("s").stringAgg("").alias("sa"),
        col("x").mode().alias("mode"),
      ),
      {
        median: [2.5],
        std0: [
          expect.closeTo(
            Math.sqrt([1, 2, 10, 4, 2, 3].reduce((s, v) => s + (v - 11 / 3) ** 2, 0) / 6),
            13,
          ),
        ],
        all: [false],
        sa: ["pqrspt"],
        mode: [2],
      },
    );
  });

  it("empty input: the global row is null for every one of them; no groups at all by key", async () => {
    const none = df.filter(col("x").gt(100));
    const aggs = [
      col("x").std().alias("std"),
      col("x").var().alias("var"),
      col("x").median().alias("median"),
      col("x").quantile(0.9).alias("q"),
      col("x").product().alias("product"),
      col("b").any().alias("any"),
      col("b").all().alias("all"),
      col("s").stringAgg().alias("sa"),
      col("x").mode().alias("mode"),
    ];
    await expectColumns(none.select(...aggs), {
      std: [null],
      var: [null],
      median: [null],
      q: [null],
      product: [null],
      any: [null],
      all: [null],
      sa: [null],
      mode: [null],
    });
    const grouped = await none
      .groupBy("k")
      .agg(...aggs)
      .toColumns();
    expect(grouped.k).toEqual([]);
    expect(grouped.mode).toEqual([]);
  });

  it("are usable inside expressions (coefficient of variation, interquartile range)", async () => {
    await expectColumns(
      df
        .groupBy("k")
        .agg(
          col("x").quantile(0.75).sub(col("x").quantile(0.25)).alias("iqr"),
          col("x").std(0).div(col("x").mean()).alias("cv"),
        )
        .filter(col("k").eq("a")),
      {
        k: ["a"],
        iqr: [4 - 1.75],
        cv: [Math.sqrt([1, 2, 10, 2].reduce((s, v) => s + (v - 3.75) ** 2, 0) / 4) / 3.75],
      },
    );
  });
});

describe("bad arguments", () => {
  it("are errors at the call, naming the function and the fix", () => {
    expect(() => col("x").quantile(1.5)).toThrow(/quantile\(\): q must be a number from 0 to 1/);
    expect(() => col("x").quantile(0.5, { interpolation: "midpoint" as "linear" })).toThrow(
      /interpolation must be one of linear, nearest, lower, higher/,
    );
    expect(() => col("x").std(-1)).toThrow(/std\(\): ddof must be a non-negative integer/);
    expect(() => df.select(col("s").std())).toThrow(
      /std\(\) of col\(s\): type utf8 is not numeric/,
    );
    expect(() => df.select(col("x").any())).toThrow(/any\(\) of col\(x\): type int32 is not bool/);
    expect(() => df.select(col("x").stringAgg())).toThrow(/stringAgg\(\) of col\(x\)/);
    expect(() => df.withColumn("m", col("x").median())).toThrow(/is an aggregation/);
  });
});
