import { DataFrame, lit } from "@deft/core";
import { describe, expect, it } from "vitest";
import { expectColumns, typesOf } from "../helpers.js";

const df = DataFrame.fromColumns(
  {
    x: [4, null, 1, 3, 2],
    f: [1.5, Number.NaN, null, null, 0.5],
    s: ["b", null, "a", "c", null],
    ok: [true, false, null, true, true],
    d: [new Date("2024-01-02"), null, new Date("2023-05-06"), null, null],
  },
  { schema: { x: "int32", d: "date" } },
);

describe("describe()", () => {
  it("count, null_count, mean, std, min, quartiles, max per column", async () => {
    const out = await df.describe();
    expect(typesOf(out)).toEqual({
      statistic: "utf8",
      x: "float64",
      f: "float64",
      s: "utf8",
      ok: "float64",
      d: "utf8",
    });
    const sd = Math.sqrt(((4 - 2.5) ** 2 + (1 - 2.5) ** 2 + (3 - 2.5) ** 2 + (2 - 2.5) ** 2) / 3);
    await expectColumns(out, {
      statistic: ["count", "null_count", "mean", "std", "min", "25%", "50%", "75%", "max"],
      x: [4, 1, 2.5, sd, 1, 1.75, 2.5, 3.25, 4],
      // NaN is the largest value: the mean and std are NaN, max is NaN.
      f: [3, 2, Number.NaN, Number.NaN, 0.5, 1, 1.5, Number.NaN, Number.NaN],
      s: ["3", "2", null, null, "a", null, null, null, "c"],
      ok: [4, 1, 0.75, null, 0, null, null, null, 1],
      d: ["2", "3", null, null, "2023-05-06", null, null, null, "2024-01-02"],
    });
  });
  it("empty input: zero counts, nulls elsewhere", async () => {
    const out = await df.select("x", "s").filter(lit(false)).describe();
    await expectColumns(out, {
      statistic: ["count", "null_count", "mean", "std", "min", "25%", "50%", "75%", "max"],
      x: [0, 0, null, null, null, null, null, null, null],
      s: ["0", "0", null, null, null, null, null, null, null],
    });
  });
  it("list columns: the counts only", async () => {
    const out = await DataFrame.fromRecords([{ l: [1, 2] }, { l: null }]).describe();
    await expectColumns(out.select("l"), {
      l: ["1", "1", null, null, null, null, null, null, null],
    });
  });
  it("a column named statistic keeps its name; the statistic column gets another", async () => {
    const out = await DataFrame.fromColumns({ statistic: [1, 2] }).describe();
    expect(out.columns).toEqual(["statistic_1", "statistic"]);
  });
  it("one value: std is null (n - 1 = 0)", async () => {
    const out = await DataFrame.fromColumns({ v: [7] }).describe();
    await expectColumns(out.select("v"), { v: [1, 0, 7, null, 7, 7, 7, 7, 7] });
  });
});
