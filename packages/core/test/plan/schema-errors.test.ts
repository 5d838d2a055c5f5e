// Mistakes in a plan throw when the plan is built (at the call that made them), not at run time.
import { col, DataFrame, lit, PlanError, when } from "@deft/core";
import { describe, expect, it } from "vitest";

const df = DataFrame.fromRecords([{ name: "a", n: 1, flag: true }]);

describe("schema errors at build time", () => {
  it("an unknown column is named, with the columns that exist, at the withColumn call", () => {
    let err: unknown;
    try {
      df.withColumn("y", col("nope").add(1));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PlanError);
    expect((err as Error).message).toBe(
      'withColumn("y"): Unknown column "nope". The columns are: "name", "n", "flag".',
    );
  });

  it("unknown columns in select, filter, exclude and rename say where", () => {
    expect(() => df.select("nope")).toThrow(/select\(\): Unknown column "nope"/);
    expect(() => df.filter(col("nope").gt(1))).toThrow(/filter\(\): Unknown column "nope"/);
    expect(() => df.exclude("nope")).toThrow(/Unknown column "nope" in exclude\(\)/);
    expect(() => df.rename({ nope: "x" })).toThrow(/Unknown column "nope" in rename\(\)/);
  });

  it("a column dropped by an earlier select is unknown afterwards", () => {
    expect(() => df.select("n").withColumn("z", col("name"))).toThrow(
      /Unknown column "name".*The columns are: "n"\./,
    );
  });

  it("arithmetic on a string names the column and its type", () => {
    expect(() => df.withColumn("y", col("name").add(1))).toThrow(
      /withColumn\("y"\): add\(\) needs numbers, but col\(name\) is utf8/,
    );
    expect(() => df.withColumn("y", col("name").neg())).toThrow(
      /neg\(\) needs a number, but col\(name\) is utf8/,
    );
    expect(() => df.withColumn("y", col("flag").mul(2))).toThrow(
      /mul\(\) needs numbers, but col\(flag\) is bool/,
    );
  });

  it("comparing a string with a number is a type mismatch naming both sides", () => {
    expect(() => df.filter(col("name").eq(1))).toThrow(
      /Type mismatch in \(col\(name\) == 1\): col\(name\) is utf8 but 1 is float64\. Cast one side/,
    );
  });

  it("a filter on a non-boolean says what type it got and how to fix it", () => {
    expect(() => df.filter(col("n"))).toThrow(
      /filter\(\) needs a boolean expression, but col\(n\) is float64\. Compare it/,
    );
    expect(() => df.filter(col("n").add(1))).toThrow(/needs a boolean expression/);
  });

  it("not() on a number, when() with a non-boolean condition", () => {
    expect(() => df.select(col("n").not())).toThrow(
      /not\(\) needs a boolean, but col\(n\) is float64/,
    );
    expect(() => df.select(when(lit("x")).then(1))).toThrow(/when\(\) needs a boolean condition/);
  });

  it("an aggregation inside withColumn is refused at the call with a pointer to groupBy/select", () => {
    expect(() => df.withColumn("s", col("n").sum())).toThrow(PlanError);
    expect(() => df.withColumn("s", col("n").sum())).toThrow(
      /withColumn\("s"\): col\(n\)\.sum\(\) is an aggregation .* df\.groupBy\(\.\.\.\)\.agg\(col\(n\)\.sum\(\)\), or .* df\.select\(col\(n\)\.sum\(\)\)/,
    );
  });

  it("col() with an empty name and limit() with a negative count throw", () => {
    expect(() => col("")).toThrow(/col\(\) takes a column name/);
    expect(() => df.limit(-1)).toThrow(/limit\(\) takes a whole number >= 0, got -1/);
  });

  it("valid plans build without running anything (no error until a run method)", () => {
    const ok = df
      .withColumn("m", col("n").mul(2))
      .filter(col("flag"))
      .select("m", col("name").str.upper());
    expect(ok.columns).toEqual(["m", "name"]);
  });
});
