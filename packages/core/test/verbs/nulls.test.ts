import { col, DataFrame, lit, PlanError } from "@deft/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expectColumns, typesOf } from "../helpers.js";

const df = DataFrame.fromColumns(
  {
    i: [1, null, 3, null],
    f: [Number.NaN, 2.5, null, null],
    s: ["a", null, "c", null],
    b: [null, true, false, null],
  },
  { schema: { i: "int32", f: "float64", s: "utf8", b: "bool" } },
);

describe("dropNulls", () => {
  it("drops rows with a null in any column (NaN is not null)", async () => {
    await expectColumns(df.dropNulls(), { i: [], f: [], s: [], b: [] });
    await expectColumns(df.select("i", "f").dropNulls(), { i: [1], f: [Number.NaN] });
    await expectColumns(df.select("f", "s").dropNulls(), { f: [Number.NaN], s: ["a"] });
  });
  it("only in the named columns", async () => {
    await expectColumns(df.dropNulls("i"), {
      i: [1, 3],
      f: [Number.NaN, null],
      s: ["a", "c"],
      b: [null, false],
    });
    await expectColumns(df.dropNulls("i", "b"), { i: [3], f: [null], s: ["c"], b: [false] });
  });
  it("empty input, unknown column", async () => {
    expect(await df.filter(lit(false)).dropNulls().count()).toBe(0);
    expect(() => df.dropNulls("nope")).toThrow(/Unknown column "nope" in dropNulls\(\)/);
  });
  it("keeps exactly the rows a JS reference keeps (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.option(fc.integer()), fc.option(fc.constantFrom("x", ""))), {
          maxLength: 30,
        }),
        async (rows) => {
          const f = DataFrame.fromColumns(
            { a: rows.map((r) => r[0]), b: rows.map((r) => r[1]) },
            { schema: { a: "int32", b: "utf8" } },
          );
          const kept = rows.filter((r) => r[0] !== null && r[1] !== null);
          await expectColumns(f.dropNulls(), {
            a: kept.map((r) => r[0]),
            b: kept.map((r) => r[1]),
          });
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe("fillNull", () => {
  it("a whole number fills integer and float columns, keeping their types (NaN stays)", async () => {
    const out = df.fillNull(0);
    expect(typesOf(out)).toEqual(typesOf(df));
    await expectColumns(out, {
      i: [1, 0, 3, 0],
      f: [Number.NaN, 2.5, 0, 0],
      s: ["a", null, "c", null],
      b: [null, true, false, null],
    });
  });
  it("a fraction fills float columns only; strings, booleans their own kind", async () => {
    await expectColumns(df.fillNull(0.5).select("i", "f"), {
      i: [1, null, 3, null],
      f: [Number.NaN, 2.5, 0.5, 0.5],
    });
    await expectColumns(df.fillNull("?").select("s"), { s: ["a", "?", "c", "?"] });
    await expectColumns(df.fillNull(false).select("b"), { b: [false, true, false, false] });
  });
  it("{ column: value } fills the named columns, with values or expressions", async () => {
    await expectColumns(df.fillNull({ i: -1, s: col("b").cast("utf8") }).select("i", "s"), {
      i: [1, -1, 3, -1],
      s: ["a", "true", "c", null],
    });
  });
  it("bad input", () => {
    expect(() => df.fillNull({ nope: 1 })).toThrow(/Unknown column "nope" in fillNull\(\)/);
    expect(() => df.fillNull(null)).toThrow(PlanError);
    expect(() => df.fillNull(lit(1) as never)).toThrow(/\{ column: valueOrExpr \}/);
  });
  it("empty input", async () => {
    expect(await df.filter(lit(false)).fillNull(1).count()).toBe(0);
  });
});
