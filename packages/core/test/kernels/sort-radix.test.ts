// radixSortIndices against a stable comparison sort of (hi, lo) words, with key sets where
// some 16-bit digits are constant (skipped passes) and others are not.
import { radixSortIndices } from "@deft/core/internal";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

/** A 32-bit word whose two 16-bit halves are each either fixed or random. */
const word = (fixLow: boolean, fixHigh: boolean) =>
  fc
    .tuple(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff }))
    .map(([l, h]) => (((fixHigh ? 0x1234 : h) << 16) | (fixLow ? 7 : l)) >>> 0);

function reference(hi: Uint32Array | null, lo: Uint32Array): number[] {
  const rows = Array.from(lo, (_, i) => i);
  return rows.sort((a, b) => {
    const ha = hi ? hi[a]! : 0;
    const hb = hi ? hi[b]! : 0;
    if (ha !== hb) return ha - hb;
    if (lo[a] !== lo[b]) return lo[a]! - lo[b]!;
    return a - b; // stable
  });
}

describe("radixSortIndices", () => {
  it("orders 64-bit keys stably whichever digit passes are skipped", () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
        fc.integer({ min: 0, max: 300 }),
        fc.boolean(),
        (fix, n, wide) => {
          const gen = (f1: boolean, f2: boolean) =>
            fc.sample(word(f1, f2), { numRuns: n, seed: n * 31 + (f1 ? 1 : 0) + (f2 ? 2 : 0) });
          const lo = Uint32Array.from(gen(fix[0]!, fix[1]!));
          const hi = wide ? Uint32Array.from(gen(fix[2]!, fix[3]!)) : null;
          // Duplicates on purpose: stability must show.
          for (let i = 1; i < n; i += 3) {
            lo[i] = lo[i - 1]!;
            if (hi) hi[i] = hi[i - 1]!;
          }
          const want = reference(hi, lo);
          const idx = Int32Array.from(lo, (_, i) => i);
          const got = radixSortIndices(idx, hi ? hi.slice() : null, lo.slice());
          expect(Array.from(got)).toEqual(want);
        },
      ),
      { numRuns: 200 },
    );
  });
});
