import { DataFrame, lit, PlanError } from "@deft/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expectColumns, typesOf } from "../helpers.js";

const df = DataFrame.fromColumns(
  { id: ["a", "b", null], x: [1, null, 3], y: [Number.NaN, 5.5, null] },
  { schema: { id: "utf8", x: "int32", y: "float64" } },
);

describe("unpivot({ index, on?, variable, value })", () => {
  it("one row per (on column, input row), column by column; values in their supertype", async () => {
    const q = df.unpivot({ index: "id" });
    expect(typesOf(q)).toEqual({ id: "utf8", variable: "utf8", value: "float64" });
    await expectColumns(q, {
      id: ["a", "b", null, "a", "b", null],
      variable: ["x", "x", "x", "y", "y", "y"],
      value: [1, null, 3, Number.NaN, 5.5, null],
    });
  });
  it("named on columns and output names; no index", async () => {
    await expectColumns(df.unpivot({ on: ["y"], variable: "col", value: "v" }), {
      col: ["y", "y", "y"],
      v: [Number.NaN, 5.5, null],
    });
  });
  it("empty input", async () => {
    await expectColumns(df.filter(lit(false)).unpivot({ index: "id" }), {
      id: [],
      variable: [],
      value: [],
    });
  });
  it("bad input", () => {
    expect(() => df.unpivot({ index: "nope" })).toThrow(
      /Unknown column "nope" in unpivot\(\) index/,
    );
    expect(() => df.unpivot({ index: ["id", "x", "y"] })).toThrow(/no column to unpivot/);
    expect(() => df.unpivot({ index: "id", on: ["x", "id"] })).toThrow(PlanError);
    expect(() => df.unpivot({ index: "x", on: ["id", "y"] })).toThrow(/need one type/);
    expect(() => df.unpivot({ index: "id", variable: "id" })).toThrow(
      /clashes with an index column/,
    );
  });
  it("equals a plain JS reference (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer(), fc.option(fc.integer()), fc.option(fc.integer())), {
          maxLength: 15,
        }),
        async (rows) => {
          const f = DataFrame.fromColumns(
            { k: rows.map((r) => r[0]), p: rows.map((r) => r[1]), q: rows.map((r) => r[2]) },
            { schema: { k: "int32", p: "int32", q: "int32" } },
          );
          const want = { k: [] as unknown[], variable: [] as unknown[], value: [] as unknown[] };
          for (const [name, at] of [
            ["p", 1],
            ["q", 2],
          ] as const)
            for (const r of rows) {
              want.k.push(r[0]);
              want.variable.push(name);
              want.value.push(r[at]);
            }
          await expectColumns(f.unpivot({ index: "k" }), want);
        },
      ),
      { numRuns: 30 },
    );
  });
});
