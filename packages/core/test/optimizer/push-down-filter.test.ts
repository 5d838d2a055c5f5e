import { col, DataFrame } from "@deft/core";
import { pushDownFilter } from "@deft/core/internal";
import { describe, expect, it } from "vitest";
import { expectColumns } from "../helpers.js";
import { after, before, lines, RecordingSource } from "./helpers.js";

describe("pushDownFilter", () => {
  it("moves a filter below a projection, substituting the computed column", async () => {
    const q = DataFrame.fromSource(new RecordingSource())
      .select(col("a").mul(10).alias("x"), "s")
      .filter(col("x").gt(15));
    expect(lines(before(q))).toEqual([
      "Filter: (col(x) > 15)",
      "  Project: x=(col(a) * 10), s",
      "    Source: rec",
    ]);
    expect(lines(after(q, pushDownFilter))).toEqual([
      "Project: x=(col(a) * 10), s",
      "  Filter: ((col(a) * 10) > 15)",
      "    Source: rec",
    ]);
    await expectColumns(q, { x: [20, 30, 40], s: ["x", "y", "z"] });
  });

  it("follows renames", () => {
    const q = DataFrame.fromSource(new RecordingSource())
      .rename({ a: "alpha" })
      .filter(col("alpha").lt(2));
    expect(lines(after(q, pushDownFilter))).toEqual([
      "Project: alpha=col(a), b, c, s",
      "  Filter: (col(a) < 2)",
      "    Source: rec",
    ]);
  });

  it("merges adjacent filters into one AND (inner first)", async () => {
    const q = DataFrame.fromSource(new RecordingSource())
      .filter(col("a").gt(1))
      .filter(col("b").lt(40));
    expect(lines(after(q, pushDownFilter))).toEqual([
      "Filter: ((col(a) > 1) AND (col(b) < 40))",
      "  Source: rec",
    ]);
    await expectColumns(q.select("a"), { a: [2, 3] });
  });

  it("does not move a filter below a limit (that would change which rows are kept)", async () => {
    const q = DataFrame.fromSource(new RecordingSource()).limit(2).filter(col("a").gt(1));
    expect(after(q, pushDownFilter)).toBe(before(q));
    expect(lines(before(q))).toEqual(["Filter: (col(a) > 1)", "  Limit: 2", "    Source: rec"]);
    await expectColumns(q.select("a"), { a: [2] });
  });

  it("gives the predicate to a scan that can skip data, and still filters every row", async () => {
    const src = new RecordingSource({ usesFilter: true });
    const q = DataFrame.fromSource(src).select(col("a").add(1).alias("x")).filter(col("x").gt(3));
    expect(lines(after(q, pushDownFilter))).toEqual([
      "Project: x=(col(a) + 1)",
      "  Filter: ((col(a) + 1) > 3)",
      "    Source: rec filter=((col(a) + 1) > 3)",
    ]);
    await expectColumns(q, { x: [4, 5] });
    expect(src.requests[0]!.filter).toBeDefined();
  });

  it("a scan that cannot use filters is not told about them", () => {
    const q = DataFrame.fromSource(new RecordingSource()).filter(col("a").gt(1));
    expect(after(q, pushDownFilter)).toBe("Filter: (col(a) > 1)\n  Source: rec");
  });
});
