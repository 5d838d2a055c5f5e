import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { col, count, DataFrame, readParquet } from "@deft/core";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let dir: string;
let file: string;
const N = 40_000;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "deft-fragment-"));
  file = path.join(dir, "t.parquet");
  const a = new Float64Array(N);
  const k = new Int32Array(N);
  const s: (string | null)[] = [];
  for (let i = 0; i < N; i++) {
    a[i] = (i * 7919) % 1000;
    k[i] = (i * 31) % 97;
    s.push(i % 11 === 0 ? null : `s${i % 7}`);
  }
  await DataFrame.fromColumns({ a, k, s }).writeParquet(file, { rowGroupSize: 2_500 });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Small batches, so the 16 row groups of the file are 16 partitions. */
const scan = () => readParquet(file, { batchSize: 2_500 });

describe("fragments on the compute threads", () => {
  it("a filter and projection over a split scan gives the single-thread rows, in order", async () => {
    const q = scan()
      .filter(col("a").gt(500))
      .withColumn("b", col("a").mul(2).add(col("k")))
      .select("b", "s");
    const plan = q.explain({ physical: true });
    expect(plan).toContain("Fragment: 16 partitions on the compute threads");
    const one = await q.toColumns({ threads: 1 });
    expect(one.b).toHaveLength(19_960);
    expect(await q.toColumns({ threads: 2 })).toEqual(one);
    expect(await q.toColumns({ threads: 3 })).toEqual(one);
  });

  it("aggregates partial per partition on the threads and final on the calling thread", async () => {
    const q = scan()
      .filter(col("a").gt(100))
      .withColumn("b", col("a").mul(2))
      .groupBy("k", "s")
      .agg(
        col("b").sum().alias("sb"),
        col("a").mean().alias("ma"),
        count(),
        col("a").countDistinct().alias("cd"),
        col("a").min().alias("mn"),
        col("s").max().alias("mx"),
        col("a").first().alias("f"),
        col("a").last().alias("l"),
        col("k").list().alias("ks"),
      );
    expect(q.explain({ physical: true })).toContain(
      "partial per task on the compute threads (16 partitions in up to 2 tasks per thread), final here",
    );
    const one = await q.toRecords({ threads: 1 });
    expect(one.length).toBeGreaterThan(97 * 7);
    // Groups come out in first-seen order of the whole input at every thread count.
    expect(await q.toRecords({ threads: 2 })).toEqual(one);
    expect(await q.toRecords({ threads: 8 })).toEqual(one);
  });

  it("sorts in runs per partition on the threads, merged stably here (top-N too)", async () => {
    const q = scan()
      .filter(col("a").gt(50))
      .withColumn("b", col("a").mod(10))
      .sort(["s", "b"], { descending: [true, false], nullsFirst: true });
    expect(q.explain({ physical: true })).toContain(
      "sorted runs per task on the compute threads (16 partitions in up to 2 tasks per thread), k-way merge here",
    );
    const one = await q.toColumns({ threads: 1 });
    expect(one.a).toHaveLength(37_960);
    expect(await q.toColumns({ threads: 2 })).toEqual(one);
    const top = q.limit(25);
    const topOne = await top.toColumns({ threads: 1 });
    expect(topOne.a).toHaveLength(25);
    expect(await top.toColumns({ threads: 2 })).toEqual(topOne);
  });

  it("a global aggregation over partitions equals the single-thread one", async () => {
    const q = scan().select(
      col("a").sum().alias("sa"),
      count(),
      col("s").countDistinct().alias("d"),
    );
    const one = await q.toRecords({ threads: 1 });
    expect(one).toEqual([{ sa: expect.any(Number), count: BigInt(N), d: 7n }]);
    expect(await q.toRecords({ threads: 2 })).toEqual(one);
  });

  it("random filters, projections and aggregations give the same answer at threads 1, 2 and 8 (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: -10, max: 1010 }),
        fc.integer({ min: 1, max: 5 }),
        fc.boolean(),
        fc.constantFrom("sum", "min", "max", "mean", "countDistinct", "first", "last"),
        async (lo, mul, grouped, fn) => {
          const base = scan()
            .filter(col("a").gte(lo).or(col("s").eq("s3")))
            .withColumn("b", col("a").mul(mul).sub(col("k")));
          const agg = col("b")[fn as "sum"]().alias("v");
          const q = grouped ? base.groupBy("s").agg(agg, count()) : base.select("b", "s");
          const one = await q.toRecords({ threads: 1 });
          expect(await q.toRecords({ threads: 2 })).toEqual(one);
          expect(await q.toRecords({ threads: 8 })).toEqual(one);
        },
      ),
      { numRuns: 12 },
    );
  });

  it("an error raised inside a partition keeps its name and message", async () => {
    const q = scan().filter(col("a").gt(-1)).withColumn("c", col("s").cast("int32"));
    const err1 = await q.toColumns({ threads: 1 }).catch((e: Error) => e);
    const err2 = await q.toColumns({ threads: 2 }).catch((e: Error) => e);
    expect(err1).toBeInstanceOf(Error);
    expect((err2 as Error).name).toBe((err1 as Error).name);
    // The row a cast error names counts within its batch, and batches differ between one
    // scan and its partitions, so only the shape of the message is the same.
    const shape = /^Column "s" row \d+: cast to int32 failed: "s\d" is not a int32\./;
    expect((err1 as Error).message).toMatch(shape);
    expect((err2 as Error).message).toMatch(shape);
  });
});
