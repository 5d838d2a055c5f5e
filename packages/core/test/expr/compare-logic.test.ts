import { col, DataFrame, lit } from "@deft/core";
import {
  Bool,
  DateDay,
  Float64,
  Int32,
  TimestampMillisecond,
  TimestampSecond,
  Utf8,
} from "apache-arrow";
import { describe, expect, it } from "vitest";
import { arrowBatches, expectColumns, typesOf } from "../helpers.js";

describe("comparisons", () => {
  const df = DataFrame.fromArrow(
    arrowBatches(
      {
        i: { type: new Int32(), values: [1, 2, null, 3] },
        f: { type: new Float64(), values: [1, Number.NaN, 5, 2.5] },
        s: { type: new Utf8(), values: ["b", "a", "é", null] },
      },
      [2],
    ),
  );

  it("eq neq lt lte gt gte on numbers: null in, null out; NaN compares false", async () => {
    const out = df.select(
      col("i").eq(col("f")).alias("eq"),
      col("i").neq(col("f")).alias("neq"),
      col("i").lt(col("f")).alias("lt"),
      col("i").lte(col("f")).alias("lte"),
      col("i").gt(col("f")).alias("gt"),
      col("i").gte(col("f")).alias("gte"),
    );
    expect(Object.values(typesOf(out))).toEqual(Array(6).fill("bool"));
    await expectColumns(out, {
      eq: [true, false, null, false],
      neq: [false, true, null, true],
      lt: [false, false, null, false],
      lte: [true, false, null, false],
      gt: [false, false, null, true],
      gte: [true, false, null, true],
    });
  });

  it("compares an int column with a fractional literal exactly (2 < 2.5, not truncated)", async () => {
    await expectColumns(df.select(col("i").lt(2.5).alias("lt"), col("i").eq(2.5).alias("eq")), {
      lt: [true, true, null, false],
      eq: [false, false, null, false],
    });
  });

  it("compares strings byte-wise (code point order), with literals on either side", async () => {
    await expectColumns(
      df.select(
        col("s").lt("b").alias("lt"),
        col("s").eq("é").alias("eq"),
        lit("b").lte(col("s")).alias("rev"),
        col("s").gte(col("s")).alias("self"),
      ),
      {
        lt: [false, true, false, null],
        eq: [false, false, true, null],
        rev: [true, false, true, null],
        self: [true, true, true, null],
      },
    );
  });

  it("comparing with an untyped null literal is null everywhere (numbers and strings)", async () => {
    await expectColumns(
      df.select(col("i").eq(lit(null)).alias("i"), col("s").neq(lit(null)).alias("s")),
      {
        i: [null, null, null, null],
        s: [null, null, null, null],
      },
    );
  });

  it("compares dates and timestamps with Date literals and across units", async () => {
    const day = 86_400_000;
    const t = DataFrame.fromArrow(
      arrowBatches(
        {
          d: { type: new DateDay(), values: [new Date(0), new Date(2 * day), null] },
          ms: { type: new TimestampMillisecond(), values: [1000, 2 * day, 5] },
          // apache-arrow builders take epoch milliseconds for every unit.
          s: { type: new TimestampSecond(), values: [1000, 2 * day, 0] },
        },
        [1],
      ),
    );
    await expectColumns(
      t.select(
        col("d").gt(new Date(day)).alias("d"),
        col("ms").eq(col("s")).alias("eq"),
        col("ms").lt(new Date(2000)).alias("lt"),
      ),
      { d: [false, true, null], eq: [true, true, false], lt: [true, false, true] },
    );
  });
});

describe("three-valued logic", () => {
  // Every combination of true/false/null on both sides.
  const vals = [true, false, null];
  const a = vals.flatMap((x) => vals.map(() => x));
  const b = vals.flatMap(() => vals);
  const df = DataFrame.fromArrow(
    arrowBatches(
      { a: { type: new Bool(), values: a }, b: { type: new Bool(), values: b } },
      [3, 5],
    ),
  );

  it("and / or follow SQL's Kleene logic; not keeps null", async () => {
    const and3 = (x: boolean | null, y: boolean | null) =>
      x === false || y === false ? false : x === null || y === null ? null : true;
    const or3 = (x: boolean | null, y: boolean | null) =>
      x === true || y === true ? true : x === null || y === null ? null : false;
    await expectColumns(
      df.select(
        col("a").and(col("b")).alias("and"),
        col("a").or(col("b")).alias("or"),
        col("a").not().alias("not"),
      ),
      {
        and: a.map((x, i) => and3(x, b[i]!)),
        or: a.map((x, i) => or3(x, b[i]!)),
        not: a.map((x) => (x === null ? null : !x)),
      },
    );
  });

  it("and/or with literals: false AND null is false, true OR null is true", async () => {
    await expectColumns(
      df.select(
        col("b").and(false).alias("f"),
        col("b").or(true).alias("t"),
        col("b").and(lit(null)).alias("n"),
      ),
      {
        f: Array(9).fill(false),
        t: Array(9).fill(true),
        n: b.map((y) => (y === false ? false : null)),
      },
    );
  });

  it("and() on a number names the offending expression at build time", () => {
    expect(() => df.select(col("a").and(lit(1)))).toThrow(
      /and\(\) needs booleans, but 1 is float64/,
    );
  });
});

describe("null handling", () => {
  const df = DataFrame.fromArrow(
    arrowBatches(
      {
        i: { type: new Int32(), values: [null, 2, null, 4] },
        f: { type: new Float64(), values: [Number.NaN, null, 1, null] },
        s: { type: new Utf8(), values: [null, "x", "", null] },
      },
      [1, 3],
    ),
  );

  it("isNull / isNotNull: NaN is not null, an empty string is not null", async () => {
    await expectColumns(
      df.select(
        col("i").isNull().alias("i"),
        col("f").isNull().alias("f"),
        col("s").isNotNull().alias("s"),
        lit(null).isNull().alias("lit"),
      ),
      {
        i: [true, false, true, false],
        f: [false, true, false, true],
        s: [false, true, true, false],
        lit: [true, true, true, true],
      },
    );
  });

  it("isNull on a typed null literal over a string type is true", async () => {
    await expectColumns(df.select(lit(null, "utf8").isNull().alias("n")), {
      n: [true, true, true, true],
    });
  });

  it("fillNull with a literal, another column, and on strings", async () => {
    const out = df.select(
      col("i").fillNull(0).alias("lit"),
      col("i").fillNull(col("f").cast("int32")).alias("other"),
      col("f").fillNull(-1).alias("f"),
      col("s").fillNull("?").alias("s"),
    );
    expect(typesOf(out)).toEqual({ lit: "int32", other: "int32", f: "float64", s: "utf8" });
    await expectColumns(out, {
      lit: [0, 2, 0, 4],
      other: [null, 2, 1, 4],
      f: [Number.NaN, -1, 1, -1],
      s: ["?", "x", "", "?"],
    });
  });

  it("fillNull with a fraction widens an int column to float64", async () => {
    const out = df.select(col("i").fillNull(0.5));
    expect(typesOf(out)).toEqual({ i: "float64" });
    await expectColumns(out, { i: [0.5, 2, 0.5, 4] });
  });
});

describe("isIn and between", () => {
  const df = DataFrame.fromArrow(
    arrowBatches(
      {
        i: { type: new Int32(), values: [1, 2, 3, null, 10] },
        s: { type: new Utf8(), values: ["a", "b", null, "c", "a"] },
        f: { type: new Float64(), values: [1.5, Number.NaN, 3, 4, null] },
      },
      [2],
    ),
  );

  it("isIn over ints (short and long lists), floats and strings; null stays null", async () => {
    const many = Array.from({ length: 20 }, (_, k) => k * 5); // > 8 values: the Set path
    await expectColumns(
      df.select(
        col("i").isIn([2, 10, 1.5]).alias("short"),
        col("i").isIn(many).alias("long"),
        col("f").isIn([1.5, Number.NaN]).alias("f"),
        col("s").isIn(["a", "c", null]).alias("s"),
      ),
      {
        short: [false, true, false, null, true],
        long: [false, false, false, null, true],
        f: [true, false, false, false, null],
        s: [true, false, null, true, true],
      },
    );
  });

  it("isIn on int64 with fractional values matches nothing rather than truncating", async () => {
    await expectColumns(DataFrame.range(3).select(col("id").isIn([1.5, 2])), {
      id: [false, false, true],
    });
  });

  it("isIn with a value of the wrong type is a build-time error naming both", () => {
    expect(() => df.select(col("i").isIn(["1"]))).toThrow(
      /isIn\(\) on col\(i\) \(int32\) got "1" \(utf8\)/,
    );
  });

  it("between is inclusive at both ends", async () => {
    await expectColumns(
      df.select(col("i").between(2, 3).alias("b"), col("f").between(1.5, col("f")).alias("self")),
      {
        b: [false, true, true, null, false],
        self: [true, false, true, true, null],
      },
    );
  });
});
