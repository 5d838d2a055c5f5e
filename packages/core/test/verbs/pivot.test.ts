import { DataFrame, lit, PlanError } from "@deft/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expectColumns } from "../helpers.js";

const sales = DataFrame.fromColumns(
  {
    shop: ["n", "s", "n", "n", "s", null],
    month: [2, 1, 1, 2, null, 1],
    amount: [10, 5, 7, Number.NaN, 3, 4],
  },
  { schema: { month: "int32" } },
);

describe("pivot({ index, on, values, agg })", () => {
  it("without onValues: runs the input for the on values, columns sorted, null last", async () => {
    const q = await sales.pivot({ index: "shop", on: "month", values: "amount", agg: "sum" });
    expect(q.columns).toEqual(["shop", "1", "2", "null"]);
    await expectColumns(q, {
      shop: ["n", "s", null],
      "1": [7, 5, 4],
      "2": [Number.NaN, null, null],
      null: [null, 3, null],
    });
  });
  it("with onValues: lazy, the columns in that order; an empty cell is null", async () => {
    const q = sales.pivot({
      index: "shop",
      on: "month",
      values: "amount",
      agg: "first",
      onValues: [2, 1],
    });
    expect(q.columns).toEqual(["shop", "2", "1"]);
    await expectColumns(q, { shop: ["n", "s", null], "2": [10, null, null], "1": [7, 5, 4] });
  });
  it("count and len, several values columns", async () => {
    const q = sales.withColumn("one", lit(1)).pivot({
      index: "shop",
      on: "month",
      values: ["amount", "one"],
      agg: "len",
      onValues: [1],
    });
    await expectColumns(
      q,
      { shop: ["n", "s", null], amount_1: [1, 1, 1], one_1: [1, 1, 1] },
      { int64: "number" },
    );
  });
  it("NaN is one on value (as it is one group)", async () => {
    const df = DataFrame.fromColumns({
      k: ["a", "a", "b"],
      on: [Number.NaN, 1, Number.NaN],
      v: [1, 2, 3],
    });
    const q = await df.pivot({ index: "k", on: "on", values: "v" });
    expect(q.columns).toEqual(["k", "1", "NaN"]);
    await expectColumns(q, { k: ["a", "b"], "1": [2, null], NaN: [1, 3] });
  });
  it("empty input gives no rows", async () => {
    const q = sales
      .filter(lit(false))
      .pivot({ index: "shop", on: "month", values: "amount", onValues: [1] });
    await expectColumns(q, { shop: [], "1": [] });
    const eager = await sales
      .filter(lit(false))
      .pivot({ index: "shop", on: "month", values: "amount" });
    expect(eager.columns).toEqual(["shop"]);
  });
  it("bad input", () => {
    expect(() =>
      sales.pivot({ index: "shop", on: "nope", values: "amount", onValues: [1] }),
    ).toThrow(/Unknown column "nope" in pivot\(\) on/);
    expect(() =>
      sales.pivot({
        index: "shop",
        on: "month",
        values: "amount",
        agg: "median" as never,
        onValues: [1],
      }),
    ).toThrow(/agg must be one of/);
    expect(() =>
      sales.pivot({ index: "shop", on: "shop", values: "amount", onValues: ["n"] }),
    ).toThrow(PlanError);
  });
  it("equals a plain JS reference (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: 3 }),
            fc.constantFrom("p", "q", "r"),
            fc.integer({ min: -9, max: 9 }),
          ),
          {
            maxLength: 30,
          },
        ),
        async (rows) => {
          const f = DataFrame.fromColumns(
            { k: rows.map((r) => r[0]), c: rows.map((r) => r[1]), v: rows.map((r) => r[2]) },
            { schema: { k: "int32", c: "utf8", v: "int32" } },
          );
          const keys = [...new Set(rows.map((r) => r[0]))];
          const cs = [...new Set(rows.map((r) => r[1]))].sort();
          const want: Record<string, unknown[]> = { k: keys };
          for (const c of cs)
            want[c] = keys.map((k) => {
              const vs = rows.filter((r) => r[0] === k && r[1] === c).map((r) => r[2]);
              return vs.length ? vs.reduce((a, b) => a + b, 0) : null;
            });
          const q = await f.pivot({ index: "k", on: "c", values: "v", agg: "sum" });
          await expectColumns(q, want, { int64: "number" });
        },
      ),
      { numRuns: 30 },
    );
  });
});
