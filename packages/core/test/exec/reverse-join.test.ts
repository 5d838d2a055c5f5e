import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { col, DataFrame, readParquet } from "@deft/core";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// A join whose left side is small and whose right side is a large split scan runs the other
// way round: the left side is built once, the right side is probed per partition on the
// threads, and the rows are put back in the join's order (left row order, a left row's
// matches in right row order; semi and anti: left rows in left order).

let dir: string;
let seq = 0;
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "deft-reverse-join-"));
});

type Row = Record<string, unknown>;

async function files(left: Row[], right: Row[]) {
  const l = path.join(dir, `l${seq}.parquet`);
  const r = path.join(dir, `r${seq++}.parquet`);
  await DataFrame.fromRecords(left, { schema: { k: "int32", name: "utf8" } }).writeParquet(l);
  await DataFrame.fromRecords(right, { schema: { rk: "int32", v: "float64" } }).writeParquet(r, {
    rowGroupSize: 1000,
  });
  return { l, r };
}

/** The join as docs/relational.md defines it, row by row. */
function reference(how: "inner" | "semi" | "anti", left: Row[], right: Row[]): Row[] {
  const out: Row[] = [];
  for (const lr of left) {
    const matches = lr.k === null ? [] : right.filter((rr) => rr.rk === lr.k);
    if (how === "inner") for (const m of matches) out.push({ ...lr, v: m.v });
    else if (matches.length > 0 === (how === "semi")) out.push({ ...lr });
  }
  return out;
}

const leftRows = (keys: (number | null)[]) => keys.map((k, i) => ({ k, name: `n${i}` }));
const rightRows = (keys: (number | null)[]) => keys.map((rk, i) => ({ rk, v: i / 4 }));

describe("joins run the other way round", () => {
  it("a small left side joined with a large split right side", async () => {
    const lk = [5, 3, null, 5, 7, 1000, 3];
    const rk = Array.from({ length: 12_000 }, (_, i) => (i % 17 === 0 ? null : (i * 7) % 50));
    const left = leftRows(lk);
    const right = rightRows(rk);
    const { l, r } = await files(left, right);
    for (const how of ["inner", "semi", "anti"] as const) {
      const df = readParquet(l).join(readParquet(r, { batchSize: 1000 }), {
        leftOn: "k",
        rightOn: "rk",
        how,
      });
      expect(df.explain({ physical: true })).toContain("[left side built once here");
      for (const threads of [1, 2]) {
        expect(await df.toRecords({ threads })).toEqual(reference(how, left, right));
      }
    }
  });

  it("left keys that are all null match nothing", async () => {
    const left = leftRows([null, null]);
    const right = rightRows(Array.from({ length: 3000 }, (_, i) => (i % 2 ? null : i % 5)));
    const { l, r } = await files(left, right);
    for (const how of ["inner", "semi", "anti"] as const) {
      const df = readParquet(l).join(readParquet(r, { batchSize: 1000 }), {
        leftOn: "k",
        rightOn: "rk",
        how,
      });
      expect(await df.toRecords({ threads: 2 })).toEqual(reference(how, left, right));
    }
  });

  it("a large left side keeps the usual broadcast of the right side", async () => {
    const { l, r } = await files(leftRows([1, 2, 3]), rightRows([1, 2, 3]));
    const df = readParquet(r, { batchSize: 1000 }).join(readParquet(l), {
      leftOn: "rk",
      rightOn: "k",
    });
    expect(df.explain({ physical: true })).not.toContain("[left side built once here");
  });

  it("joins below and above it keep the join's order (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.option(fc.integer({ min: 0, max: 30 }), { freq: 8 }), { maxLength: 40 }),
        fc.array(fc.option(fc.integer({ min: 0, max: 30 }), { freq: 8 }), {
          minLength: 2500,
          maxLength: 4000,
        }),
        fc.constantFrom("inner" as const, "semi" as const, "anti" as const),
        async (lk, rk, how) => {
          const left = leftRows(lk);
          const right = rightRows(rk);
          const { l, r } = await files(left, right);
          const df = readParquet(l)
            .join(readParquet(r, { batchSize: 1000 }).filter(col("v").gte(0)), {
              leftOn: "k",
              rightOn: "rk",
              how,
            })
            .filter(col("name").neq("n1"));
          const want = reference(how, left, right).filter((x) => x.name !== "n1");
          expect(await df.toRecords({ threads: 2 })).toEqual(want);
        },
      ),
      { numRuns: 30 },
    );
  }, 120_000);
});
