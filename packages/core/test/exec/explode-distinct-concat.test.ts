import {
  ConcatOperator,
  concatPlan,
  DistinctOperator,
  distinctPlan,
  ExplodeOperator,
  explodePlan,
} from "@deft/core/internal";
import { Field, Float64, Int32, Int64, List, Utf8 } from "apache-arrow";
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

const listType = new List(new Field("item", new Utf8(), true));

describe("ExplodeOperator", () => {
  it("one row per element; empty and null lists give one null row (property test)", async () => {
    const rowArb = fc.record({
      id: fc.integer({ min: 0, max: 9 }),
      xs: fc.option(
        fc.array(fc.option(fc.constantFrom("a", "bc", ""), { freq: 4 }), { maxLength: 4 }),
        { freq: 4 },
      ),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(rowArb, { maxLength: 40 }),
        fc.array(fc.nat(40), { maxLength: 4 }),
        async (rows, cuts) => {
          const cols: Cols = {
            id: { type: new Int32(), values: rows.map((r) => r.id) },
            xs: { type: listType, values: rows.map((r) => r.xs) },
          };
          const schema = schemaOf(cols);
          const plan = explodePlan(sourcePlan(schema), "xs");
          if (plan.kind !== "explode") throw new Error("expected an explode node");
          const out = await runColumns(
            new ExplodeOperator(plan, new BatchesOperator(batchesOf(cols, cuts), schema)),
          );
          const expected = rows.flatMap((r) =>
            r.xs?.length ? r.xs.map((x) => ({ id: r.id, xs: x })) : [{ id: r.id, xs: null }],
          );
          expect(rowsOf(out.cols)).toEqual(expected);
          expect(plan.schema.fields[1]!.type.toString()).toBe("Utf8");
        },
      ),
      { numRuns: 200 },
    );
  });

  it("refuses a non-list column, naming it", () => {
    const schema = schemaOf({ a: { type: new Int32(), values: [] } });
    expect(() => explodePlan(sourcePlan(schema), "a")).toThrow(/column "a" is int32, not a list/);
  });
});

describe("DistinctOperator", () => {
  it("keeps the first occurrence of each key, in order, across batches (property test)", async () => {
    const rowArb = fc.record({
      a: fc.option(fc.integer({ min: 0, max: 3 }), { freq: 4 }),
      b: fc.option(fc.constantFrom("x", "y"), { freq: 4 }),
      c: fc.option(fc.constantFrom(0.5, Number.NaN, -1), { freq: 4 }),
      v: fc.integer(),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(rowArb, { maxLength: 60 }),
        fc.array(fc.nat(60), { maxLength: 5 }),
        fc.constantFrom<string[]>(["a"], ["a", "b"], ["c", "b"], []),
        async (rows, cuts, on) => {
          const cols: Cols = {
            a: { type: new Int32(), values: rows.map((r) => r.a) },
            b: { type: new Utf8(), values: rows.map((r) => r.b) },
            c: { type: new Float64(), values: rows.map((r) => r.c) },
            v: { type: new Int32(), values: rows.map((r) => r.v) },
          };
          const schema = schemaOf(cols);
          const plan = distinctPlan(sourcePlan(schema), on);
          if (plan.kind !== "distinct") throw new Error("expected a distinct node");
          const out = await runColumns(
            new DistinctOperator(plan, new BatchesOperator(batchesOf(cols, cuts), schema)),
          );
          const keyCols = on.length ? on : ["a", "b", "c", "v"];
          const seen = new Set<string>();
          const expected = rows.filter((r) => {
            const id = JSON.stringify(keyCols.map((k) => String(r[k as keyof typeof r])));
            if (seen.has(id)) return false;
            seen.add(id);
            return true;
          });
          expect(rowsOf(out.cols)).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("refuses list keys, naming the column", () => {
    const schema = schemaOf({ xs: { type: listType, values: [] } });
    expect(() => distinctPlan(sourcePlan(schema))).toThrow(
      /col\(xs\) has type list<utf8>, which cannot be used as a key/,
    );
  });
});

describe("ConcatOperator", () => {
  it("streams the inputs in order and matches columns by name", async () => {
    const a: Cols = {
      x: { type: new Int32(), values: [1, 2] },
      s: { type: new Utf8(), values: ["a", null] },
    };
    const b: Cols = {
      s: { type: new Utf8(), values: ["c"] },
      x: { type: new Int32(), values: [3] },
    };
    const plan = concatPlan([sourcePlan(schemaOf(a)), sourcePlan(schemaOf(b))]);
    if (plan.kind !== "concat") throw new Error("expected a concat node");
    const op = new ConcatOperator(plan, [
      new BatchesOperator(batchesOf(a, [1]), schemaOf(a)),
      new BatchesOperator(batchesOf(b, []), schemaOf(b)),
    ]);
    const out = await runColumns(op);
    expect(out.cols).toEqual({ x: [1, 2, 3], s: ["a", null, "c"] });
    expect(out.sizes).toEqual([1, 1, 1]);
  });

  it("names the column whose type or presence differs", () => {
    const a = sourcePlan(schemaOf({ x: { type: new Int32(), values: [] } }));
    const b = sourcePlan(schemaOf({ x: { type: new Int64(), values: [] } }));
    const c = sourcePlan(schemaOf({ y: { type: new Int32(), values: [] } }));
    expect(() => concatPlan([a, b])).toThrow(/column "x" is int32 in input 1 but int64 in input 2/);
    expect(() => concatPlan([a, c])).toThrow(/input 2 has no column "x" \(its columns are "y"\)/);
  });
});
