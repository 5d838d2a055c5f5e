import { col, DataFrame, lit, PlanError } from "@deft/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expectColumns } from "../helpers.js";

const df = DataFrame.fromColumns({
  a: [1, null, 3, Number.NaN, 5],
  s: ["v", "w", null, "y", "z"],
});

describe("tail(n)", () => {
  it("the last n rows, in input order (nulls and NaN as they are)", async () => {
    await expectColumns(df.tail(3), { a: [3, Number.NaN, 5], s: [null, "y", "z"] });
    await expectColumns(df.tail(9), {
      a: [1, null, 3, Number.NaN, 5],
      s: ["v", "w", null, "y", "z"],
    });
    await expectColumns(df.tail(0), { a: [], s: [] });
  });
  it("empty input", async () => {
    await expectColumns(df.filter(lit(false)).tail(2), { a: [], s: [] });
  });
  it("a filter above a tail stays above it", async () => {
    const q = df.tail(2).filter(col("a").gt(0));
    expect(q.explain({ optimized: true })).toMatch(/Filter: \(col\(a\) > 0\)\n\s+Tail: 2/);
    await expectColumns(q, { a: [5], s: ["z"] });
  });
  it("refuses a bad n", () => {
    expect(() => df.tail(-1)).toThrow(PlanError);
    expect(() => df.tail(1.5)).toThrow(/whole number/);
  });
  it("equals slice(-n) for any batch sizes (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer(), { maxLength: 60 }),
        fc.integer({ min: 1, max: 9 }),
        fc.nat(70),
        async (xs, rows, n) => {
          const q = DataFrame.fromColumns({ x: xs }, { schema: { x: "int32" } }).intoBatches(rows);
          await expectColumns(q.tail(n), { x: n === 0 ? [] : xs.slice(-n) });
          await expectColumns(q.tail(n).limit(2), { x: (n === 0 ? [] : xs.slice(-n)).slice(0, 2) });
        },
      ),
      { numRuns: 60 },
    );
  });
});
