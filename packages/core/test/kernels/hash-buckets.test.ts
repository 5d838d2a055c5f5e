// hashBuckets against a simple reference: every row in exactly one bucket, ascending within
// it; equal keys (nulls included) in the same bucket whichever batch they come in, so the two
// sides of a shuffled join, cut apart, meet in one bucket.
import { hashBuckets, keyKindOf } from "@deft/core/internal";
import { type Data, Int32, Utf8, vectorFromArray } from "apache-arrow";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const ints = (v: (number | null)[]): Data => vectorFromArray(v, new Int32()).data[0]! as Data;
const strs = (v: (string | null)[]): Data => vectorFromArray(v, new Utf8()).data[0]! as Data;

/** Per row, its bucket, read back from the kernel's permutation. */
function bucketOfRows(keys: Data[], n: number, count: number): number[] {
  const kinds = keys.map((k) => keyKindOf(k.type)!);
  const { perm, starts } = hashBuckets(keys, kinds, n, count);
  expect(starts[0]).toBe(0);
  expect(starts[count]).toBe(n);
  const of = new Array<number>(n).fill(-1);
  for (let b = 0; b < count; b++) {
    for (let j = starts[b]!; j < starts[b + 1]!; j++) {
      expect(of[perm[j]!]).toBe(-1); // no row twice
      if (j > starts[b]!) expect(perm[j]!).toBeGreaterThan(perm[j - 1]!);
      of[perm[j]!] = b;
    }
  }
  expect(of.every((b) => b >= 0)).toBe(true); // every row once
  return of;
}

const intKey = fc.option(fc.integer({ min: -50, max: 50 }), { nil: null });
const strKey = fc.option(fc.constantFrom("", "a", "b", "ab", "ü", "long key text"), { nil: null });

describe("hashBuckets", () => {
  it("puts every row in one bucket and equal keys together, across batches (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(intKey, strKey), { maxLength: 400 }),
        fc.array(fc.tuple(intKey, strKey), { maxLength: 400 }),
        fc.integer({ min: 1, max: 17 }),
        (a, b, count) => {
          const side = (rows: [number | null, string | null][]) =>
            bucketOfRows(
              [ints(rows.map((r) => r[0])), strs(rows.map((r) => r[1]))],
              rows.length,
              count,
            );
          const seen = new Map<string, number>();
          const check = (rows: [number | null, string | null][], of: number[]) =>
            rows.forEach((r, i) => {
              const key = JSON.stringify(r);
              const at = seen.get(key);
              if (at === undefined) seen.set(key, of[i]!);
              else expect(of[i]).toBe(at);
            });
          check(a, side(a));
          check(b, side(b));
        },
      ),
    );
  });

  it("spreads distinct keys over the buckets", () => {
    const n = 10_000;
    const of = bucketOfRows([ints(Array.from({ length: n }, (_, i) => i))], n, 8);
    const sizes = new Array<number>(8).fill(0);
    for (const b of of) sizes[b]!++;
    for (const s of sizes) expect(s).toBeGreaterThan(n / 8 / 2);
  });
});
