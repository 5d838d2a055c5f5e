// Distinct over a Parquet scan of several row groups runs as partial sets on the compute
// threads and a merge on the calling thread: the rows equal threads 1's and a plain JS
// reference (the first row of each key, in input order), with keys repeated across row groups.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { col, DataFrame, readParquet } from "@deft/core";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "deft-pdistinct-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

type Row = { a: number | null; s: string | null; v: number };

/** The first row of each (keys) combination, in input order. */
function reference(rows: Row[], keys: (keyof Row)[]): Row[] {
  const seen = new Set<string>();
  return rows.filter((r) => {
    const k = JSON.stringify(keys.map((c) => r[c]));
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const rowArb: fc.Arbitrary<Row> = fc.record({
  a: fc.option(fc.integer({ min: 0, max: 6 }), { freq: 6 }),
  s: fc.option(fc.constantFrom("x", "y", "zz", ""), { freq: 6 }),
  v: fc.integer({ min: 0, max: 3 }),
});

let file = 0;
describe("distinct on the compute threads", () => {
  it("equals threads 1 and the first row of each key, whole rows or some columns, under a filter", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(rowArb, { minLength: 1, maxLength: 200, size: "max" }),
        fc.integer({ min: 1, max: 40 }),
        fc.constantFrom<(keyof Row)[][]>([], ["a"], ["s", "a"], ["v"]),
        fc.boolean(),
        async (rows, rowGroupSize, keys, filtered) => {
          const p = path.join(dir, `t${file++}.parquet`);
          await DataFrame.fromRecords(rows, {
            schema: { a: "int32", s: "utf8", v: "int32" },
          }).writeParquet(p, { rowGroupSize });
          let df = readParquet(p);
          if (filtered) df = df.filter(col("v").lt(3));
          const q = df.distinct(...keys);
          const input = filtered ? rows.filter((r) => r.v < 3) : rows;
          const want = reference(input, keys.length ? keys : ["a", "s", "v"]);
          const one = await q.toRecords({ threads: 1 });
          const two = await q.toRecords({ threads: 2 });
          expect(two).toEqual(one);
          expect(two).toEqual(want);
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);

  it("says in explain that it runs per partition on the threads", async () => {
    const p = path.join(dir, "explain.parquet");
    const rows = Array.from({ length: 100 }, (_, i) => ({ a: i % 7, s: "x", v: i % 3 }));
    await DataFrame.fromRecords(rows).writeParquet(p, { rowGroupSize: 10 });
    const text = readParquet(p).distinct("a").explain({ physical: true });
    expect(text).toMatch(/Distinct: .*partial per partition on the compute threads/);
  });
});
