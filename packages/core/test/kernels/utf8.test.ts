import { buildUtf8, decodeUtf8Column, valuesOf } from "@deft/core/internal";
import { makeVector, Utf8, vectorFromArray } from "apache-arrow";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const strs = fc.array(fc.option(fc.string({ unit: "binary", maxLength: 40 }), { freq: 4 }), {
  maxLength: 80,
});

describe("buildUtf8 / decodeUtf8Column", () => {
  it("round-trips any strings (ASCII, multi-byte, astral) and nulls", () => {
    fc.assert(
      fc.property(strs, (values) => {
        const data = buildUtf8(values);
        expect(data.length).toBe(values.length);
        expect(data.nullCount).toBe(values.filter((v) => v === null).length);
        expect(decodeUtf8Column(data)).toEqual(values);
      }),
      { numRuns: 200 },
    );
  });

  it("writes the same bytes and offsets as apache-arrow's own builder", () => {
    fc.assert(
      fc.property(strs, (values) => {
        const ours = buildUtf8(values);
        const theirs = vectorFromArray(values, new Utf8()).data[0]!;
        const n = values.length;
        expect(Array.from((ours.valueOffsets as Int32Array).subarray(0, n + 1))).toEqual(
          Array.from((theirs.valueOffsets as Int32Array).subarray(0, n + 1)),
        );
        const end = (ours.valueOffsets as Int32Array)[n]!;
        expect(Array.from(ours.values.subarray(0, end))).toEqual(
          Array.from(theirs.values.subarray(0, end)),
        );
        // apache-arrow reads our column back too.
        expect(makeVector(ours).toArray()).toEqual(values);
      }),
      { numRuns: 100 },
    );
  });

  it("grows its byte buffer when later strings are much longer than the sample suggests", () => {
    const values = [
      ...Array.from({ length: 5000 }, () => "a"),
      "é".repeat(100_000),
      null,
      "😀".repeat(10_000),
    ];
    expect(decodeUtf8Column(buildUtf8(values))).toEqual(values);
  });

  it("decodes a slice whose offsets do not start at 0 and whose bitmap has a bit offset", () => {
    const values = [
      "zero",
      null,
      "två",
      "three",
      null,
      "fünf",
      "six",
      "seven",
      "eight",
      null,
      "ten",
    ];
    const data = buildUtf8(values).slice(3, 7);
    expect(decodeUtf8Column(data)).toEqual(values.slice(3, 10));
    expect(valuesOf(data)).toEqual(values.slice(3, 10));
  });

  it("an empty column has one zero offset", () => {
    const d = buildUtf8([]);
    expect(d.length).toBe(0);
    expect(Array.from(d.valueOffsets as Int32Array)).toEqual([0]);
  });
});
