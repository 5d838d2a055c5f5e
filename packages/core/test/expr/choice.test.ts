// coalesce, greatest, least and nullIf over numbers, strings, dates, nulls, NaN and empty input.
import { coalesce, col, DataFrame, greatest, least, lit } from "@deft/core";
import { DateDay, Float64, Int32, Int64, Utf8 } from "apache-arrow";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arrowBatches, expectColumns, typesOf } from "../helpers.js";

const df = DataFrame.fromArrow(
  arrowBatches(
    {
      a: { type: new Int32(), values: [1, null, 5, null, -3] },
      b: { type: new Int32(), values: [2, 7, null, null, -4] },
      f: { type: new Float64(), values: [0.5, Number.NaN, null, 9, Number.NaN] },
      s: { type: new Utf8(), values: ["b", null, "a", null, "é"] },
      t: { type: new Utf8(), values: ["a", "x", null, null, "z"] },
    },
    [2],
  ),
);

describe("coalesce", () => {
  it("takes the first non-null value, in the arguments' common type", async () => {
    const out = df.select(
      coalesce(col("a"), col("b")).alias("ab"),
      coalesce(col("a"), col("b"), 0).alias("ab0"),
      coalesce(col("a"), col("f")).alias("af"),
      coalesce(col("s"), col("t"), "none").alias("st"),
      coalesce(lit(null), col("a")).alias("na"),
    );
    expect(typesOf(out)).toEqual({
      ab: "int32",
      ab0: "int32",
      af: "float64",
      st: "utf8",
      na: "int32",
    });
    await expectColumns(out, {
      ab: [1, 7, 5, null, -3],
      ab0: [1, 7, 5, 0, -3],
      af: [1, Number.NaN, 5, 9, -3],
      st: ["b", "x", "a", "none", "é"],
      na: [1, null, 5, null, -3],
    });
  });

  it("needs an argument and types that meet", () => {
    expect(() => coalesce()).toThrow(/coalesce\(\) needs at least one expression/);
    expect(() => df.select(coalesce(col("a"), col("s")))).toThrow(
      /Type mismatch in coalesce\(col\(a\), col\(s\)\)/,
    );
  });
});

describe("greatest and least", () => {
  it("skip nulls (null only when all are null); NaN is above every number", async () => {
    const out = df.select(
      greatest(col("a"), col("b")).alias("g"),
      least(col("a"), col("b")).alias("l"),
      greatest(col("a"), col("f")).alias("gf"),
      least(col("a"), col("f")).alias("lf"),
      greatest(col("s"), col("t")).alias("gs"),
      least(col("s"), col("t"), "b").alias("ls"),
      greatest(col("a"), 3).alias("g3"),
    );
    expect(typesOf(out)).toEqual({
      g: "int32",
      l: "int32",
      gf: "float64",
      lf: "float64",
      gs: "utf8",
      ls: "utf8",
      g3: "int32",
    });
    await expectColumns(out, {
      g: [2, 7, 5, null, -3],
      l: [1, 7, 5, null, -4],
      gf: [1, Number.NaN, 5, 9, Number.NaN],
      lf: [0.5, Number.NaN, 5, 9, -3],
      gs: ["b", "x", "a", null, "é"], // code-point order: é (U+00E9) is above z
      ls: ["a", "b", "a", "b", "b"],
      g3: [3, 3, 5, 3, 3],
    });
  });

  it("compare dates and int64, and reject types without an order", async () => {
    const d = DataFrame.fromArrow(
      arrowBatches(
        {
          d: { type: new DateDay(), values: [new Date("2020-01-02"), null] },
          e: { type: new DateDay(), values: [new Date("2021-05-01"), new Date("1999-01-01")] },
          x: { type: new Int64(), values: [5n, null] },
        },
        [],
      ),
    );
    const out = await d
      .select(greatest(col("d"), col("e")).alias("g"), least(col("x"), 2n).alias("l"))
      .toColumns();
    expect(out.g).toEqual([new Date("2021-05-01"), new Date("1999-01-01")]);
    expect(out.l).toEqual([2n, 2n]);
    const lists = DataFrame.fromRecords([{ xs: [1, 2] }, { xs: null }]);
    expect(() => lists.select(greatest(col("xs"), col("xs")))).toThrow(/has no order/);
    // coalesce needs no order: lists of one type are fine.
    await expectColumns(lists.select(coalesce(col("xs"), col("xs"))), { xs: [[1, 2], null] });
  });
});

describe("nullIf", () => {
  it("is null where the value equals the other (NaN equals NaN), else the value", async () => {
    const out = df.select(
      col("a").nullIf(5).alias("a5"),
      col("a").nullIf(col("b")).alias("ab"),
      col("f").nullIf(Number.NaN).alias("fn"),
      col("s").nullIf("a").alias("sa"),
      col("a").nullIf(null).alias("an"),
    );
    expect(typesOf(out)).toEqual({
      a5: "int32",
      ab: "int32",
      fn: "float64",
      sa: "utf8",
      an: "int32",
    });
    await expectColumns(out, {
      a5: [1, null, null, null, -3],
      ab: [1, null, 5, null, -3],
      fn: [0.5, null, null, 9, null],
      sa: ["b", null, null, null, "é"],
      an: [1, null, 5, null, -3],
    });
  });

  it("compares in the common type: an int column is not equal to 5.5", async () => {
    await expectColumns(df.select(col("a").nullIf(5.5)), { a: [1, null, 5, null, -3] });
  });
});

it("zero rows give zero rows", async () => {
  const empty = DataFrame.fromColumns({ a: new Int32Array(0), s: [] as string[] });
  const out = empty.select(
    coalesce(col("a"), 1).alias("c"),
    greatest(col("a"), 2).alias("g"),
    col("a").nullIf(1).alias("n"),
  );
  await expectColumns(out, { c: [], g: [], n: [] });
});

describe("property: greatest/least/coalesce vs a JS reference", () => {
  const cell = fc.option(fc.oneof(fc.double(), fc.constant(Number.NaN)), { freq: 3 });
  it("over three nullable float64 columns in random batches", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(cell, cell, cell), { maxLength: 40 }), async (rows) => {
        const cols = [0, 1, 2].map((c) => rows.map((r) => r[c]!));
        const frame = DataFrame.fromArrow(
          arrowBatches(
            {
              x: { type: new Float64(), values: cols[0]! },
              y: { type: new Float64(), values: cols[1]! },
              z: { type: new Float64(), values: cols[2]! },
            },
            [3, 7],
          ),
        );
        const got = await frame
          .select(
            greatest(col("x"), col("y"), col("z")).alias("g"),
            least(col("x"), col("y"), col("z")).alias("l"),
            coalesce(col("x"), col("y"), col("z")).alias("c"),
          )
          .toColumns();
        // DuckDB's order: NaN above every number; nulls skipped.
        const rank = (v: number) => (Number.isNaN(v) ? Infinity : v);
        const pick = (vals: (number | null)[], better: (a: number, b: number) => boolean) => {
          let best: number | null = null;
          for (const v of vals) if (v !== null && (best === null || better(v, best))) best = v;
          return best;
        };
        const ref = rows.map((r) => ({
          g: pick(r, (a, b) => rank(a) > rank(b) || (Number.isNaN(a) && !Number.isNaN(b))),
          l: pick(r, (a, b) => rank(a) < rank(b) || (Number.isNaN(b) && !Number.isNaN(a))),
          c: r.find((v) => v !== null) ?? null,
        }));
        expect(got.g).toEqual(ref.map((x) => x.g));
        expect(got.l).toEqual(ref.map((x) => x.l));
        expect(got.c).toEqual(ref.map((x) => x.c));
      }),
    );
  });
});
