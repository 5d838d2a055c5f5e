import { inspect } from "node:util";
import { col, DataFrame, type Expr, PlanError } from "@deft/core";
import { describe, expect, it } from "vitest";

// What a DataFrame prints without running, and the error for a predicate that is not an
// expression (a SQL-like string, as users of other libraries write).

const df = DataFrame.fromRecords([{ city: "Oslo", temp: 4.5, qty: 3 }]);

describe("DataFrame inspection", () => {
  it("String(df) and console.log name the columns and their types", () => {
    const text =
      "DataFrame [city: utf8, temp: float64, qty: float64] (lazy: .show() or .toRecords() runs it)";
    expect(String(df)).toBe(text);
    expect(`${df}`).toBe(text);
    expect(inspect(df)).toBe(text);
    expect(String(DataFrame.fromColumns({}))).toBe(
      "DataFrame [] (lazy: .show() or .toRecords() runs it)",
    );
  });

  it("filter() of a string is a PlanError that says how to write it", () => {
    const bad = () => df.filter("qty > 2" as unknown as Expr);
    expect(bad).toThrow(PlanError);
    expect(bad).toThrow(
      'filter() takes an expression, e.g. filter(col("qty").gt(2)); got the string "qty > 2" (deft does not parse expression strings).',
    );
    expect(() => df.where(undefined as unknown as Expr)).toThrow("got undefined");
    expect(df.filter(col("qty").gt(2)).explain()).toContain("Filter: (col(qty) > 2)");
  });
});
