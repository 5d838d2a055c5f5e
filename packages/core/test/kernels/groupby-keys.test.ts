// Group ids of one int64 key column (the dense map while keys are safe integers in a range
// of 8M, the hash table after a null, a wide range or a key beyond 2^52) against a Map: the
// same first-seen ids, batch after batch, whichever path a batch takes.
import { GroupKeys } from "@deft/core/internal";
import { type Data, Int64, vectorFromArray } from "apache-arrow";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const int64 = (values: (bigint | null)[]): Data =>
  vectorFromArray(values, new Int64()).data[0]! as Data;

const near = (base: bigint) => fc.bigInt({ min: base - 50n, max: base + 50n });
const key = fc.oneof(
  { weight: 6, arbitrary: near(1_000_000n) },
  { weight: 2, arbitrary: near(-(2n ** 32n)) },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: near(2n ** 52n) },
  { weight: 1, arbitrary: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }) },
);

describe("GroupKeys, one int64 key", () => {
  it("hands out first-seen ids like a Map on every path (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(key, { maxLength: 200 }), { minLength: 1, maxLength: 5 }),
        (batches) => {
          const keys = new GroupKeys([new Int64()]);
          const ref = new Map<bigint | null, number>();
          for (const b of batches) {
            const out = new Int32Array(b.length);
            keys.insert([int64(b)], out);
            const want = b.map((k) => {
              if (!ref.has(k)) ref.set(k, ref.size);
              return ref.get(k)!;
            });
            expect(Array.from(out)).toEqual(want);
          }
          expect(keys.numGroups).toBe(ref.size);
          const col = keys.keys()[0]!;
          const got = Array.from({ length: col.length }, (_, i) =>
            col.getValid(i) ? (col.values as BigInt64Array)[i]! : null,
          );
          expect(got).toEqual([...ref.keys()]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("keeps the dense map across 6M-wide sparse keys (TPC-H order keys)", () => {
    const keys = new GroupKeys([new Int64()]);
    const n = 300_000;
    const values = Array.from({ length: n }, (_, i) => BigInt(((i * 7919) % n) * 20 + 1));
    const out = new Int32Array(n);
    keys.insert([int64(values)], out);
    const ref = new Map<bigint, number>();
    const want = values.map((k) => {
      if (!ref.has(k)) ref.set(k, ref.size);
      return ref.get(k)!;
    });
    expect(Array.from(out)).toEqual(want);
  });
});
