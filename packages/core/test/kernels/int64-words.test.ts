// 64-bit integer columns read as numbers from their two 32-bit words (no BigInt per row):
// comparisons with number literals, float arithmetic and casts give what Number(bigint)
// gives, across the whole int64 and uint64 range, with nulls and sliced batches.
import { col } from "@deft/core";
import { evaluate, valuesOf } from "@deft/core/internal";
import { Int64, type RecordBatch, Uint64 } from "apache-arrow";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arrowBatch } from "../helpers.js";

const I64 = { min: -(2n ** 63n), max: 2n ** 63n - 1n };
const U64 = { min: 0n, max: 2n ** 64n - 1n };
const edge = (r: { min: bigint; max: bigint }) =>
  fc.oneof(
    fc.bigInt(r),
    fc.bigInt({ min: -(2n ** 54n) > r.min ? -(2n ** 54n) : r.min, max: 2n ** 54n }),
    fc.constantFrom(r.min, r.max, 0n, 1n, 2n ** 53n + 1n, 2n ** 32n, 2n ** 32n - 1n),
  );

for (const [name, type, range] of [
  ["int64", new Int64(), I64],
  ["uint64", new Uint64(), U64],
] as const) {
  describe(`${name} read through its words`, () => {
    it("compares with number literals, multiplies by floats and casts like Number(bigint) (property)", () => {
      fc.assert(
        fc.property(
          fc.array(fc.option(edge(range), { freq: 4 }), { minLength: 1, maxLength: 50 }),
          fc.double({ min: -1e19, max: 2e19, noNaN: true }),
          fc.nat(),
          (values, threshold, cut) => {
            const whole = arrowBatch({ x: { type, values } });
            const start = cut % values.length;
            const batch: RecordBatch = whole.slice(start, values.length);
            const rows = values.slice(start);
            const num = rows.map((v) => (v === null ? null : Number(v)));
            expect(valuesOf(evaluate(col("x").gt(threshold).node, batch))).toEqual(
              num.map((v) => (v === null ? null : v > threshold)),
            );
            expect(valuesOf(evaluate(col("x").mul(1.5).node, batch))).toEqual(
              num.map((v) => (v === null ? null : v * 1.5)),
            );
            expect(valuesOf(evaluate(col("x").cast("float64").node, batch))).toEqual(num);
            // The bigint itself is still exact where the loop needs it.
            expect(valuesOf(evaluate(col("x").eq(col("x")).node, batch))).toEqual(
              rows.map((v) => (v === null ? null : true)),
            );
          },
        ),
        { numRuns: 200 },
      );
    });
  });
}
