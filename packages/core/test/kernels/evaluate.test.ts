// evaluate() over batches that are slices of bigger ones: values arrive re-based but validity
// and bool bitmaps keep a bit offset that is not a multiple of 8, and Utf8/List offsets do
// not start at 0. Every kernel must read them right.
import { col, lit, when } from "@deft/core";
import { compile, type ExprNode, evaluate, valuesOf } from "@deft/core/internal";
import { Bool, Field, Float64, Int32, Int64, List, type RecordBatch, Utf8 } from "apache-arrow";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arrowBatch, type Cols } from "../helpers.js";

function cols(
  rows: {
    i: number | null;
    f: number | null;
    b: boolean | null;
    s: string | null;
    l: number[] | null;
    g: bigint | null;
  }[],
): Cols {
  return {
    i: { type: new Int32(), values: rows.map((r) => r.i) },
    f: { type: new Float64(), values: rows.map((r) => r.f) },
    b: { type: new Bool(), values: rows.map((r) => r.b) },
    s: { type: new Utf8(), values: rows.map((r) => r.s) },
    l: { type: new List(new Field("item", new Int32(), true)), values: rows.map((r) => r.l) },
    g: { type: new Int64(), values: rows.map((r) => r.g) },
  };
}

const rowArb = fc.record({
  i: fc.option(fc.integer({ min: -50, max: 50 }), { freq: 3 }),
  f: fc.option(fc.double({ min: -10, max: 10, noNaN: true }), { freq: 3 }),
  b: fc.option(fc.boolean(), { freq: 3 }),
  s: fc.option(fc.constantFrom("", "a", "ab", "é", "b-a", "xyz"), { freq: 3 }),
  l: fc.option(fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 3 }), { freq: 3 }),
  g: fc.option(fc.bigInt({ min: -100n, max: 100n }), { freq: 3 }),
});

const exprs: ExprNode[] = [
  col("i").add(col("f")).node,
  col("i").mul(3).mod(7).node,
  col("b").and(col("i").gt(0)).node,
  col("b").or(col("f").lt(0)).not().node,
  col("i").isNull().node,
  col("s").isNotNull().node,
  col("f").fillNull(col("i").cast("float64")).node,
  col("s").fillNull("?").node,
  col("s").str.length().node,
  col("s").str.contains("a").node,
  col("s").str.upper().node,
  col("s").str.split("-").node,
  col("s").eq("ab").node,
  col("s").isIn(["a", "xyz"]).node,
  col("l").list.length().node,
  col("l").list.get(-1).node,
  col("g").add(col("i")).node,
  col("g").cast("float64").node,
  when(col("b")).then(col("i")).otherwise(lit(-1)).node,
  when(col("i").gt(0)).then(col("s")).otherwise(lit("neg")).node,
];

describe("evaluate over sliced batches (bit offsets, offsets not at 0)", () => {
  it("gives the same values as over a fresh batch of the same rows", () => {
    fc.assert(
      fc.property(
        fc.array(rowArb, { minLength: 1, maxLength: 40 }),
        fc.nat(),
        fc.nat(),
        (rows, x, y) => {
          const whole = arrowBatch(cols(rows));
          const start = x % rows.length;
          const len = y % (rows.length - start + 1);
          const sliced: RecordBatch = whole.slice(start, start + len);
          const fresh = arrowBatch(cols(rows.slice(start, start + len)));
          for (const e of exprs) {
            const got = valuesOf(evaluate(e, sliced));
            const want = valuesOf(evaluate(e, fresh));
            expect(got).toEqual(want);
            expect(got).toHaveLength(len);
          }
        },
      ),
      { numRuns: 80 },
    );
  });
});

describe("compile caches by expression shape, literal types and schema", () => {
  const batch = arrowBatch({ i: { type: new Int32(), values: [1, 2] } });

  it("the same expression against the same schema is one program", () => {
    expect(compile(col("i").add(1).node, batch.schema)).toBe(
      compile(col("i").add(1).node, batch.schema),
    );
  });

  it("(-b).fillNull(a) and -(b.fillNull(a)) are different programs (found by the property test)", () => {
    const nb = arrowBatch({
      a: { type: new Float64(), values: [0, 1] },
      b: { type: new Float64(), values: [null, 2] },
    });
    const negThenFill = col("b").neg().fillNull(col("a")).node;
    const fillThenNeg = col("b").fillNull(col("a")).neg().node;
    // Either order first: the second must not reuse the first's generated loop.
    const first = valuesOf(evaluate(fillThenNeg, nb));
    const second = valuesOf(evaluate(negThenFill, nb));
    expect(first.map((x) => Object.is(x, -0))).toEqual([true, false]);
    expect(second).toEqual([0, -2]);
    expect(Object.is(second[0], -0)).toBe(false);
  });

  it("a pinned literal type or another schema gets its own program", () => {
    const weak = compile(col("i").add(1).node, batch.schema);
    const pinned = compile(col("i").add(lit(1, "float64")).node, batch.schema);
    expect(pinned).not.toBe(weak);
    expect(String(weak(batch).type)).toBe("Int32");
    expect(String(pinned(batch).type)).toBe("Float64");
    const other = arrowBatch({ i: { type: new Float64(), values: [1.5] } });
    expect(String(compile(col("i").add(1).node, other.schema)(other).type)).toBe("Float64");
  });

  it("a batch with nulls after one without gets a loop that reads validity", () => {
    const p = compile(col("i").mul(2).node, batch.schema);
    expect(valuesOf(p(batch))).toEqual([2, 4]);
    const withNull = arrowBatch({ i: { type: new Int32(), values: [null, 3] } });
    expect(valuesOf(p(withNull))).toEqual([null, 6]);
    expect(valuesOf(p(batch))).toEqual([2, 4]);
  });
});
