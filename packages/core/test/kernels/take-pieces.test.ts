import { concatData, locateRows, takeData, takePieces, takesPieces } from "@deft/core/internal";
import {
  type Data,
  type DataType,
  Float64,
  Int8,
  Int32,
  Int64,
  makeVector,
  TimestampMillisecond,
  Uint16,
  Utf8,
  vectorFromArray,
} from "apache-arrow";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

// Gathering rows straight from a column's pieces (a parallel sort's runs) must give exactly
// what concatenating the pieces and gathering from the whole gives: values, nulls, types.

const kinds: { type: DataType; value: fc.Arbitrary<unknown> }[] = [
  { type: new Int32(), value: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }) },
  { type: new Float64(), value: fc.double() },
  { type: new Int64(), value: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }) },
  { type: new Int8(), value: fc.integer({ min: -128, max: 127 }) },
  { type: new Uint16(), value: fc.integer({ min: 0, max: 65535 }) },
  { type: new TimestampMillisecond(), value: fc.integer({ min: 0, max: 2 ** 40 }) },
  { type: new Utf8(), value: fc.string({ maxLength: 30 }) },
];

/** A piece as a slice of a longer column, so offsets into shared buffers are exercised. */
function piece(type: DataType, values: unknown[], cut: number): Data {
  const whole = vectorFromArray([null, ...values, null], type as never).data[0]!;
  return whole.slice(
    1 + Math.min(cut, values.length),
    values.length - Math.min(cut, values.length),
  );
}

describe("takePieces", () => {
  it("gathers from pieces exactly what concat then take gives (every accepted type, nulls)", () => {
    fc.assert(
      fc.property(
        fc
          .constantFrom(...kinds)
          .chain((k) =>
            fc.tuple(
              fc.constant(k.type),
              fc.array(
                fc.tuple(fc.array(fc.option(k.value, { freq: 4 }), { maxLength: 40 }), fc.nat(3)),
                { minLength: 2, maxLength: 6 },
              ),
            ),
          ),
        fc.array(fc.nat(), { maxLength: 200 }),
        ([type, specs], picks) => {
          expect(takesPieces(type)).toBe(true);
          const pieces = specs.map(([vals, cut]) => piece(type, vals, cut));
          const total = pieces.reduce((n, p) => n + p.length, 0);
          if (total === 0) return;
          const idx = Int32Array.from(picks, (p) => p % total);
          const starts = new Int32Array(pieces.length + 1);
          pieces.forEach((p, i) => {
            starts[i + 1] = starts[i]! + p.length;
          });
          const got = takePieces(pieces, locateRows(starts, idx));
          const want = takeData(concatData(type, pieces), idx);
          expect(String(got.type)).toBe(String(want.type));
          expect(got.length).toBe(want.length);
          expect(got.nullCount).toBe(want.nullCount);
          expect([...makeVector(got)]).toEqual([...makeVector(want)]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("leaves other types to concatenation", () => {
    expect(takesPieces(vectorFromArray([true]).type)).toBe(false);
  });
});
