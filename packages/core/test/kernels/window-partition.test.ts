// Rows moved into partition order and sorted within each partition (the window operator's
// layout), against the obvious reference: each partition's rows, in order of first appearance,
// sorted by sortIndices on their own.
import {
  partitionRows,
  sortIndices,
  sortWithinPartitions,
  takeData,
  toPartitioned,
} from "@deft/core/internal";
import {
  type Data,
  DateDay,
  Decimal,
  Float32,
  Float64,
  Int8,
  Int16,
  Int32,
  Int64,
  makeData,
  makeVector,
  TimestampMicrosecond,
  Uint32,
  Utf8,
  vectorFromArray,
} from "apache-arrow";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const rowsOf = (n: number) => Array.from({ length: n }, (_, i) => i);
const valuesOf = (d: Data) => {
  const v = makeVector(d);
  return Array.from({ length: d.length }, (_, i) => {
    const x: unknown = v.get(i);
    return typeof x === "object" && x !== null ? String(x) : x;
  });
};

/** Partitions by first appearance, each a list of its rows in input order. */
function referencePartitions(keys: readonly (number | null)[]): number[][] {
  const byKey = new Map<number | null, number[]>();
  keys.forEach((k, r) => {
    let rows = byKey.get(k);
    if (!rows) byKey.set(k, (rows = []));
    rows.push(r);
  });
  return [...byKey.values()];
}

const keyArb = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 5 }) },
  { weight: 1, arbitrary: fc.constant(null) },
);

describe("partitionRows", () => {
  it("groups rows by key in order of first appearance, input order kept within each", () => {
    fc.assert(
      fc.property(fc.array(keyArb, { maxLength: 300, size: "max" }), (keys) => {
        const data = vectorFromArray(keys, new Int32()).data[0]!;
        const parts = partitionRows(keys.length, [data]);
        const want = referencePartitions(keys);
        const got: number[][] = [];
        for (let p = 0; p + 1 < parts.bounds.length; p++)
          got.push(Array.from(parts.rows.subarray(parts.bounds[p]!, parts.bounds[p + 1]!)));
        expect(got).toEqual(want);
        for (let r = 0; r < keys.length; r++) expect(parts.rows[parts.pos[r]!]).toBe(r);
      }),
      { numRuns: 100 },
    );
  });
});

describe("toPartitioned", () => {
  const types = [
    ["int8", new Int8(), (i: number) => (i % 250) - 125],
    ["int16", new Int16(), (i: number) => i * 7 - 3000],
    ["int32", new Int32(), (i: number) => i * 1_000_003 - 7],
    ["uint32", new Uint32(), (i: number) => i * 17_000_001],
    ["int64", new Int64(), (i: number) => BigInt(i) * 1_000_000_000_007n - 5n],
    ["float32", new Float32(), (i: number) => i / 8],
    ["float64", new Float64(), (i: number) => (i % 3 === 0 ? Number.NaN : i / 3)],
    ["date", new DateDay(), (i: number) => new Date(Date.UTC(2000, 0, 1 + i))],
    ["timestamp", new TimestampMicrosecond(), (i: number) => 1_700_000_000_000 + i],
    ["utf8", new Utf8(), (i: number) => `s${i}`.repeat(i % 3)],
  ] as const;
  for (const [name, type, value] of types) {
    it(`moves ${name} values and nulls to their partitioned positions (sliced input too)`, () => {
      fc.assert(
        fc.property(
          fc.array(fc.tuple(keyArb, fc.boolean()), { maxLength: 200, size: "max" }),
          fc.integer({ min: 0, max: 5 }),
          (rows, skip) => {
            const all = [
              ...rowsOf(skip).map(() => value(0)),
              ...rows.map(([, valid], i) => (valid ? value(i) : null)),
            ];
            const full = vectorFromArray(all as never[], type as never).data[0]!;
            const data = full.slice(skip, rows.length);
            const keys = vectorFromArray(
              rows.map(([k]) => k),
              new Int32(),
            ).data[0]!;
            const parts = partitionRows(rows.length, [keys]);
            const moved = toPartitioned(data, parts);
            expect(moved.length).toBe(rows.length);
            expect(valuesOf(moved)).toEqual(valuesOf(takeData(data, parts.rows)));
            expect(moved.nullCount).toBe(data.nullCount);
          },
        ),
        { numRuns: 40 },
      );
    });
  }

  it("moves decimals by their four words", () => {
    const n = 50;
    const words = new Uint32Array(4 * n);
    for (let i = 0; i < 4 * n; i++) words[i] = (i * 2654435761) >>> 0;
    const data = makeData({ type: new Decimal(2, 38, 128), length: n, data: words });
    const keys = vectorFromArray(
      rowsOf(n).map((i) => i % 4),
      new Int32(),
    ).data[0]!;
    const parts = partitionRows(n, [keys]);
    const moved = toPartitioned(data, parts);
    const got = new Uint32Array(moved.values.buffer, moved.values.byteOffset, 4 * n);
    for (let r = 0; r < n; r++)
      for (let w = 0; w < 4; w++) expect(got[4 * parts.pos[r]! + w]).toBe(words[4 * r + w]);
  });
});

describe("sortWithinPartitions", () => {
  const orderArbs = {
    int32: [fc.integer({ min: -1000, max: 1000 }), new Int32()],
    int64: [fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }), new Int64()],
    float64: [
      fc.oneof(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), fc.constant(Number.NaN)),
      new Float64(),
    ],
    utf8: [fc.string({ maxLength: 3 }), new Utf8()],
  } as const;
  for (const [name, [arb, type]] of Object.entries(orderArbs)) {
    it(`sorts each partition on its own by a ${name} key, stably, nulls placed`, () => {
      fc.assert(
        fc.property(
          fc.array(
            fc.tuple(
              keyArb,
              fc.oneof(
                { weight: 6, arbitrary: arb as fc.Arbitrary<unknown> },
                {
                  weight: 1,
                  arbitrary: fc.constant(null),
                },
              ),
            ),
            { maxLength: 400, size: "max" },
          ),
          fc.boolean(),
          fc.boolean(),
          fc.boolean(),
          (rows, descending, nullsFirst, twoKeys) => {
            // Few distinct values: ties must keep their order.
            const vals = rows.map(([, v], i) => (i % 3 === 2 ? rows[i - 1]![1] : v));
            const keys = vectorFromArray(
              rows.map(([k]) => k),
              new Int32(),
            ).data[0]!;
            const order = vectorFromArray(vals as never[], type as never).data[0]!;
            const second = vectorFromArray(
              rows.map((_, i) => i % 2),
              new Int8(),
            ).data[0]!;
            const columns: Data[] = twoKeys ? [order, second] : [order];
            const orders = columns.map(() => ({ descending, nullsFirst }));
            const names = columns.map((_, i) => `k${i}`);
            const parts = partitionRows(rows.length, [keys]);
            const perm = sortWithinPartitions(
              parts.bounds,
              columns.map((c) => toPartitioned(c, parts)),
              orders,
              names,
            );
            const got = Array.from(perm, (j) => parts.rows[j]!);
            const want = referencePartitions(rows.map(([k]) => k)).flatMap((part) => {
              const idx = Int32Array.from(part);
              const sorted = sortIndices(
                columns.map((c) => takeData(c, idx)),
                orders,
                names,
              );
              return Array.from(sorted, (j) => part[j]!);
            });
            expect(got).toEqual(want);
          },
        ),
        { numRuns: 60 },
      );
    });
  }
});
