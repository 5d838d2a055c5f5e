// Property tests: std, var, median, quantile and mode per group against a plain JS reference,
// on Parquet files of small row groups read at threads 1 and 2 (so partial states are
// exported, sent between threads and merged).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { col, DataFrame, readParquet } from "@deft/core";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "deft-stats-prop-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let file = 0;

type Row = { k: number; v: number | null; f: number | null };

const rowArb = fc.record({
  k: fc.integer({ min: 0, max: 3 }),
  v: fc.option(fc.integer({ min: -4, max: 4 }), { freq: 5 }),
  f: fc.option(
    fc.oneof(
      { weight: 9, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }) },
      { weight: 1, arbitrary: fc.constant(Number.NaN) },
    ),
    { freq: 5 },
  ),
});

/** Sorted ascending with NaN last (a typed array's order). */
const sortNum = (xs: number[]) => Float64Array.from(xs).sort();

function quantile(xs: number[], q: number): number | null {
  if (xs.length === 0) return null;
  const a = sortNum(xs);
  const pos = q * (a.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return lo === hi ? a[lo]! : a[lo]! + (pos - lo) * (a[hi]! - a[lo]!);
}

function variance(xs: number[], ddof: number): number | null {
  if (xs.length - ddof <= 0) return null;
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  return xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - ddof);
}

function mode(xs: number[]): number | null {
  const counts = new Map<number, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  let best: number | null = null;
  let n = 0;
  for (const [x, c] of [...counts].sort((p, q) => p[0] - q[0])) {
    if (c > n) {
      best = x;
      n = c;
    }
  }
  return best;
}

/**
 * Equal, or within 1e-9 of `scale` (the values' magnitude: a merged variance rounds
 * differently from a two-pass one, by an error relative to the values, not to the result).
 */
function near(a: number | null, b: number | null, scale: number): boolean {
  if (a === null || b === null) return a === b;
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  return Math.abs(a - b) <= 1e-9 * Math.max(1, scale, Math.abs(b));
}

describe("property: statistics per group vs a JS reference, at threads 1 and 2", () => {
  it("std, var (ddof 0 and 1), median, quantile(q), mode", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(rowArb, { minLength: 1, maxLength: 120 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 1 }),
        async (rows: Row[], q, ddof) => {
          const path = join(dir, `t${file++}.parquet`);
          await DataFrame.fromRecords(rows, {
            schema: { k: "int32", v: "int32", f: "float64" },
          }).writeParquet(path, { rowGroupSize: 9 });
          const query = readParquet(path, { batchSize: 9 })
            .groupBy("k")
            .agg(
              col("f").std(ddof).alias("std"),
              col("f").var(ddof).alias("var"),
              col("f").median().alias("fmedian"),
              col("v").median().alias("median"),
              col("f").quantile(q).alias("q"),
              col("v").mode().alias("mode"),
            )
            .sort("k");
          const keys = [...new Set(rows.map((r) => r.k))].sort();
          const of = (k: number, c: "v" | "f") =>
            rows.filter((r) => r.k === k && r[c] !== null).map((r) => r[c] as number);
          for (const threads of [1, 2]) {
            const got = await query.toColumns({ threads });
            expect(got.k).toEqual(keys);
            keys.forEach((k, g) => {
              const f = of(k, "f");
              const v = of(k, "v");
              const at = `k=${k} threads=${threads}`;
              const std = variance(f, ddof);
              const big = Math.max(1, ...f.filter((x) => !Number.isNaN(x)).map(Math.abs));
              // The square of std against the variance: a square root would magnify rounding near 0.
              const sd = got.std![g] as number | null;
              expect(near(sd === null ? null : sd * sd, std, big * big), at).toBe(true);
              expect(near(got.var![g] as number | null, std, big * big), at).toBe(true);
              expect(got.fmedian![g], at).toEqual(quantile(f, 0.5));
              expect(got.median![g], at).toEqual(quantile(v, 0.5));
              expect(got.q![g], at).toEqual(quantile(f, q));
              expect(got.mode![g], at).toEqual(mode(v));
            });
          }
        },
      ),
      { numRuns: 15 },
    );
  });
});
