import { col, DataFrame } from "@deft/core";
import { pruneColumns, removeIdentityProjection } from "@deft/core/internal";
import { describe, expect, it } from "vitest";
import { expectColumns } from "../helpers.js";
import { after, before, lines, optimized, RecordingSource } from "./helpers.js";

describe("pruneColumns", () => {
  it("tells the scan to read only the columns the query uses", async () => {
    const src = new RecordingSource();
    const df = DataFrame.fromSource(src).withColumn("x", col("a").mul(2)).select("x");
    expect(lines(before(df))).toEqual([
      "Project: x",
      "  Project: a, b, c, s, x=(col(a) * 2)",
      "    Source: rec",
    ]);
    expect(lines(after(df, pruneColumns, removeIdentityProjection))).toEqual([
      "Project: x=(col(a) * 2)",
      "  Source: rec columns=[a]",
    ]);
    await expectColumns(df, { x: [2, 4, 6, 8] });
    expect(src.requests.map((r) => r.columns)).toEqual([["a"]]);
  });

  it("keeps the columns a filter reads even when the output drops them", async () => {
    const src = new RecordingSource();
    const df = DataFrame.fromSource(src).filter(col("b").gt(15)).select("s");
    expect(lines(after(df, pruneColumns, removeIdentityProjection))).toEqual([
      "Project: s",
      "  Filter: (col(b) > 15)",
      "    Source: rec columns=[b, s]",
    ]);
    await expectColumns(df, { s: ["x", "y", "z"] });
    expect(src.requests[0]!.columns).toEqual(["b", "s"]);
  });

  it("count() reads no column at all", async () => {
    const src = new RecordingSource();
    expect(await DataFrame.fromSource(src).count()).toBe(4);
    expect(src.requests[0]!.columns).toEqual([]);
  });

  it("leaves a scan alone when every column is used", () => {
    const df = DataFrame.fromSource(new RecordingSource()).withColumn(
      "d",
      col("a").add(col("b")).add(col("c")),
    );
    expect(optimized(df)).toBe(
      "Project: a, b, c, s, d=((col(a) + col(b)) + col(c))\n  Source: rec",
    );
  });

  it("exclude and rename prune too", async () => {
    const src = new RecordingSource();
    const df = DataFrame.fromSource(src).exclude("a", "b").rename({ c: "cc" }).select("cc");
    expect(optimized(df)).toBe("Project: cc=col(c)\n  Source: rec columns=[c]");
    await expectColumns(df, { cc: [0.5, 0.25, 0, -1] });
  });
});
