import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { col, count, DataFrame, readParquet } from "@deft/core";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let dir: string;
let file: string;
let dimFile: string;
const N = 30_000;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "deft-broadcast-"));
  file = path.join(dir, "facts.parquet");
  dimFile = path.join(dir, "dim.parquet");
  const k: (number | null)[] = [];
  const v = new Float64Array(N);
  const s: (string | null)[] = [];
  for (let i = 0; i < N; i++) {
    k.push(i % 13 === 0 ? null : (i * 31) % 211);
    v[i] = (i * 7919) % 1000;
    s.push(i % 9 === 0 ? null : `s${i % 5}`);
  }
  await DataFrame.fromColumns({ k, v, s }).writeParquet(file, { rowGroupSize: 2_000 });
  // Keys 0..149 with duplicates (every key < 40 twice) and a null key: multi-matches and
  // keys that never match on either side.
  const dk: (number | null)[] = [null];
  const name: string[] = ["null-key"];
  for (let i = 0; i < 150; i++) {
    dk.push(i);
    name.push(`n${i}`);
    if (i < 40) {
      dk.push(i);
      name.push(`m${i}`);
    }
  }
  await DataFrame.fromColumns({ k: dk, name }).writeParquet(dimFile, { rowGroupSize: 64 });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** 15 row groups read as 15 partitions. */
const facts = () => readParquet(file, { batchSize: 2_000 });
const dim = () => readParquet(dimFile);

describe("broadcast joins on the compute threads", () => {
  it("an inner join runs per partition with its right side built once, rows as at one thread", async () => {
    const q = facts().join(dim(), { on: "k" });
    const plan = q.explain({ physical: true });
    expect(plan).toContain("Fragment: 15 partitions on the compute threads");
    expect(plan).toContain("right side built once here, probed per partition");
    const one = await q.toColumns({ threads: 1 });
    expect(one.k!.length).toBeGreaterThan(N / 2);
    expect(await q.toColumns({ threads: 2 })).toEqual(one);
    expect(await q.toColumns({ threads: 8 })).toEqual(one);
  });

  for (const how of ["left", "semi", "anti"] as const) {
    it(`a ${how} join gives the single-thread rows in left order (null keys never match)`, async () => {
      const q = facts().join(dim(), { on: "k", how });
      const one = await q.toColumns({ threads: 1 });
      const nullKeys = one.k!.filter((x) => x === null).length;
      if (how === "semi") expect(nullKeys).toBe(0);
      else expect(nullKeys).toBe(Math.ceil(N / 13));
      expect(await q.toColumns({ threads: 2 })).toEqual(one);
    });
  }

  it("an aggregation and a sort over two chained joins run partial per partition", async () => {
    const dim2 = DataFrame.fromColumns({ s: ["s0", "s1", "s2", "s3"], w: [1, 2, 3, 4] });
    const joined = facts()
      .filter(col("v").gt(100))
      .join(dim(), { on: "k" })
      .join(dim2, { on: "s", how: "left" });
    const agg = joined
      .groupBy("name")
      .agg(count(), col("w").sum().alias("sw"), col("v").mean().alias("mv"));
    expect(agg.explain({ physical: true })).toContain(
      "partial per task on the compute threads (15 partitions in up to 2 tasks per thread)",
    );
    const one = await agg.toRecords({ threads: 1 });
    expect(one.length).toBeGreaterThan(100);
    expect(await agg.toRecords({ threads: 2 })).toEqual(one);
    const sorted = joined.sort(["name", "v"], { descending: [false, true] }).limit(500);
    const sortedOne = await sorted.toColumns({ threads: 1 });
    expect(await sorted.toColumns({ threads: 2 })).toEqual(sortedOne);
  });

  it("a right side that itself runs on the threads (an aggregation) is materialized first", async () => {
    const perKey = facts().groupBy("k").agg(col("v").max().alias("top"));
    const q = facts()
      .join(perKey, { on: "k" })
      .filter(col("v").eq(col("top")));
    const one = await q.toColumns({ threads: 1 });
    expect(one.k!.length).toBeGreaterThan(0);
    expect(await q.toColumns({ threads: 2 })).toEqual(one);
  });

  it("an empty right side gives no rows (inner) or all left rows with nulls (left)", async () => {
    const none = dim().filter(col("k").lt(-1));
    expect((await facts().join(none, { on: "k" }).toColumns({ threads: 2 })).k).toEqual([]);
    const left = await facts().join(none, { on: "k", how: "left" }).toColumns({ threads: 2 });
    expect(left.k).toHaveLength(N);
    expect(new Set(left.name)).toEqual(new Set([null]));
  });

  it("random filters and join kinds give the same rows at threads 1 and 2 (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 150 }),
        fc.constantFrom("inner", "left", "semi", "anti"),
        async (lo, maxKey, how) => {
          const q = facts()
            .filter(col("v").gte(lo))
            .join(dim().filter(col("k").lte(maxKey)), { on: "k", how: how as "inner" })
            .withColumn("x", col("v").add(1));
          const one = await q.toColumns({ threads: 1 });
          expect(await q.toColumns({ threads: 2 })).toEqual(one);
        },
      ),
      { numRuns: 10 },
    );
  });
});
