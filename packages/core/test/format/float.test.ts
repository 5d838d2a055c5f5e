import { formatFloat, plainDecimal } from "@deft/core/internal";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

describe("formatFloat", () => {
  // nodejs-polars 0.26 prints these cells for the same doubles (pl.DataFrame({ a }).toString()).
  const polars: [number, string][] = [
    [3450768.0499999975, "3.4508e6"],
    [0.1 + 0.2, "0.3"],
    [1e-7, "0.0000001"],
    [123456789012.5, "1.2346e11"],
    [1.0, "1.0"],
    [2.5e20, "2.5000e20"],
    [-0.000123456, "-0.000123"],
    [1234567.891234, "1.2346e6"],
    [1.5, "1.5"],
    [-0, "-0.0"],
    [-20, "-20.0"],
    [300, "300.0"],
    [1e6, "1e6"],
    [Number.NaN, "NaN"],
    [Number.POSITIVE_INFINITY, "inf"],
    [Number.NEGATIVE_INFINITY, "-inf"],
  ];
  it.each(polars)("%s is shown as %s", (v, text) => {
    expect(formatFloat(v)).toBe(text);
  });

  it("every cell reads back close to its value: exact when short, 6 decimals, or 5 digits", () => {
    fc.assert(
      // Below 1e300, so that four rounded decimals of the largest doubles stay finite.
      fc.property(fc.double({ noNaN: true, min: -1e300, max: 1e300 }), (v) => {
        const cell = formatFloat(v);
        const back = Number(cell);
        if (cell.includes("e")) expect(Math.abs(back - v)).toBeLessThanOrEqual(Math.abs(v) * 5e-5);
        else if (plainDecimal(v).length > 9) expect(Math.abs(back - v)).toBeLessThanOrEqual(5e-7);
        else expect(back).toBe(v);
      }),
      { numRuns: 2000 },
    );
  });

  it("plainDecimal writes every double without an exponent and reads back exactly", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (v) => {
        const s = plainDecimal(v);
        expect(s).not.toMatch(/e/);
        expect(Number(s)).toBe(v);
      }),
      { numRuns: 2000 },
    );
  });
});
