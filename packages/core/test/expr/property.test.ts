// Property tests: deft's compiled loops against a plain JS reference, over random nullable
// columns split into random batches (including empty ones).
import { col, DataFrame, type Expr, lit, when } from "@deft/core";
import { Bool, Float64, Int32 } from "apache-arrow";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arrowBatches } from "../helpers.js";

type Num = number | null;

const floatArb = fc.option(
  fc.oneof(fc.double({ noDefaultInfinity: false }), fc.constantFrom(0, -0, 1, -1, 0.5, Number.NaN)),
  { freq: 4 },
);
const intArb = fc.option(
  fc.oneof(fc.integer(), fc.constantFrom(0, 1, -1, 2147483647, -2147483648)),
  { freq: 4 },
);
const boolArb = fc.option(fc.boolean(), { freq: 3 });

/** Rows plus cut points inside them. */
function table<T>(cell: fc.Arbitrary<T>) {
  return fc
    .array(fc.tuple(cell, cell), { maxLength: 60 })
    .chain((rows) =>
      fc.tuple(
        fc.constant(rows),
        fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, rows.length - 1) }), { maxLength: 4 }),
      ),
    );
}

const sorted = (cuts: number[]) => [...cuts].sort((a, b) => a - b);

describe("property: binary operators vs a JS reference", () => {
  it("float64 add sub mul div mod and the six comparisons", async () => {
    await fc.assert(
      fc.asyncProperty(table(floatArb), async ([rows, cuts]) => {
        const a = rows.map((r) => r[0]);
        const b = rows.map((r) => r[1]);
        const df = DataFrame.fromArrow(
          arrowBatches(
            { a: { type: new Float64(), values: a }, b: { type: new Float64(), values: b } },
            sorted(cuts),
          ),
        );
        const ops: [string, (x: number, y: number) => unknown][] = [
          ["add", (x, y) => x + y],
          ["sub", (x, y) => x - y],
          ["mul", (x, y) => x * y],
          ["div", (x, y) => x / y],
          ["mod", (x, y) => x % y],
          ["eq", (x, y) => x === y],
          ["neq", (x, y) => x !== y],
          ["lt", (x, y) => x < y],
          ["lte", (x, y) => x <= y],
          ["gt", (x, y) => x > y],
          ["gte", (x, y) => x >= y],
        ];
        const exprs = ops.map(([op]) =>
          (col("a") as unknown as Record<string, (o: Expr) => Expr>)[op]!(col("b")).alias(op),
        );
        const got = await df.select(...exprs).toColumns();
        for (const [op, f] of ops) {
          const want = a.map((x, i) => (x === null || b[i] === null ? null : f(x, b[i]!)));
          expect(got[op], op).toEqual(want);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("int32 arithmetic wraps like 32-bit integers; mod by zero is null", async () => {
    const wrap = (x: number) => x | 0;
    await fc.assert(
      fc.asyncProperty(table(intArb), async ([rows, cuts]) => {
        const a = rows.map((r) => r[0]);
        const b = rows.map((r) => r[1]);
        const df = DataFrame.fromArrow(
          arrowBatches(
            { a: { type: new Int32(), values: a }, b: { type: new Int32(), values: b } },
            sorted(cuts),
          ),
        );
        const got = await df
          .select(
            col("a").add(col("b")).alias("add"),
            col("a").sub(col("b")).alias("sub"),
            col("a").mul(col("b")).alias("mul"),
            col("a").mod(col("b")).alias("mod"),
            col("a").neg().alias("neg"),
            col("a").lt(col("b")).alias("lt"),
            col("a").add(7).alias("add7"),
          )
          .toColumns();
        const both = (f: (x: number, y: number) => Num | boolean) =>
          a.map((x, i) => (x === null || b[i] === null ? null : f(x, b[i]!)));
        expect(got.add).toEqual(both((x, y) => wrap(x + y)));
        expect(got.sub).toEqual(both((x, y) => wrap(x - y)));
        expect(got.mul).toEqual(both((x, y) => Math.imul(x, y)));
        expect(got.mod).toEqual(both((x, y) => (y === 0 ? null : wrap(x % y))));
        expect(got.neg).toEqual(a.map((x) => (x === null ? null : wrap(-x))));
        expect(got.lt).toEqual(both((x, y) => x < y));
        expect(got.add7).toEqual(a.map((x) => (x === null ? null : wrap(x + 7))));
      }),
      { numRuns: 60 },
    );
  });

  it("and / or / not follow Kleene logic; a filter keeps exactly the true rows", async () => {
    const and3 = (x: boolean | null, y: boolean | null) =>
      x === false || y === false ? false : x === null || y === null ? null : true;
    const or3 = (x: boolean | null, y: boolean | null) =>
      x === true || y === true ? true : x === null || y === null ? null : false;
    await fc.assert(
      fc.asyncProperty(table(boolArb), async ([rows, cuts]) => {
        const a = rows.map((r) => r[0]);
        const b = rows.map((r) => r[1]);
        const df = DataFrame.fromArrow(
          arrowBatches(
            { a: { type: new Bool(), values: a }, b: { type: new Bool(), values: b } },
            sorted(cuts),
          ),
        );
        const got = await df
          .select(
            col("a").and(col("b")).alias("and"),
            col("a").or(col("b")).alias("or"),
            col("a").not().and(col("b").not()).alias("nn"),
          )
          .toColumns();
        expect(got.and).toEqual(a.map((x, i) => and3(x, b[i]!)));
        expect(got.or).toEqual(a.map((x, i) => or3(x, b[i]!)));
        expect(got.nn).toEqual(
          a.map((x, i) => and3(x === null ? null : !x, b[i] === null ? null : !b[i])),
        );
        const kept = await df.filter(col("a").or(col("b"))).toColumns();
        const idx = a.map((_, i) => i).filter((i) => or3(a[i]!, b[i]!) === true);
        expect(kept).toEqual({ a: idx.map((i) => a[i]), b: idx.map((i) => b[i]) });
      }),
      { numRuns: 60 },
    );
  });
});

// Random expression trees over two float64 columns, evaluated by deft in one fused loop and
// by a row-at-a-time JS interpreter.
type Tree =
  | { k: "col"; name: "a" | "b" }
  | { k: "lit"; v: number }
  | { k: "bin"; op: "add" | "sub" | "mul"; l: Tree; r: Tree }
  | { k: "neg"; a: Tree }
  | { k: "fill"; a: Tree; f: Tree }
  | { k: "when"; c: [Tree, Tree]; t: Tree; o: Tree };

const treeArb = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.record({
      k: fc.constant("col" as const),
      name: fc.constantFrom("a" as const, "b" as const),
    }),
    fc.record({ k: fc.constant("lit" as const), v: fc.constantFrom(0, 1, -2.5, 3) }),
    fc.record({
      k: fc.constant("bin" as const),
      op: fc.constantFrom("add" as const, "sub" as const, "mul" as const),
      l: tie("tree"),
      r: tie("tree"),
    }),
    fc.record({ k: fc.constant("neg" as const), a: tie("tree") }),
    fc.record({ k: fc.constant("fill" as const), a: tie("tree"), f: tie("tree") }),
    fc.record({
      k: fc.constant("when" as const),
      c: fc.tuple(tie("tree"), tie("tree")),
      t: tie("tree"),
      o: tie("tree"),
    }),
  ),
})).tree;

function toExpr(t: Tree): Expr {
  switch (t.k) {
    case "col":
      return col(t.name);
    case "lit":
      return lit(t.v);
    case "bin":
      return toExpr(t.l)[t.op](toExpr(t.r));
    case "neg":
      return toExpr(t.a).neg();
    case "fill":
      return toExpr(t.a).fillNull(toExpr(t.f));
    case "when":
      return when(toExpr(t.c[0]).lt(toExpr(t.c[1])))
        .then(toExpr(t.t))
        .otherwise(toExpr(t.o));
  }
}

function run(t: Tree, row: { a: Num; b: Num }): Num {
  switch (t.k) {
    case "col":
      return row[t.name];
    case "lit":
      return t.v;
    case "bin": {
      const l = run(t.l, row);
      const r = run(t.r, row);
      if (l === null || r === null) return null;
      return t.op === "add" ? l + r : t.op === "sub" ? l - r : l * r;
    }
    case "neg": {
      const v = run(t.a, row);
      return v === null ? null : -v;
    }
    case "fill":
      return run(t.a, row) ?? run(t.f, row);
    case "when": {
      const x = run(t.c[0], row);
      const y = run(t.c[1], row);
      return x !== null && y !== null && x < y ? run(t.t, row) : run(t.o, row);
    }
  }
}

describe("property: random expression trees", () => {
  it("a fused loop equals row-by-row interpretation", async () => {
    await fc.assert(
      fc.asyncProperty(treeArb, table(floatArb), async (tree, [rows, cuts]) => {
        const a = rows.map((r) => r[0]);
        const b = rows.map((r) => r[1]);
        const df = DataFrame.fromArrow(
          arrowBatches(
            { a: { type: new Float64(), values: a }, b: { type: new Float64(), values: b } },
            sorted(cuts),
          ),
        );
        const got = await df.select(toExpr(tree).alias("out")).toColumns();
        const want = a.map((x, i) => run(tree, { a: x, b: b[i]! }));
        // An all-literal tree is float64 too, so the reference matches without casts.
        expect(got.out).toEqual(want);
      }),
      { numRuns: 150 },
    );
  });
});
