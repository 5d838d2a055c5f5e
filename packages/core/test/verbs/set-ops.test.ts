import { DataFrame, lit, PlanError } from "@deft/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expectColumns } from "../helpers.js";

const a = DataFrame.fromColumns(
  {
    k: [1, 1, null, 2, null, 3, 4],
    x: [0.5, 0.5, Number.NaN, Number.NaN, null, -0, 1],
  },
  { schema: { k: "int32", x: "float64" } },
);
const b = DataFrame.fromColumns(
  { x: [Number.NaN, null, 0, 9], k: [null, null, 3, 4] },
  { schema: { x: "float64", k: "int32" } },
);

describe("intersect / except (SQL INTERSECT / EXCEPT: distinct rows)", () => {
  it("intersect keeps the distinct left rows found on the right; null = null, NaN = NaN, -0 = 0", async () => {
    await expectColumns(a.intersect(b), { k: [null, null, 3], x: [Number.NaN, null, -0] });
  });
  it("except keeps the distinct left rows not found on the right, in first-seen order", async () => {
    await expectColumns(a.except(b), { k: [1, 2, 4], x: [0.5, Number.NaN, 1] });
  });
  it("an empty side", async () => {
    const none = b.filter(lit(false));
    await expectColumns(a.intersect(none), { k: [], x: [] });
    await expectColumns(none.except(a), { x: [], k: [] });
    expect(await a.except(none).count()).toBe(6);
  });
  it("needs the same columns and types", () => {
    expect(() => a.intersect(b.select("k"))).toThrow(PlanError);
    expect(() => a.intersect(b.select("k"))).toThrow(/the other lacks "x"/);
    expect(() => a.except(b.withColumn("x", lit("s")))).toThrow(
      /column "x" is float64 on the left but utf8/,
    );
  });

  it("equal a plain JS reference (property)", async () => {
    const row = fc.record({
      k: fc.option(fc.integer({ min: 0, max: 3 })),
      s: fc.option(fc.constantFrom("a", "b", "")),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { maxLength: 25 }),
        fc.array(row, { maxLength: 25 }),
        async (ls, rs) => {
          const frame = (rows: typeof ls) =>
            DataFrame.fromColumns(
              { k: rows.map((r) => r.k), s: rows.map((r) => r.s) },
              { schema: { k: "int32", s: "utf8" } },
            ).intoBatches(4);
          const keyOf = (r: (typeof ls)[number]) => JSON.stringify([r.k, r.s]);
          const right = new Set(rs.map(keyOf));
          const seen = new Set<string>();
          const distinct = ls.filter((r) => !seen.has(keyOf(r)) && seen.add(keyOf(r)));
          const cols = (rows: typeof ls) => ({ k: rows.map((r) => r.k), s: rows.map((r) => r.s) });
          await expectColumns(
            frame(ls).intersect(frame(rs)),
            cols(distinct.filter((r) => right.has(keyOf(r)))),
          );
          await expectColumns(
            frame(ls).except(frame(rs)),
            cols(distinct.filter((r) => !right.has(keyOf(r)))),
          );
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe("unionByName", () => {
  it("matches columns by name, keeps duplicates, widens numbers to their supertype", async () => {
    const l = DataFrame.fromColumns({ a: [1, 2], s: ["x", null] }, { schema: { a: "int32" } });
    const r = DataFrame.fromColumns({ s: ["y"], a: [2.5] });
    const u = l.unionByName(r);
    expect(u.columns).toEqual(["a", "s"]);
    await expectColumns(u, { a: [1, 2, 2.5], s: ["x", null, "y"] });
  });
  it("allowMissing fills the columns a side lacks with nulls (left's columns, then the right's others)", async () => {
    const l = DataFrame.fromColumns({ a: [1], b: [Number.NaN] });
    const r = DataFrame.fromColumns({ c: [true], a: [3] });
    await expectColumns(l.unionByName(r, { allowMissing: true }), {
      a: [1, 3],
      b: [Number.NaN, null],
      c: [null, true],
    });
    expect(() => l.unionByName(r)).toThrow(/the right side lacks "b".*allowMissing: true/);
  });
  it("refuses columns of different kinds", () => {
    const l = DataFrame.fromColumns({ a: [1] });
    expect(() => l.unionByName(DataFrame.fromColumns({ a: ["1"] }))).toThrow(
      /column "a" is float64 on the left but utf8 on the right/,
    );
  });
  it("empty inputs", async () => {
    const l = DataFrame.fromColumns({ a: [1] }).filter(lit(false));
    await expectColumns(l.unionByName(l), { a: [] });
  });
  it("equals a plain JS reference (property)", async () => {
    const names = fc.uniqueArray(fc.constantFrom("a", "b", "c"), { minLength: 1 });
    await fc.assert(
      fc.asyncProperty(names, names, fc.nat(4), fc.nat(4), async (ln, rn, nl, nr) => {
        const frame = (ns: string[], n: number, base: number) =>
          DataFrame.fromColumns(
            Object.fromEntries(
              ns.map((c, j) => [c, Array.from({ length: n }, (_, i) => base + i * 10 + j)]),
            ),
          );
        const all = [...ln, ...rn.filter((c) => !ln.includes(c))];
        const want: Record<string, unknown[]> = {};
        for (const c of all) {
          const j = ln.indexOf(c);
          const k = rn.indexOf(c);
          want[c] = [
            ...Array.from({ length: nl }, (_, i) => (j < 0 ? null : i * 10 + j)),
            ...Array.from({ length: nr }, (_, i) => (k < 0 ? null : 100 + i * 10 + k)),
          ];
        }
        await expectColumns(
          frame(ln, nl, 0).unionByName(frame(rn, nr, 100), { allowMissing: true }),
          want,
        );
      }),
      { numRuns: 40 },
    );
  });
});
