// countDistinct per group over enough rows that its pair set grows and rehashes many times,
// in one state and as partial states merged in order, against a plain Set per group.
import { aggResultType, GroupByState } from "@deft/core/internal";
import {
  type Data,
  type DataType,
  Float64,
  Int32,
  Int64,
  Utf8,
  vectorFromArray,
} from "apache-arrow";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const column = (type: DataType, values: unknown[]): Data =>
  vectorFromArray(values, type).data[0]! as Data;

/** A JS key for a value as countDistinct compares them: -0 is 0, NaN equals NaN. */
const keyOf = (v: unknown): string =>
  typeof v === "number" ? (Number.isNaN(v) ? "NaN" : String(v === 0 ? 0 : v)) : String(v);

function reference(groups: number[], values: unknown[]): Map<number, number> {
  const sets = new Map<number, Set<string>>();
  groups.forEach((g, i) => {
    let s = sets.get(g);
    if (!s) sets.set(g, (s = new Set()));
    if (values[i] !== null) s.add(keyOf(values[i]));
  });
  return new Map([...sets].map(([g, s]) => [g, s.size]));
}

const TYPES: { name: string; type: DataType; value: (i: number) => unknown }[] = [
  { name: "int32", type: new Int32(), value: (i) => ((i * 7919) % 5003) - 2500 },
  {
    name: "float64",
    type: new Float64(),
    value: (i) => (i % 97 === 0 ? Number.NaN : i % 89 === 0 ? -0 : ((i * 31) % 4001) / 8),
  },
  { name: "int64", type: new Int64(), value: (i) => BigInt((i * 7919) % 5003) * 2n ** 33n - 7n },
  { name: "utf8", type: new Utf8(), value: (i) => `v${(i * 7919) % 5003}` },
];

function run(
  type: DataType,
  groups: number[],
  values: unknown[],
  cuts: number[],
): Map<number, number> {
  const spec = {
    fn: "countDistinct" as const,
    argType: type,
    argId: 1,
    outType: aggResultType("countDistinct", type),
  };
  const make = () => new GroupByState([new Int32()], [spec]);
  const feed = (state: GroupByState, a: number, b: number) => {
    if (b <= a) return;
    state.push(
      [column(new Int32(), groups.slice(a, b))],
      [column(type, values.slice(a, b))],
      b - a,
    );
  };
  const merged = make();
  const points = [0, ...cuts, groups.length];
  for (let i = 0; i + 1 < points.length; i++) {
    const part = make();
    // Each partition in batches of 1000 rows, as a scan would give it.
    for (let a = points[i]!; a < points[i + 1]!; a += 1000)
      feed(part, a, Math.min(points[i + 1]!, a + 1000));
    merged.merge(part.exportState());
  }
  const out = merged.finish();
  const keys = out.keys[0]!.values as Int32Array;
  const counts = out.aggs[0]!.values as BigInt64Array;
  return new Map([...keys.subarray(0, out.numGroups)].map((g, i) => [g, Number(counts[i])]));
}

describe("countDistinct per group", () => {
  for (const t of TYPES) {
    it(`${t.name}: tens of thousands of pairs, nulls, partial states merged, equal a Set per group (property)`, () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 3000 }),
          fc.integer({ min: 0, max: 1000 }),
          fc.array(fc.integer({ min: 0, max: 30_000 }), { maxLength: 4 }),
          (numGroups, seed, rawCuts) => {
            const n = 30_000;
            const groups: number[] = [];
            const values: unknown[] = [];
            for (let i = 0; i < n; i++) {
              groups.push((i * 131 + seed) % numGroups);
              values.push(i % 53 === 0 ? null : t.value(i + seed));
            }
            const cuts = [...new Set(rawCuts)].sort((a, b) => a - b);
            expect(run(t.type, groups, values, cuts)).toEqual(reference(groups, values));
          },
        ),
        { numRuns: 6 },
      );
    });
  }
});
