import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { col, DataFrame, lit, PlanError, readParquet } from "@deft/core";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectColumns } from "../helpers.js";

const left = DataFrame.fromColumns({
  a: [1, null, 3],
  x: [0.5, Number.NaN, null],
});
const right = DataFrame.fromColumns({ b: ["p", null], x: [10, 20] });

describe("join(other, { how: 'cross' })", () => {
  it("pairs every left row with every right row, left order then right order", async () => {
    await expectColumns(left.join(right, { how: "cross" }), {
      a: [1, 1, null, null, 3, 3],
      x: [0.5, 0.5, Number.NaN, Number.NaN, null, null],
      b: ["p", null, "p", null, "p", null],
      x_right: [10, 20, 10, 20, 10, 20],
    });
  });

  it("an empty side gives no rows, with both sides' columns", async () => {
    const none = right.filter(lit(false));
    const q = left.join(none, { how: "cross" });
    expect(q.columns).toEqual(["a", "x", "b", "x_right"]);
    expect(await q.count()).toBe(0);
    expect(await none.join(left, { how: "cross" }).count()).toBe(0);
  });

  it("counts rows when no column is read (sides pruned to no columns)", async () => {
    expect(await DataFrame.range(7).join(DataFrame.range(5), { how: "cross" }).count()).toBe(35);
  });

  it("row counts and order equal a nested loop (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.option(fc.integer({ min: -5, max: 5 })), { maxLength: 12 }),
        fc.array(fc.option(fc.double({ noDefaultInfinity: true })), { maxLength: 9 }),
        async (ls, rs) => {
          const l = DataFrame.fromColumns({ l: ls }, { schema: { l: "int32" } });
          const r = DataFrame.fromColumns({ r: rs }, { schema: { r: "float64" } });
          const want = { l: [] as unknown[], r: [] as unknown[] };
          for (const a of ls)
            for (const b of rs) {
              want.l.push(a);
              want.r.push(b);
            }
          await expectColumns(l.intoBatches(5).join(r, { how: "cross" }), want);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("takes no keys", () => {
    expect(() => left.join(right, { on: "x", how: "cross" })).toThrow(PlanError);
    expect(() => left.join(right, { on: "x", how: "cross" })).toThrow(/takes no keys/);
  });

  it("filters go into the sides they read; a filter over both stays above", () => {
    const q = left.join(right, { how: "cross" }).filter(
      col("a")
        .gt(1)
        .and(col("b").eq("p"))
        .and(col("x").lt(col("x_right"))),
    );
    const plan = q.explain({ optimized: true }).split("== Optimized plan ==")[1]!;
    expect(plan).toMatch(/Filter: \(col\(x\) < col\(x_right\)\)\n\s+Join: cross/);
    expect(plan).toMatch(/Join: cross\n\s+Filter: \(col\(a\) > 1\)/);
    expect(plan).toMatch(/Filter: \(col\(b\) == "p"\)/);
  });
});

describe("cross join over a partitioned scan", () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "deft-cross-"));
    file = path.join(dir, "facts.parquet");
    const v: (number | null)[] = [];
    for (let i = 0; i < 6_000; i++) v.push(i % 7 === 0 ? null : i);
    await DataFrame.fromColumns({ v }).writeParquet(file, { rowGroupSize: 1_000 });
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("streams the left side per partition with the right side built once; rows as at one thread", async () => {
    const small = DataFrame.fromColumns({ k: [1, 2, 3] });
    const q = readParquet(file, { batchSize: 1_000 })
      .join(small, { how: "cross" })
      .filter(col("v").gt(col("k").mul(1000)));
    const plan = q.explain({ physical: true });
    expect(plan).toContain("Fragment: 6 partitions on the compute threads");
    expect(plan).toContain("cross [right side materialized once here");
    const one = await q.toColumns({ threads: 1 });
    expect(one.v!.length).toBeGreaterThan(10_000);
    expect(await q.toColumns({ threads: 2 })).toEqual(one);
    expect(await q.toColumns({ threads: 4 })).toEqual(one);
    expect(await readParquet(file).join(small, { how: "cross" }).count({ threads: 2 })).toBe(
      18_000,
    );
  });
});
