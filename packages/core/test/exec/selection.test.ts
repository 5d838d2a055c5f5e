// A filter right below a projection or an aggregation runs as that operator's selection: the
// results equal filtering first (property test against plain JS), and the physical plan says so.
import { col, DataFrame } from "@deft/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const rowArb = fc.record({
  a: fc.option(fc.integer({ min: -5, max: 5 }), { freq: 4 }),
  b: fc.option(fc.constantFrom("x", "y", "é"), { freq: 4 }),
  c: fc.double({ min: -10, max: 10, noNaN: true }),
});
type Row = { a: number | null; b: string | null; c: number };

const schema = { a: "int32", b: "utf8", c: "float64" } as const;
const keep = (r: Row) => r.a !== null && r.a > 0;

describe("filter as a selection of the operator above it", () => {
  it("project over filter: only selected rows, expressions and plain columns", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(rowArb, { maxLength: 60 }), async (rows) => {
        const all: Row[] = rows.length ? rows : [{ a: null, b: null, c: 0 }];
        // Two inputs in turn: the selection runs over several batches.
        const half = Math.ceil(all.length / 2);
        const df = DataFrame.fromRecords(all.slice(0, half), { schema })
          .concat(
            DataFrame.fromRecords(all.slice(half).length ? all.slice(half) : all.slice(0, 1), {
              schema,
            }),
          )
          .filter(col("a").gt(0))
          .select(col("b"), col("c").mul(2).alias("c2"));
        const want = [
          ...all.slice(0, half),
          ...(all.slice(half).length ? all.slice(half) : all.slice(0, 1)),
        ].filter(keep);
        expect(await df.toColumns()).toEqual({
          b: want.map((r) => r.b),
          c2: want.map((r) => r.c * 2),
        });
      }),
      { numRuns: 80 },
    );
  });

  it("the physical plan shows the predicate on the operator, with no Filter below it", () => {
    const df = DataFrame.fromRecords([{ a: 1, b: "x", c: 2 }]).filter(col("a").gt(0));
    const agg = df.groupBy("b").agg(col("c").sum()).explain({ physical: true });
    expect(agg).toMatch(/Aggregate: by col\(b\): .* where \(col\(a\) > 0\)/);
    expect(agg.split("== Physical plan")[1]).not.toMatch(/Filter/);
    const proj = df.select(col("c").add(1)).explain({ physical: true });
    expect(proj.split("== Physical plan")[1]).toMatch(/Project: .* where \(col\(a\) > 0\)/);
  });
});
