import { col, DataFrame, type Expr } from "@deft/core";
import { factorDisjunctions, formatPlan, runBatches } from "@deft/core/internal";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

// Tests every branch of an OR shares are taken out of it: (a AND b) OR (a AND c) is
// a AND (b OR c), in SQL's three-valued logic too, so the filter keeps the same rows.

const df = DataFrame.fromColumns({
  x: [1, 2, null, 4, 5, 6, null, 8],
  y: [10, null, 30, 40, 50, null, 70, 80],
  s: ["a", "b", "a", null, "b", "a", "b", "a"],
});
const factored = (d: DataFrame): string =>
  formatPlan(
    runBatches(d.plan, [{ name: "t", strategy: "once", rules: [factorDisjunctions] }]),
  ).split("\n")[0]!;

const a = col("s").eq("a");
const b = col("x").gt(2);
const c = col("y").lt(60);

describe("factorDisjunctions", () => {
  it("takes a shared test out of every branch", () => {
    expect(factored(df.filter(a.and(b).or(c.and(a))))).toBe(
      'Filter: ((col(s) == "a") AND ((col(x) > 2) OR (col(y) < 60)))',
    );
  });

  it("an OR with a branch that is only shared tests is those tests", () => {
    expect(factored(df.filter(a.and(b).or(a)))).toBe('Filter: (col(s) == "a")');
  });

  it("keeps one of two equal conjuncts and leaves ORs without shared tests", () => {
    expect(factored(df.filter(a.and(b.or(c)).and(a)))).toBe(
      'Filter: ((col(s) == "a") AND ((col(x) > 2) OR (col(y) < 60)))',
    );
    expect(factored(df.filter(b.or(c)))).toBe("Filter: ((col(x) > 2) OR (col(y) < 60))");
  });

  it("keeps the rows of the unfactored filter, nulls included (property)", async () => {
    const atoms: Expr[] = [a, b, c, col("x").isNull(), col("y").gte(40), col("s").eq("b")];
    const branch = fc.uniqueArray(fc.integer({ min: 0, max: atoms.length - 1 }), {
      minLength: 1,
      maxLength: 3,
    });
    await fc.assert(
      fc.asyncProperty(fc.array(branch, { minLength: 2, maxLength: 4 }), async (branches) => {
        const pred = branches
          .map((ix) => ix.map((i) => atoms[i]!).reduce((p, q) => p.and(q)))
          .reduce((p, q) => p.or(q));
        // The reference: the same predicate evaluated row by row with Kleene logic.
        const rows = await df.toRecords();
        const val = (i: number, r: Record<string, unknown>): boolean | null => {
          const [x, y, s] = [r.x as number | null, r.y as number | null, r.s as string | null];
          switch (i) {
            case 0:
              return s === null ? null : s === "a";
            case 1:
              return x === null ? null : x > 2;
            case 2:
              return y === null ? null : y < 60;
            case 3:
              return x === null;
            case 4:
              return y === null ? null : y >= 40;
            default:
              return s === null ? null : s === "b";
          }
        };
        const and3 = (p: boolean | null, q: boolean | null) =>
          p === false || q === false ? false : p === null || q === null ? null : true;
        const or3 = (p: boolean | null, q: boolean | null) =>
          p === true || q === true ? true : p === null || q === null ? null : false;
        const want = rows.filter(
          (r) => branches.map((ix) => ix.map((i) => val(i, r)).reduce(and3)).reduce(or3) === true,
        );
        expect(await df.filter(pred).toRecords()).toEqual(want);
      }),
      { numRuns: 150 },
    );
  });
});
