import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { col, DataFrame, type DeftEvent, lit, readParquet, udf } from "@deft/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// An aggregation used twice in one plan (a DataFrame and its maximum, as TPC-H Q15 writes
// it) runs once: its scan is read once and both readers get the same rows.

let dir: string;
let file: string;
const N = 20_000;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "deft-shared-"));
  file = path.join(dir, "t.parquet");
  const g = Array.from({ length: N }, (_, i) => (i * 37) % 101);
  const v = Array.from({ length: N }, (_, i) => ((i * 7919) % 1000) / 10);
  await DataFrame.fromColumns({ g, v }).writeParquet(file, { rowGroupSize: 2_000 });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function totals(): DataFrame {
  return readParquet(file).filter(col("v").gt(5)).groupBy("g").agg(col("v").sum().alias("total"));
}

/** The groups whose total is the largest, built from `a` and a second frame `b` of totals. */
const best = (a: DataFrame, b: DataFrame) =>
  a
    .withColumn("one", lit(1))
    .join(b.select(col("total").max().alias("top")).withColumn("one", lit(1)), { on: "one" })
    .filter(col("total").eq(col("top")))
    .select("g", "total");

async function scansOf(df: DataFrame, threads: number) {
  let scans = 0;
  const progress = (e: DeftEvent) => {
    if (e.type === "scan:end") scans++;
  };
  const rows = await df.toRecords({ threads, progress });
  return { rows, scans };
}

function reference(): { g: number; total: number }[] {
  const sums = new Map<number, number>();
  for (let i = 0; i < N; i++) {
    const v = ((i * 7919) % 1000) / 10;
    if (v > 5) sums.set((i * 37) % 101, (sums.get((i * 37) % 101) ?? 0) + v);
  }
  const top = Math.max(...sums.values());
  return [...sums].filter(([, t]) => t === top).map(([g, total]) => ({ g, total }));
}

describe("shared subplans", () => {
  it.each([1, 2])("an aggregation read twice runs once (threads %i)", async (threads) => {
    const t = totals();
    const df = best(t, t);
    expect(df.explain({ physical: true })).toContain("Shared: computed once, read 2 times");
    const { rows, scans } = await scansOf(df, threads);
    expect(rows).toEqual(reference());
    expect(scans).toBe(1);
  });

  it("equal aggregations built twice over the same file are shared too", async () => {
    const { rows, scans } = await scansOf(best(totals(), totals()), 2);
    expect(rows).toEqual(reference());
    expect(scans).toBe(1);
  });

  it("aggregations that differ in any part are not shared", async () => {
    const other = readParquet(file)
      .filter(col("v").gt(6))
      .groupBy("g")
      .agg(col("v").sum().alias("total"));
    const df = best(totals(), other);
    expect(df.explain({ physical: true })).not.toContain("Shared");
    const { scans } = await scansOf(df, 2);
    expect(scans).toBe(2);
  });

  it("equal in-memory tables are distinct sources; the same table is shared", async () => {
    const mem = () => DataFrame.fromColumns({ g: [1, 1, 2], v: [1, 2, 3] });
    const agg = (d: DataFrame) => d.groupBy("g").agg(col("v").sum().alias("total"));
    expect(best(agg(mem()), agg(mem())).explain({ physical: true })).not.toContain("Shared");
    const one = agg(mem());
    const df = best(one, one);
    expect(df.explain({ physical: true })).toContain("Shared");
    expect(await df.toRecords()).toEqual([
      { g: 1, total: 3 },
      { g: 2, total: 3 },
    ]);
  });

  it("a subplan with a UDF runs where it is written", async () => {
    let calls = 0;
    const double = udf(
      (v: number) => {
        calls++;
        return v * 2;
      },
      { returns: "float64", name: "double" },
    );
    const t = readParquet(file)
      .limit(100)
      .withColumn("v", double(col("v")))
      .groupBy("g")
      .agg(col("v").sum().alias("total"));
    const df = best(t, t);
    expect(df.explain({ physical: true })).not.toContain("Shared");
    await df.toRecords();
    expect(calls).toBe(200);
  });
});
