import path from "node:path";
import { col, type Expr, lit } from "@deft/core";
import { ParquetSource, writeParquetBatches } from "@deft/core/internal";
import { tableFromArrays } from "apache-arrow";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { collect, probe, tmpDir } from "./helpers.js";

// 8 row groups of 100 rows; `a` rises with the row (so groups have narrow ranges), `b` cycles,
// `s` is a string key, `n` has nulls only in the odd groups.
const ROWS = 800;
const a = Int32Array.from({ length: ROWS }, (_, i) => i);
const b = Float64Array.from({ length: ROWS }, (_, i) => (i % 37) - 18.5);
const s = Array.from(
  { length: ROWS },
  (_, i) => `k${String(Math.floor(i / 100)).padStart(2, "0")}`,
);
const n = Array.from({ length: ROWS }, (_, i) =>
  Math.floor(i / 100) % 2 === 1 && i % 3 === 0 ? null : i,
);
let file = "";

beforeAll(async () => {
  file = path.join(tmpDir(), "prune.parquet");
  const t = tableFromArrays({ a, b, s, n: n.map((v) => (v === null ? null : BigInt(v))) });
  await writeParquetBatches(t.batches, t.schema, file, { rowGroupSize: 100 });
});

type Pred = { expr: Expr; test: (i: number) => boolean };
const ops = ["eq", "neq", "lt", "lte", "gt", "gte"] as const;
const cmp = (op: (typeof ops)[number], x: number | string, y: number | string): boolean =>
  op === "eq"
    ? x === y
    : op === "neq"
      ? x !== y
      : op === "lt"
        ? x < y
        : op === "lte"
          ? x <= y
          : op === "gt"
            ? x > y
            : x >= y;

const leaf: fc.Arbitrary<Pred> = fc.oneof(
  fc
    .tuple(fc.constantFrom(...ops), fc.integer({ min: -50, max: 850 }))
    .map(([op, v]) => ({ expr: col("a")[op](v), test: (i: number) => cmp(op, a[i]!, v) })),
  fc
    .tuple(fc.constantFrom(...ops), fc.integer({ min: -20, max: 20 }))
    .map(([op, v]) => ({ expr: col("b")[op](v), test: (i: number) => cmp(op, b[i]!, v) })),
  fc.tuple(fc.constantFrom(...ops), fc.integer({ min: 0, max: 9 })).map(([op, k]) => {
    const v = `k0${k}`;
    return { expr: col("s")[op](v), test: (i: number) => cmp(op, s[i]!, v) };
  }),
  fc
    .array(fc.integer({ min: -10, max: 900 }), { minLength: 1, maxLength: 4 })
    .map((vs) => ({ expr: col("a").isIn(vs), test: (i: number) => vs.includes(a[i]!) })),
  fc.boolean().map((neg) => ({
    expr: neg ? col("n").isNotNull() : col("n").isNull(),
    test: (i: number) => (n[i] === null) !== neg,
  })),
  fc
    .integer({ min: 0, max: 800 })
    .map((v) => ({ expr: lit(v).gt(col("a")), test: (i: number) => v > a[i]! })),
);
const pred: fc.Arbitrary<Pred> = fc.letrec((tie) => ({
  p: fc.oneof(
    { depthSize: "small" },
    leaf,
    fc
      .tuple(tie("p") as fc.Arbitrary<Pred>, tie("p") as fc.Arbitrary<Pred>)
      .map(([x, y]) => ({ expr: x.expr.and(y.expr), test: (i: number) => x.test(i) && y.test(i) })),
    fc
      .tuple(tie("p") as fc.Arbitrary<Pred>, tie("p") as fc.Arbitrary<Pred>)
      .map(([x, y]) => ({ expr: x.expr.or(y.expr), test: (i: number) => x.test(i) || y.test(i) })),
  ),
})).p;

describe("row-group pruning", () => {
  it("never drops a matching row (property, against a plain JS reference)", async () => {
    const src = new ParquetSource(file);
    let skippedSomewhere = 0;
    await fc.assert(
      fc.asyncProperty(pred, async (p) => {
        const run = probe();
        const got = await collect(src.scan({ columns: ["a"], filter: p.expr.node }, run.ctx));
        skippedSomewhere += run.scan().rowGroupsSkipped;
        const kept = new Set<number>();
        for (const batch of got) for (const v of batch.getChild("a")!) kept.add(v as number);
        for (let i = 0; i < ROWS; i++) if (p.test(i)) expect(kept.has(i)).toBe(true);
      }),
      { numRuns: 150 },
    );
    expect(skippedSomewhere).toBeGreaterThan(0);
  });

  it("skips exactly the row groups statistics rule out", async () => {
    const src = new ParquetSource(file);
    const cases: [Expr, number][] = [
      [col("a").gte(650), 6],
      [col("a").lt(100), 7],
      [col("a").eq(250).or(col("a").eq(705)), 6],
      [col("a").isIn([5, 799]), 6],
      [col("s").eq("k03"), 7],
      [col("n").isNull(), 4],
      [col("a").gt(100).and(col("a").lt(200)), 7],
      [col("b").gt(100), 8],
      [col("a").mul(2).gt(10_000), 0],
      [col("a").gt(lit(null)), 0],
    ];
    for (const [e, skipped] of cases) {
      const run = probe();
      await collect(src.scan({ filter: e.node }, run.ctx));
      expect(run.scan().rowGroupsSkipped, String(e)).toBe(skipped);
    }
  });
});
