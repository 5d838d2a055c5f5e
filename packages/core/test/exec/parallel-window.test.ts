// A window with partitions over enough rows runs on the compute threads from 4 threads: rows
// go to one bucket per thread by the hash of their partition keys, each bucket computes its
// whole partitions, and the results move back to input order. The columns must equal the
// calling thread's (threads 1) for every kind of function and frame, with nulls in keys and
// values, skewed partitions and string and multi-column keys.
import { col, DataFrame, rank, rowNumber } from "@deft/core";
import { closeComputePool, computePoolThreads } from "@deft/core/internal";
import { afterAll, describe, expect, it } from "vitest";

afterAll(() => closeComputePool());

/** A deterministic pseudo-random sequence (xorshift), so a failure reproduces. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

function table(n: number, partitions: number, skew: boolean, seed: number): DataFrame {
  const r = rng(seed);
  const g: (number | null)[] = [];
  const s: (string | null)[] = [];
  const x: (number | null)[] = [];
  const v: (number | null)[] = [];
  for (let i = 0; i < n; i++) {
    // Skewed: half the rows in partition 0, the rest spread.
    const p = skew && r() < 0.5 ? 0 : Math.floor(r() * partitions);
    g.push(r() < 0.01 ? null : p);
    s.push(p % 3 === 0 ? "k" : `key-${p % 7}`);
    x.push(r() < 0.02 ? null : Math.floor(r() * 1000));
    const u = r();
    v.push(u < 0.03 ? null : u < 0.04 ? Number.NaN : Math.round(u * 1e4) / 100);
  }
  return DataFrame.fromColumns(
    { g, s, x, v },
    { schema: { g: "int32", s: "utf8", x: "int32", v: "float64" } },
  ).intoBatches(30_000);
}

function windows(df: DataFrame): DataFrame {
  const byG = { partitionBy: "g", orderBy: "x" } as const;
  const byGS = { partitionBy: ["g", "s"], orderBy: ["x", "v"] } as const;
  return df
    .withColumn("rn", rowNumber().over(byG))
    .withColumn("rk", rank().over(byGS))
    .withColumn("lag", col("v").lag(2).over(byG))
    .withColumn("cum", col("v").cumSum().over(byG))
    .withColumn(
      "mov",
      col("v")
        .mean()
        .over({ ...byG, frame: { rows: [-2, 0] } }),
    )
    .withColumn(
      "rng",
      col("v")
        .count()
        .over({ ...byG, frame: { range: [-50, 50] } }),
    )
    .withColumn("tot", col("v").max().over({ partitionBy: "s" }))
    .withColumn("fv", col("v").firstValue().over(byGS));
}

describe("windows on the compute threads", () => {
  it.each([
    ["61 partitions", 61, false, 1],
    ["3000 partitions", 3000, false, 2],
    ["one partition holding half the rows", 200, true, 3],
  ])(
    "threads 4 equals threads 1: %s",
    async (_, partitions, skew, seed) => {
      const q = windows(table(120_000, partitions, skew, seed));
      const one = await q.toColumns({ threads: 1 });
      await closeComputePool();
      const four = await q.toColumns({ threads: 4 });
      // The in-memory input has no scan to split: only the window used the compute threads.
      expect(computePoolThreads()).toBeGreaterThan(0);
      expect(four).toEqual(one);
    },
    120_000,
  );

  it("stays on the calling thread at threads 2, without partitions, and for few rows", async () => {
    const big = table(120_000, 100, false, 4);
    const few = table(5_000, 100, false, 5);
    for (const [df, threads] of [
      [windows(big), 2],
      [big.withColumn("c", col("v").cumSum().over({ orderBy: "x" })), 4],
      [windows(few), 4],
    ] as const) {
      await closeComputePool();
      await df.toColumns({ threads });
      expect(computePoolThreads()).toBe(0);
    }
  }, 120_000);

  it("explain says where a window with partitions runs", async () => {
    const text = await windows(table(10, 2, false, 6)).explain({ physical: true });
    expect(text).toContain("on the compute threads from 4 threads and 100000 rows, else here");
  });
});
