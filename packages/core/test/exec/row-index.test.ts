import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { col, DataFrame, lit, PlanError, readParquet } from "@deft/core";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectColumns, typesOf } from "../helpers.js";

const df = DataFrame.fromColumns({ a: [Number.NaN, null, 7] });

describe("withRowIndex(name = 'index')", () => {
  it("a first int64 column numbering the rows from 0", async () => {
    const q = df.withRowIndex();
    expect(typesOf(q)).toEqual({ index: "int64", a: "float64" });
    await expectColumns(q, { index: [0, 1, 2], a: [Number.NaN, null, 7] }, { int64: "number" });
    await expectColumns(df.withRowIndex("n").select("n"), { n: [0n, 1n, 2n] });
  });
  it("empty input", async () => {
    await expectColumns(df.filter(lit(false)).withRowIndex(), { index: [], a: [] });
  });
  it("numbers the rows before a filter above it (the filter is not pushed below)", async () => {
    const q = df.withRowIndex().filter(col("a").isNotNull());
    expect(q.explain({ optimized: true })).toMatch(/Filter: .*\n\s+RowIndex: index/);
    await expectColumns(q, { index: [0, 2], a: [Number.NaN, 7] }, { int64: "number" });
  });
  it("a limit above it goes below it; an unread index is dropped", async () => {
    const q = DataFrame.range(100).withRowIndex("i").limit(3);
    expect(q.explain({ optimized: true })).toMatch(
      /RowIndex: i\n\s+Source: range\(0, 100\) limit=3/,
    );
    await expectColumns(q, { i: [0, 1, 2], id: [0, 1, 2] }, { int64: "number" });
    const unread = DataFrame.range(5).withRowIndex("i").select("id");
    expect(unread.explain({ optimized: true }).split("== Optimized plan ==")[1]).not.toContain(
      "RowIndex",
    );
  });
  it("refuses a name that exists", () => {
    expect(() => df.withRowIndex("a")).toThrow(PlanError);
    expect(() => df.withRowIndex("a")).toThrow(/a column "a" exists already/);
  });
  it("counts through batches of any size (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(50), fc.integer({ min: 1, max: 8 }), async (n, rows) => {
        const q = DataFrame.range(n).intoBatches(rows).withRowIndex();
        const want = Array.from({ length: n }, (_, i) => i);
        await expectColumns(q, { index: want, id: want }, { int64: "number" });
      }),
      { numRuns: 30 },
    );
  });
});

describe("withRowIndex over a partitioned scan", () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "deft-row-index-"));
    file = path.join(dir, "v.parquet");
    await DataFrame.range(5_000).writeParquet(file, { rowGroupSize: 1_000 });
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("gives every thread count the same numbers, after the filter below it", async () => {
    const q = readParquet(file)
      .filter(col("id").mod(3).eq(0))
      .withRowIndex()
      .filter(col("index").mod(100).eq(0));
    const one = await q.toColumns({ threads: 1, int64: "number" });
    expect(one.index!.slice(0, 3)).toEqual([0, 100, 200]);
    expect(one.id!.slice(0, 3)).toEqual([0, 300, 600]);
    expect(await q.toColumns({ threads: 2, int64: "number" })).toEqual(one);
  });
});
