// GroupTable's loops for one 64-bit integer key without nulls (join builds and probes,
// group-by keys) against a Map: dense first-seen ids through table and store growth,
// lookups of present and absent keys, and equal results from the generic multi-key path.
import { GroupTable } from "@deft/core/internal";
import { type Data, Int64, vectorFromArray } from "apache-arrow";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const int64 = (values: bigint[]): Data => vectorFromArray(values, new Int64()).data[0]! as Data;

const key = fc.oneof(
  fc.bigInt({ min: -20n, max: 20n }),
  fc.constantFrom(-(2n ** 63n), 2n ** 63n - 1n, 2n ** 32n, -(2n ** 32n), 2n ** 32n + 1n),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
);

describe("GroupTable, one int64 key without nulls", () => {
  it("gives first-seen ids and looks keys up like a Map (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(key, { maxLength: 900 }), { minLength: 1, maxLength: 4 }),
        fc.array(key, { maxLength: 300 }),
        (batches, probes) => {
          const table = new GroupTable([new Int64()]);
          const ref = new Map<bigint, number>();
          for (const b of batches) {
            const out = new Int32Array(b.length);
            table.insert([int64(b)], out);
            const want = b.map((k) => {
              if (!ref.has(k)) ref.set(k, ref.size);
              return ref.get(k)!;
            });
            expect(Array.from(out)).toEqual(want);
          }
          expect(table.numGroups).toBe(ref.size);
          expect(Array.from(table.keys()[0]!.values as BigInt64Array)).toEqual([...ref.keys()]);
          const found = new Int32Array(probes.length);
          table.lookup([int64(probes)], found, false);
          expect(Array.from(found)).toEqual(probes.map((k) => ref.get(k) ?? -1));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("grows through many rehashes with 200K distinct keys", () => {
    const n = 200_000;
    const keys = Array.from({ length: n }, (_, i) => BigInt(i) * 4_294_967_311n - 7n);
    const table = new GroupTable([new Int64()]);
    const out = new Int32Array(n);
    table.insert([int64(keys)], out);
    expect(out.every((g, i) => g === i)).toBe(true);
    const again = new Int32Array(n);
    table.insert([int64(keys.slice().reverse())], again);
    expect(again.every((g, i) => g === n - 1 - i)).toBe(true);
    expect(table.numGroups).toBe(n);
  });
});
