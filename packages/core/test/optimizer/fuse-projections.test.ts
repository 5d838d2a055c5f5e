import { col, DataFrame } from "@deft/core";
import { fuseProjections } from "@deft/core/internal";
import { describe, expect, it } from "vitest";
import { expectColumns } from "../helpers.js";
import { after, before, lines, optimized, RecordingSource } from "./helpers.js";

describe("fuseProjections", () => {
  const df = () => DataFrame.fromSource(new RecordingSource());

  it("inlines a projection into the one above it (one compiled loop for both)", async () => {
    const q = df()
      .select(col("a").mul(2).alias("x"), "b")
      .select(col("x").add(col("b")).alias("y"));
    expect(lines(before(q))).toEqual([
      "Project: y=(col(x) + col(b))",
      "  Project: x=(col(a) * 2), b",
      "    Source: rec",
    ]);
    expect(lines(after(q, fuseProjections))).toEqual([
      "Project: y=((col(a) * 2) + col(b))",
      "  Source: rec",
    ]);
    await expectColumns(q, { y: [12, 24, 36, 48] });
  });

  it("does not inline a computed column used twice (it would be computed twice)", async () => {
    const q = df()
      .select(col("a").mul(2).alias("x"))
      .select(col("x").mul(col("x")).alias("sq"));
    expect(after(q, fuseProjections)).toBe(before(q));
    await expectColumns(q, { sq: [4, 16, 36, 64] });
  });

  it("inlines plain columns used many times (renames cost nothing)", () => {
    const q = df()
      .select(col("a").alias("z"))
      .select(col("z").mul(col("z")).alias("sq"));
    expect(after(q, fuseProjections)).toBe("Project: sq=(col(a) * col(a))\n  Source: rec");
  });

  it("chains of withColumn fuse fully once unused pass-throughs are pruned", async () => {
    const q = df().withColumn("x", col("a").mul(2)).withColumn("y", col("x").add(1)).select("y");
    expect(optimized(q)).toBe("Project: y=((col(a) * 2) + 1)\n  Source: rec columns=[a]");
    await expectColumns(q, { y: [3, 5, 7, 9] });
  });
});
