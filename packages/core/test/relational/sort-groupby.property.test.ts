// df.sort and df.groupBy().agg through the public API, on random nullable tables split into
// many batches, against plain JS references.
import { col, count, type Expr } from "@deft/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compareValues,
  cutsArb,
  frameOf,
  groupKey,
  KEYS,
  type Key,
  type Row,
  rowsArb,
} from "./tables.js";

interface SortKeySpec {
  key: Key;
  descending: boolean;
  nullsFirst: boolean;
}

const sortKeysArb = fc.uniqueArray(
  fc.record({ key: fc.constantFrom(...KEYS), descending: fc.boolean(), nullsFirst: fc.boolean() }),
  { minLength: 1, maxLength: 3, selector: (s) => s.key },
);

/** Stable sort with the documented semantics: nulls last unless nullsFirst, in either direction. */
function referenceSort(rows: readonly Row[], keys: readonly SortKeySpec[]): Row[] {
  return [...rows].sort((p, q) => {
    for (const { key, descending, nullsFirst } of keys) {
      const a = p[key];
      const b = q[key];
      if (a === null || b === null) {
        if (a === b) continue;
        return (a === null) === nullsFirst ? -1 : 1;
      }
      const c = compareValues(a, b);
      if (c !== 0) return descending ? -c : c;
    }
    return p.id - q.id;
  });
}

function sortFrame(rows: readonly Row[], cuts: readonly number[], keys: readonly SortKeySpec[]) {
  return frameOf(rows, cuts).sort(
    keys.map((k) => k.key),
    { descending: keys.map((k) => k.descending), nullsFirst: keys.map((k) => k.nullsFirst) },
  );
}

describe("df.sort (property tests against a stable JS sort)", () => {
  it("multi-key, per-key descending and nullsFirst, stable, over many batches", async () => {
    await fc.assert(
      fc.asyncProperty(rowsArb(), cutsArb, sortKeysArb, async (rows, cuts, keys) => {
        const got = await sortFrame(rows, cuts, keys).toRecords();
        expect(got).toEqual(referenceSort(rows, keys));
      }),
      { numRuns: 200 },
    );
  });

  it("one key given as a name with single booleans (the radix path), including an empty table", async () => {
    await fc.assert(
      fc.asyncProperty(
        rowsArb(),
        cutsArb,
        fc.constantFrom(...KEYS),
        fc.boolean(),
        fc.boolean(),
        async (rows, cuts, key, descending, nullsFirst) => {
          const got = await frameOf(rows, cuts).sort(key, { descending, nullsFirst }).toRecords();
          expect(got).toEqual(referenceSort(rows, [{ key, descending, nullsFirst }]));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("sort(...).limit(n) equals the first n rows of the full sort, and explains as top-N", async () => {
    await fc.assert(
      fc.asyncProperty(rowsArb(), cutsArb, sortKeysArb, fc.nat(70), async (rows, cuts, keys, n) => {
        const sorted = sortFrame(rows, cuts, keys);
        const top = sorted.limit(n);
        expect(top.explain({ optimized: true })).toContain(`(top ${n})`);
        expect(await top.toRecords()).toEqual((await sorted.toRecords()).slice(0, n));
        expect(await top.toRecords()).toEqual(referenceSort(rows, keys).slice(0, n));
      }),
      { numRuns: 150 },
    );
  });

  it("sorts by an expression key", async () => {
    await fc.assert(
      fc.asyncProperty(rowsArb(), cutsArb, async (rows, cuts) => {
        const got = await frameOf(rows, cuts)
          .sort([col("k").mul(-1), "id"])
          .select("id")
          .toRecords();
        const ref = [...rows].sort((p, q) => {
          if (p.k === null || q.k === null)
            return p.k === q.k ? p.id - q.id : p.k === null ? 1 : -1;
          return -p.k - -q.k || p.id - q.id;
        });
        expect(got.map((r) => r.id)).toEqual(ref.map((r) => r.id));
      }),
      { numRuns: 80 },
    );
  });
});

// ── group-by ────────────────────────────────────────────────────────────────────────────────

const AGG_EXPRS: Record<string, Expr> = {
  n: count(),
  x_sum: col("x").sum(),
  x_mean: col("x").mean(),
  x_min: col("x").min(),
  x_max: col("x").max(),
  x_count: col("x").count(),
  x_first: col("x").first(),
  x_last: col("x").last(),
  x_list: col("x").list(),
  k_sum: col("k").sum(),
  k_mean: col("k").mean(),
  k_nd: col("k").countDistinct(),
  big_sum: col("big").sum(),
  big_min: col("big").min(),
  big_max: col("big").max(),
  s_min: col("s").min(),
  s_max: col("s").max(),
  s_nd: col("s").countDistinct(),
  s_first: col("s").first(),
  b_sum: col("b").sum(),
  b_min: col("b").min(),
  b_max: col("b").max(),
};
const AGGS = Object.entries(AGG_EXPRS).map(([name, e]) => e.alias(name));

const nonNull = <T>(xs: (T | null)[]): T[] => xs.filter((x): x is T => x !== null);
const extreme = <T>(xs: T[], sign: 1 | -1): T | null =>
  xs.length === 0 ? null : xs.reduce((a, b) => (compareValues(b, a) * sign > 0 ? b : a));

/** The obvious reference: a Map of groups in first-seen order, each aggregated from its rows. */
function referenceGroupBy(rows: readonly Row[], keys: readonly Key[]): Record<string, unknown>[] {
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const id = groupKey(keys.map((k) => r[k]));
    if (!groups.has(id)) groups.set(id, []);
    groups.get(id)!.push(r);
  }
  if (keys.length === 0 && groups.size === 0) groups.set("", []);
  return [...groups.values()].map((g) => {
    const xs = nonNull(g.map((r) => r.x));
    const ks = nonNull(g.map((r) => r.k));
    const bigs = nonNull(g.map((r) => r.big));
    const ss = nonNull(g.map((r) => r.s));
    const bs = nonNull(g.map((r) => r.b));
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = g[0]![k];
    const nonNaN = xs.filter((v) => !Number.isNaN(v));
    Object.assign(out, {
      n: BigInt(g.length),
      x_sum: xs.length ? xs.reduce((a, b) => a + b, 0) : null,
      x_mean: xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null,
      // NaN is the largest float: max is NaN when any value is; min skips NaN unless all are.
      x_min: xs.length ? (nonNaN.length ? Math.min(...nonNaN) : Number.NaN) : null,
      x_max: xs.length ? (nonNaN.length < xs.length ? Number.NaN : Math.max(...xs)) : null,
      x_count: BigInt(xs.length),
      x_first: g.length ? g[0]!.x : null,
      x_last: g.length ? g[g.length - 1]!.x : null,
      x_list: g.map((r) => r.x),
      k_sum: ks.length ? BigInt(ks.reduce((a, b) => a + b, 0)) : null,
      k_mean: ks.length ? ks.reduce((a, b) => a + b, 0) / ks.length : null,
      k_nd: BigInt(new Set(ks).size),
      big_sum: bigs.length
        ? BigInt.asIntN(
            64,
            bigs.reduce((a, b) => a + b, 0n),
          )
        : null,
      big_min: extreme(bigs, -1),
      big_max: extreme(bigs, 1),
      s_min: extreme(ss, -1),
      s_max: extreme(ss, 1),
      s_nd: BigInt(new Set(ss).size),
      s_first: g.length ? g[0]!.s : null,
      b_sum: bs.length ? BigInt(bs.filter(Boolean).length) : null,
      b_min: extreme(bs, -1),
      b_max: extreme(bs, 1),
    });
    return out;
  });
}

/** -0 and 0 are one group, so a key may come back as either; compare them as equal. */
const normalizeZero = (rows: Record<string, unknown>[]) =>
  rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === 0 ? 0 : v])));

describe("df.groupBy().agg (property tests against a Map-of-groups reference)", () => {
  it("every aggregation, 0-3 key columns of every type, null keys, many batches", async () => {
    await fc.assert(
      fc.asyncProperty(
        rowsArb(),
        cutsArb,
        fc.uniqueArray(fc.constantFrom(...KEYS), { maxLength: 3 }),
        async (rows, cuts, keys) => {
          const df = frameOf(rows, cuts);
          const out = keys.length ? df.groupBy(...keys).agg(...AGGS) : df.select(...AGGS);
          expect(out.columns).toEqual([...keys, ...Object.keys(AGG_EXPRS)]);
          const got = await out.toRecords();
          const want = referenceGroupBy(rows, keys);
          expect(normalizeZero(got)).toEqual(normalizeZero(want));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("global aggregation over an empty table is one row (sum null, count 0, list [])", async () => {
    const out = await frameOf([], [])
      .select(count(), col("x").sum(), col("k").count().alias("kc"), col("s").list().alias("l"))
      .toRecords();
    expect(out).toEqual([{ count: 0n, x: null, kc: 0n, l: [] }]);
  });
});
