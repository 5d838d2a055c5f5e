import { col } from "@deft/core";
import { SortOperator, sortPlan } from "@deft/core/internal";
import { Bool, Float64, Int32, Int64, TimestampMillisecond, Utf8 } from "apache-arrow";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BatchesOperator,
  batchesOf,
  type Cols,
  runColumns,
  schemaOf,
  sourcePlan,
} from "../relational/helpers.js";

interface Row {
  k: number | null;
  f: number | null;
  s: string | null;
  b: boolean | null;
  l: bigint | null;
}
type Key = keyof Row;

const rowArb = fc.record({
  k: fc.option(fc.integer({ min: -3, max: 3 }), { freq: 5 }),
  f: fc.option(
    fc.constantFrom(-1.5, 0, 2, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 7),
    {
      freq: 5,
    },
  ),
  s: fc.option(fc.constantFrom("a", "b", "ab", "", "é", "B"), { freq: 5 }),
  b: fc.option(fc.boolean(), { freq: 5 }),
  l: fc.option(fc.constantFrom(-(2n ** 40n), -1n, 0n, 5n, 2n ** 62n), { freq: 5 }),
});

function colsOf(rows: Row[]): Cols {
  return {
    id: { type: new Int32(), values: rows.map((_, i) => i) },
    k: { type: new Int32(), values: rows.map((r) => r.k) },
    f: { type: new Float64(), values: rows.map((r) => r.f) },
    s: { type: new Utf8(), values: rows.map((r) => r.s) },
    b: { type: new Bool(), values: rows.map((r) => r.b) },
    l: { type: new Int64(), values: rows.map((r) => r.l) },
  };
}

function cmpValue(a: unknown, b: unknown): number {
  if (typeof a === "string") return Buffer.compare(Buffer.from(a), Buffer.from(b as string));
  if (typeof a === "bigint") return a < (b as bigint) ? -1 : a > (b as bigint) ? 1 : 0;
  if (typeof a === "boolean") return Number(a) - Number(b);
  const x = a as number;
  const y = b as number;
  if (Number.isNaN(x) || Number.isNaN(y)) return Number(Number.isNaN(x)) - Number(Number.isNaN(y));
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Reference: a stable Array.prototype.sort of row numbers with a per-key comparator. */
function reference(
  rows: Row[],
  keys: Key[],
  desc: boolean[],
  nullsFirst: boolean[],
  limit?: number,
): number[] {
  const ids = rows.map((_, i) => i);
  ids.sort((x, y) => {
    for (let k = 0; k < keys.length; k++) {
      const a = rows[x]![keys[k]!];
      const b = rows[y]![keys[k]!];
      if (a === null || b === null) {
        if (a === b) continue;
        return (a === null ? 1 : -1) * (nullsFirst[k] ? -1 : 1);
      }
      const c = cmpValue(a, b) * (desc[k] ? -1 : 1);
      if (c !== 0) return c;
    }
    return 0;
  });
  return limit === undefined ? ids : ids.slice(0, limit);
}

async function sortIds(
  rows: Row[],
  cuts: number[],
  keys: Key[],
  desc: boolean[],
  nf: boolean[],
  limit?: number,
  runRows?: number,
) {
  const cols = colsOf(rows);
  const schema = schemaOf(cols);
  const plan = sortPlan(sourcePlan(schema), keys, { descending: desc, nullsFirst: nf, limit });
  if (plan.kind !== "sort") throw new Error("expected a sort node");
  const { cols: out } = await runColumns(
    new SortOperator(plan, new BatchesOperator(batchesOf(cols, cuts), schema), { runRows }),
  );
  return out.id as number[];
}

const keysArb = fc
  .uniqueArray(fc.constantFrom<Key>("k", "f", "s", "b", "l"), { minLength: 1, maxLength: 3 })
  .chain((keys) =>
    fc.tuple(
      fc.constant(keys),
      fc.array(fc.boolean(), { minLength: keys.length, maxLength: keys.length }),
      fc.array(fc.boolean(), { minLength: keys.length, maxLength: keys.length }),
    ),
  );

describe("SortOperator (property tests against Array.prototype.sort)", () => {
  it("multi-key, per-key descending and null placement, stable, NaN last among numbers", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(rowArb, { maxLength: 120 }),
        fc.array(fc.nat(120), { maxLength: 5 }),
        keysArb,
        async (rows, cuts, [keys, desc, nf]) => {
          expect(await sortIds(rows, cuts, keys, desc, nf)).toEqual(
            reference(rows, keys, desc, nf),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it("sorted runs of any size then a k-way merge equal one stable sort (every key type, one or more keys)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(rowArb, { maxLength: 150 }),
        fc.array(fc.nat(150), { maxLength: 4 }),
        keysArb,
        fc.integer({ min: 1, max: 40 }),
        async (rows, cuts, [keys, desc, nf], runRows) => {
          expect(await sortIds(rows, cuts, keys, desc, nf, undefined, runRows)).toEqual(
            reference(rows, keys, desc, nf),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it("top-N (sort with limit) equals the first N rows of the full sort", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(rowArb, { maxLength: 200 }),
        fc.array(fc.nat(200), { maxLength: 5 }),
        keysArb,
        fc.nat(30),
        async (rows, cuts, [keys, desc, nf], limit) => {
          expect(await sortIds(rows, cuts, keys, desc, nf, limit)).toEqual(
            reference(rows, keys, desc, nf, limit),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it("radix path: 300K rows of one float key across batches, emitted in <= 128K-row batches", async () => {
    const n = 300_000;
    const f = Array.from({ length: n }, (_, i) =>
      i % 97 === 0 ? null : ((i * 7919) % 1000) - 500.5,
    );
    const cols: Cols = {
      id: { type: new Int32(), values: f.map((_, i) => i) },
      f: { type: new Float64(), values: f },
    };
    const schema = schemaOf(cols);
    const plan = sortPlan(sourcePlan(schema), "f", { descending: true });
    if (plan.kind !== "sort") throw new Error("expected a sort node");
    const ids = f.map((_, i) => i);
    ids.sort((a, b) => (f[a] === null ? 1 : f[b] === null ? -1 : f[b]! - f[a]!) || a - b);
    // One run, and three radix-sorted runs merged on their order-preserving words.
    for (const runRows of [undefined, 100_000]) {
      const op = new SortOperator(
        plan,
        new BatchesOperator(batchesOf(cols, [100_000, 200_000]), schema),
        { runRows },
      );
      const { cols: out, sizes } = await runColumns(op);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(128 * 1024);
      expect(out.id).toEqual(ids);
    }
  });

  it("sorts timestamps and expressions as keys", async () => {
    const cols: Cols = {
      t: { type: new TimestampMillisecond(), values: [3000, 1000, null, 2000] },
      x: { type: new Int32(), values: [1, 2, 3, 4] },
    };
    const schema = schemaOf(cols);
    const byT = sortPlan(sourcePlan(schema), "t");
    if (byT.kind !== "sort") throw new Error("expected a sort node");
    const r1 = await runColumns(
      new SortOperator(byT, new BatchesOperator(batchesOf(cols, []), schema)),
    );
    expect(r1.cols.x).toEqual([2, 4, 1, 3]);
    const byExpr = sortPlan(sourcePlan(schema), col("x").mul(-1).node);
    if (byExpr.kind !== "sort") throw new Error("expected a sort node");
    const r2 = await runColumns(
      new SortOperator(byExpr, new BatchesOperator(batchesOf(cols, [2]), schema)),
    );
    expect(r2.cols.x).toEqual([4, 3, 2, 1]);
  });

  it("names the unknown column and lists the existing ones", () => {
    const schema = schemaOf({ a: { type: new Int32(), values: [] } });
    expect(() => sortPlan(sourcePlan(schema), "nope")).toThrow(/Unknown column "nope".*"a"/);
  });
});
