import { type JoinHow, JoinOperator, joinPlan } from "@deft/core/internal";
import { Field, Float64, Int32, List, Utf8 } from "apache-arrow";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BatchesOperator,
  batchesOf,
  type Cols,
  rowsOf,
  runColumns,
  schemaOf,
  sourcePlan,
} from "../relational/helpers.js";

interface L {
  k: number | null;
  s: string | null;
  x: number | null;
}
interface R {
  k: number | null;
  s: string | null;
  y: number | null;
  x: number | null;
}

const lArb = fc.record({
  k: fc.option(fc.integer({ min: 0, max: 4 }), { freq: 6 }),
  s: fc.option(fc.constantFrom("a", "b"), { freq: 6 }),
  x: fc.option(fc.integer({ min: -9, max: 9 }), { freq: 5 }),
});
const rArb = fc.record({
  k: fc.option(fc.integer({ min: 0, max: 4 }), { freq: 6 }),
  s: fc.option(fc.constantFrom("a", "b"), { freq: 6 }),
  y: fc.option(fc.integer({ min: -9, max: 9 }), { freq: 5 }),
  x: fc.option(fc.integer({ min: -9, max: 9 }), { freq: 5 }),
});

const leftCols = (rows: L[]): Cols => ({
  k: { type: new Int32(), values: rows.map((r) => r.k) },
  s: { type: new Utf8(), values: rows.map((r) => r.s) },
  x: { type: new Float64(), values: rows.map((r) => r.x) },
});
const rightCols = (rows: R[]): Cols => ({
  k: { type: new Int32(), values: rows.map((r) => r.k) },
  s: { type: new Utf8(), values: rows.map((r) => r.s) },
  y: { type: new Int32(), values: rows.map((r) => r.y) },
  x: { type: new Float64(), values: rows.map((r) => r.x) },
});

/** Nested-loop reference with the documented output order. */
function reference(
  left: L[],
  right: R[],
  on: ("k" | "s")[],
  how: JoinHow,
): Record<string, unknown>[] {
  const match = (l: L, r: R) => on.every((c) => l[c] !== null && l[c] === r[c]);
  const row = (l: L | null, r: R | null, keyFrom: L | R | null) => {
    const out: Record<string, unknown> = {
      k: on.includes("k") ? (keyFrom?.k ?? null) : (l?.k ?? null),
      s: on.includes("s") ? (keyFrom?.s ?? null) : (l?.s ?? null),
      x: l?.x ?? null,
    };
    if (!on.includes("k")) out.k_right = r?.k ?? null;
    if (!on.includes("s")) out.s_right = r?.s ?? null;
    out.y = r?.y ?? null;
    out.x_right = r?.x ?? null;
    return out;
  };
  const out: Record<string, unknown>[] = [];
  if (how === "semi" || how === "anti") {
    for (const l of left)
      if (right.some((r) => match(l, r)) === (how === "semi")) out.push({ k: l.k, s: l.s, x: l.x });
    return out;
  }
  if (how === "right") {
    for (const r of right) {
      const ls = left.filter((l) => match(l, r));
      if (ls.length === 0) out.push(row(null, r, r));
      for (const l of ls) out.push(row(l, r, r));
    }
    return out;
  }
  const matchedR = new Set<number>();
  for (const l of left) {
    const rs = right.map((r, j) => [r, j] as const).filter(([r]) => match(l, r));
    if (rs.length === 0 && (how === "left" || how === "outer")) out.push(row(l, null, l));
    for (const [r, j] of rs) {
      matchedR.add(j);
      out.push(row(l, r, l));
    }
  }
  if (how === "outer") {
    for (const [j, r] of right.entries()) if (!matchedR.has(j)) out.push(row(null, r, r));
  }
  return out;
}

async function join(
  left: L[],
  right: R[],
  lcuts: number[],
  rcuts: number[],
  on: ("k" | "s")[],
  how: JoinHow,
) {
  const lc = leftCols(left);
  const rc = rightCols(right);
  const ls = schemaOf(lc);
  const rs = schemaOf(rc);
  const plan = joinPlan(sourcePlan(ls), sourcePlan(rs), { on, how });
  if (plan.kind !== "join") throw new Error("expected a join node");
  const op = new JoinOperator(
    plan,
    new BatchesOperator(batchesOf(lc, lcuts), ls),
    new BatchesOperator(batchesOf(rc, rcuts), rs),
  );
  return rowsOf((await runColumns(op)).cols);
}

const HOWS: JoinHow[] = ["inner", "left", "right", "outer", "semi", "anti"];

describe("JoinOperator (property tests against a nested-loop reference)", () => {
  for (const how of HOWS) {
    it(`${how} join: one and two key columns, null keys, duplicates, either side larger`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(lArb, { maxLength: 30 }),
          fc.array(rArb, { maxLength: 30 }),
          fc.array(fc.nat(30), { maxLength: 3 }),
          fc.array(fc.nat(30), { maxLength: 3 }),
          fc.constantFrom<("k" | "s")[]>(["k"], ["s", "k"]),
          async (left, right, lc, rc, on) => {
            expect(await join(left, right, lc, rc, on, how)).toEqual(
              reference(left, right, on, how),
            );
          },
        ),
        { numRuns: 150 },
      );
    });
  }

  it("leftOn/rightOn with different names keeps the left key name and drops the right key", async () => {
    const lc: Cols = {
      id: { type: new Int32(), values: [1, 2, 3] },
      a: { type: new Utf8(), values: ["x", "y", "z"] },
    };
    const rc: Cols = {
      rid: { type: new Int32(), values: [3, 1, 1] },
      b: { type: new Utf8(), values: ["p", "q", "r"] },
    };
    const plan = joinPlan(sourcePlan(schemaOf(lc)), sourcePlan(schemaOf(rc)), {
      leftOn: "id",
      rightOn: "rid",
      how: "left",
    });
    if (plan.kind !== "join") throw new Error("expected a join node");
    const op = new JoinOperator(
      plan,
      new BatchesOperator(batchesOf(lc, []), schemaOf(lc)),
      new BatchesOperator(batchesOf(rc, []), schemaOf(rc)),
    );
    expect(rowsOf((await runColumns(op)).cols)).toEqual([
      { id: 1, a: "x", b: "q" },
      { id: 1, a: "x", b: "r" },
      { id: 2, a: "y", b: null },
      { id: 3, a: "z", b: "p" },
    ]);
  });

  it("carries list columns through the join", async () => {
    const listType = new List(new Field("item", new Int32(), true));
    const lc: Cols = { k: { type: new Int32(), values: [1, 2] } };
    const rc: Cols = {
      k: { type: new Int32(), values: [2, 1, 2] },
      xs: { type: listType, values: [[1], [], [2, null]] },
    };
    const plan = joinPlan(sourcePlan(schemaOf(lc)), sourcePlan(schemaOf(rc)), { on: "k" });
    if (plan.kind !== "join") throw new Error("expected a join node");
    const op = new JoinOperator(
      plan,
      new BatchesOperator(batchesOf(lc, []), schemaOf(lc)),
      new BatchesOperator(batchesOf(rc, []), schemaOf(rc)),
    );
    expect(rowsOf((await runColumns(op)).cols)).toEqual([
      { k: 1, xs: [] },
      { k: 2, xs: [1] },
      { k: 2, xs: [2, null] },
    ]);
  });

  it("explains bad joins: unknown key, mismatched key types", () => {
    const ls = schemaOf({ k: { type: new Int32(), values: [] } });
    const rs = schemaOf({
      k: { type: new Utf8(), values: [] },
      j: { type: new Int32(), values: [] },
    });
    expect(() => joinPlan(sourcePlan(ls), sourcePlan(rs), { on: "nope" })).toThrow(
      /Unknown column "nope" in the left input of join.*"k"/,
    );
    expect(() => joinPlan(sourcePlan(ls), sourcePlan(rs), { on: "k" })).toThrow(
      /int32 on the left but "k" is utf8 on the right; cast/,
    );
  });
});
