import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { col, DataFrame, lit, PlanError, readParquet } from "@deft/core";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectColumns } from "../helpers.js";

const ids = async (df: DataFrame, opts = {}) =>
  (await df.toColumns({ ...opts, int64: "number" })).id as number[];

describe("sample({ n | fraction, seed })", () => {
  it("n: exactly n distinct rows, in input order; all rows when fewer", async () => {
    const got = await ids(DataFrame.range(1_000).sample({ n: 10, seed: 7 }));
    expect(got).toHaveLength(10);
    expect(new Set(got).size).toBe(10);
    expect([...got].sort((a, b) => a - b)).toEqual(got);
    expect(await ids(DataFrame.range(5).sample({ n: 10, seed: 1 }))).toEqual([0, 1, 2, 3, 4]);
    expect(await ids(DataFrame.range(5).sample({ n: 0, seed: 1 }))).toEqual([]);
  });
  it("fraction: each row with that probability, in input order", async () => {
    const got = await ids(DataFrame.range(20_000).sample({ fraction: 0.25, seed: 3 }));
    expect(got.length).toBeGreaterThan(4_600);
    expect(got.length).toBeLessThan(5_400);
    expect([...got].sort((a, b) => a - b)).toEqual(got);
    expect(await ids(DataFrame.range(9).sample({ fraction: 1, seed: 3 }))).toHaveLength(9);
    expect(await ids(DataFrame.range(9).sample({ fraction: 0, seed: 3 }))).toEqual([]);
  });
  it("keeps nulls and NaN as they are; empty input", async () => {
    const df = DataFrame.fromColumns({ x: [null, Number.NaN, 1] });
    await expectColumns(df.sample({ n: 3, seed: 0 }), { x: [null, Number.NaN, 1] });
    await expectColumns(df.filter(lit(false)).sample({ n: 3, seed: 0 }), { x: [] });
    await expectColumns(df.filter(lit(false)).sample({ fraction: 0.5, seed: 0 }), { x: [] });
  });
  it("n picks every subset of the right size about equally often", async () => {
    const counts = new Map<string, number>();
    for (let seed = 0; seed < 600; seed++) {
      const k = (await ids(DataFrame.range(4).sample({ n: 2, seed }))).join(",");
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    for (const c of counts.values()) expect(c).toBeGreaterThan(60);
  });
  it("the same seed gives the same rows whatever the batch sizes (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(300),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 2 ** 40 }),
        fc.oneof(
          fc.record({ n: fc.nat(40) }),
          fc.record({ fraction: fc.double({ min: 0, max: 1, noNaN: true }) }),
        ),
        async (rows, b1, b2, seed, how) => {
          const one = await ids(
            DataFrame.range(rows)
              .intoBatches(b1)
              .sample({ ...how, seed }),
          );
          const two = await ids(
            DataFrame.range(rows)
              .intoBatches(b2)
              .sample({ ...how, seed }),
          );
          expect(two).toEqual(one);
          if ("n" in how) expect(one).toHaveLength(Math.min(how.n, rows));
        },
      ),
      { numRuns: 40 },
    );
  });
  it("different seeds give different rows; no seed draws one when the plan is built", async () => {
    const a = await ids(DataFrame.range(1_000).sample({ n: 20, seed: 1 }));
    const b = await ids(DataFrame.range(1_000).sample({ n: 20, seed: 2 }));
    expect(a).not.toEqual(b);
    const s = DataFrame.range(1_000).sample({ n: 20 });
    expect(await ids(s)).toEqual(await ids(s));
    expect(s.explain()).toMatch(/Sample: n 20, seed \d+/);
  });
  it("a filter above a sample stays above it", () => {
    const q = DataFrame.range(10).sample({ n: 3, seed: 1 }).filter(col("id").gt(2));
    expect(q.explain({ optimized: true })).toMatch(/Filter: .*\n\s+Sample: n 3, seed 1/);
  });
  it("refuses bad options", () => {
    const df = DataFrame.range(3);
    expect(() => df.sample({})).toThrow(PlanError);
    expect(() => df.sample({ n: 1, fraction: 0.5 })).toThrow(/either \{ n \}/);
    expect(() => df.sample({ fraction: 1.5 })).toThrow(/between 0 and 1/);
    expect(() => df.sample({ n: -1 })).toThrow(/whole number/);
    expect(() => df.sample({ n: 1, seed: 0.5 })).toThrow(/seed must be a whole number/);
  });
});

describe("sample over a partitioned scan", () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "deft-sample-"));
    file = path.join(dir, "v.parquet");
    await DataFrame.range(8_000).writeParquet(file, { rowGroupSize: 1_000 });
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("the same rows at every thread count and batch size", async () => {
    for (const how of [{ n: 50 }, { fraction: 0.01 }]) {
      const q = (batchSize: number) =>
        readParquet(file, { batchSize })
          .filter(col("id").mod(2).eq(0))
          .sample({ ...how, seed: 42 });
      const one = await ids(q(1_000), { threads: 1 });
      expect(one.length).toBeGreaterThan(10);
      expect(await ids(q(1_000), { threads: 2 })).toEqual(one);
      expect(await ids(q(300), { threads: 2 })).toEqual(one);
    }
  });
});
