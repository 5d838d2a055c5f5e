import { decodeHybrid, decodeHybridAt } from "@deft/core/internal";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

// The RLE / bit-packing hybrid decoder against a plain reference encoder: random runs of
// both kinds, every bit width 0..32, values that use every bit.

type Run = { rle: true; value: number; count: number } | { rle: false; values: number[] };

function varint(out: number[], v: number): void {
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

/** Encodes runs as the format says: LSB-first bit packing, RLE values in ceil(w/8) bytes. */
function encode(runs: Run[], w: number): Uint8Array {
  const out: number[] = [];
  for (const r of runs) {
    if (r.rle) {
      varint(out, r.count * 2);
      for (let i = 0; i < Math.ceil(w / 8); i++) out.push(Math.floor(r.value / 2 ** (8 * i)) & 255);
    } else {
      const groups = Math.ceil(r.values.length / 8);
      varint(out, groups * 2 + 1);
      const bits: number[] = [];
      for (let i = 0; i < groups * 8; i++) {
        const v = r.values[i] ?? 0;
        for (let b = 0; b < w; b++) bits.push(Math.floor(v / 2 ** b) & 1);
      }
      for (let i = 0; i < bits.length; i += 8) {
        let byte = 0;
        for (let b = 0; b < 8; b++) byte |= (bits[i + b] ?? 0) << b;
        out.push(byte);
      }
    }
  }
  return Uint8Array.from(out);
}

const runsArb = (w: number) => {
  const value = w === 0 ? fc.constant(0) : fc.integer({ min: 0, max: 2 ** w - 1 });
  return fc.array(
    fc.oneof(
      fc.record({ rle: fc.constant(true as const), value, count: fc.integer({ min: 1, max: 40 }) }),
      fc.record({
        rle: fc.constant(false as const),
        values: fc.array(value, { minLength: 8, maxLength: 80 }),
      }),
    ),
    { minLength: 1, maxLength: 8 },
  );
};

describe("decodeHybrid", () => {
  it("decodes random runs of every width like the reference", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 32 }).chain((w) => fc.tuple(fc.constant(w), runsArb(w))),
        ([w, runs]) => {
          // A bit-packed run holds whole groups of 8, so its padding values count too.
          const expected: number[] = [];
          for (const r of runs) {
            if (r.rle) for (let i = 0; i < r.count; i++) expected.push(r.value);
            else {
              const padded = Math.ceil(r.values.length / 8) * 8;
              for (let i = 0; i < padded; i++) expected.push(r.values[i] ?? 0);
            }
          }
          const bytes = encode(runs, w);
          const out = new Int32Array(expected.length + 2);
          decodeHybrid(bytes, 0, bytes.length, w, out, 1, expected.length);
          expect(Array.from(out.subarray(1, 1 + expected.length), (v) => v >>> 0)).toEqual(
            expected,
          );
        },
      ),
      { numRuns: 400 },
    );
  });

  it("refuses runs that hold fewer values than asked for", () => {
    const bytes = encode([{ rle: false, values: [1, 2, 3, 4, 5, 6, 7, 0] }], 3);
    const out = new Int32Array(16);
    expect(() => decodeHybrid(bytes, 0, bytes.length, 3, out, 0, 9)).toThrow(
      /past the end of its page/,
    );
    expect(() => decodeHybrid(bytes, 0, bytes.length - 1, 3, out, 0, 8)).toThrow(
      /runs past its page/,
    );
  });
});

describe("decodeHybridAt", () => {
  it("reads the values at picked rows exactly as decoding every value would", () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 24 })
          .chain((w) => fc.tuple(fc.constant(w), runsArb(w), fc.array(fc.boolean()))),
        ([w, runs, picks]) => {
          let total = 0;
          for (const r of runs) total += r.rle ? r.count : Math.ceil(r.values.length / 8) * 8;
          // The page's values may stop inside the last bit-packed run (its padding unread).
          const count = Math.max(1, total - (picks.length % 8));
          const bytes = encode(runs, w);
          const all = new Int32Array(count);
          decodeHybrid(bytes, 0, bytes.length, w, all, 0, count);
          const rows = Int32Array.from(
            Array.from({ length: count }, (_, i) => i).filter(
              (i) => picks[i % (picks.length || 1)],
            ),
          );
          const out = new Int32Array(rows.length + 1).fill(-7);
          decodeHybridAt(bytes, 0, bytes.length, w, rows, rows.length, out, count);
          expect(Array.from(out.subarray(0, rows.length))).toEqual(Array.from(rows, (i) => all[i]));
          expect(out[rows.length]).toBe(-7);
        },
      ),
      { numRuns: 400 },
    );
  });

  it("names a bit-packed run cut short before a picked row", () => {
    const bytes = encode(
      [{ rle: false, values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16] }],
      5,
    );
    const cut = bytes.subarray(0, 4);
    expect(() =>
      decodeHybridAt(cut, 0, cut.length, 5, Int32Array.of(12), 1, new Int32Array(1), 16),
    ).toThrow(/a bit-packed run runs past its page/);
  });
});
