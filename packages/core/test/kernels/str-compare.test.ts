// String columns against string literals (comparisons and isIn) run on the UTF-8 bytes;
// they must agree with JavaScript's comparison of the decoded strings by code point.
import { col, lit } from "@deft/core";
import { evaluate, valuesOf } from "@deft/core/internal";
import { type RecordBatch, Utf8 } from "apache-arrow";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arrowBatch } from "../helpers.js";

const str = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.constantFrom("", "a", "ab", "abc", "é", "éa", "\u{1F600}", "\uFFFF", "AIR", "AIR REG"),
  fc.string({ unit: "grapheme", maxLength: 4 }),
);

/** Code point order, as UTF-8 byte order gives (JS < compares UTF-16 units). */
const cmp = (a: string, b: string): number => {
  const x = [...a].map((c) => c.codePointAt(0)!);
  const y = [...b].map((c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
};
const OPS = {
  eq: (c: number) => c === 0,
  neq: (c: number) => c !== 0,
  lt: (c: number) => c < 0,
  lte: (c: number) => c <= 0,
  gt: (c: number) => c > 0,
  gte: (c: number) => c >= 0,
} as const;

describe("string column vs string literal, on bytes", () => {
  it("every comparison, either side, nulls and sliced batches, equals comparing code points (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(str, { freq: 5 }), { minLength: 1, maxLength: 40 }),
        str,
        fc.nat(),
        (values, literal, cut) => {
          const start = cut % values.length;
          const batch: RecordBatch = arrowBatch({ s: { type: new Utf8(), values } }).slice(
            start,
            values.length,
          );
          const rows = values.slice(start);
          for (const [op, test] of Object.entries(OPS)) {
            const right = col("s")[op as keyof typeof OPS](literal);
            expect(valuesOf(evaluate(right.node, batch))).toEqual(
              rows.map((v) => (v === null ? null : test(cmp(v, literal)))),
            );
            const left = lit(literal)[op as keyof typeof OPS](col("s"));
            expect(valuesOf(evaluate(left.node, batch))).toEqual(
              rows.map((v) => (v === null ? null : test(cmp(literal, v)))),
            );
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it("isIn over strings equals a Set of the decoded strings, nulls stay null (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(str, { freq: 5 }), { minLength: 0, maxLength: 40 }),
        fc.array(str, { maxLength: 5 }),
        (values, list) => {
          const batch = arrowBatch({ s: { type: new Utf8(), values } });
          const set = new Set(list);
          expect(valuesOf(evaluate(col("s").isIn(list).node, batch))).toEqual(
            values.map((v) => (v === null ? null : set.has(v))),
          );
        },
      ),
      { numRuns: 150 },
    );
  });
});
