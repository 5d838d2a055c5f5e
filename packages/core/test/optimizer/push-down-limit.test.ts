import { col, DataFrame } from "@deft/core";
import { pushDownLimit } from "@deft/core/internal";
import { describe, expect, it } from "vitest";
import { expectColumns } from "../helpers.js";
import { after, before, lines, RecordingSource } from "./helpers.js";

describe("pushDownLimit", () => {
  it("moves below projections and tells the scan how many rows are needed", async () => {
    const src = new RecordingSource();
    const q = DataFrame.fromSource(src).withColumn("x", col("a").mul(2)).limit(2);
    expect(lines(before(q))).toEqual([
      "Limit: 2",
      "  Project: a, b, c, s, x=(col(a) * 2)",
      "    Source: rec",
    ]);
    expect(lines(after(q, pushDownLimit))).toEqual([
      "Limit: 2",
      "  Project: a, b, c, s, x=(col(a) * 2)",
      "    Source: rec limit=2",
    ]);
    await expectColumns(q.select("x"), { x: [2, 4] });
    expect(src.requests[0]!.limit).toBe(2);
  });

  it("merges adjacent limits, offsets included", async () => {
    const q = DataFrame.range(100).limit(10, 5).limit(3);
    expect(lines(after(q, pushDownLimit))).toEqual([
      "Limit: 3 offset 5",
      "  Source: range(0, 100) limit=8",
    ]);
    await expectColumns(q, { id: [5n, 6n, 7n] });
    const q2 = DataFrame.range(100).limit(3, 1).limit(10, 2);
    expect(lines(after(q2, pushDownLimit))).toEqual([
      "Limit: 1 offset 3",
      "  Source: range(0, 100) limit=4",
    ]);
    await expectColumns(q2, { id: [3n] });
  });

  it("merges limits separated by a projection", async () => {
    const q = DataFrame.range(100).limit(10, 5).withColumn("y", col("id").mul(2)).limit(3);
    expect(lines(after(q, pushDownLimit))).toEqual([
      "Limit: 3",
      "  Project: id, y=(col(id) * 2)",
      "    Limit: 3 offset 5",
      "      Source: range(0, 100) limit=8",
    ]);
    await expectColumns(q, { id: [5n, 6n, 7n], y: [10n, 12n, 14n] });
  });

  it("stops at a filter (adds no duplicate limit directly above it)", async () => {
    const q = DataFrame.range(100).filter(col("id").gt(50)).limit(2);
    expect(after(q, pushDownLimit)).toBe(before(q));
    await expectColumns(q, { id: [51n, 52n] });
  });

  it("below a projection over a filter, a limit keeps the projection from computing extra rows", () => {
    const q = DataFrame.range(100)
      .filter(col("id").gt(50))
      .withColumn("y", col("id").add(1))
      .limit(2);
    expect(lines(after(q, pushDownLimit))).toEqual([
      "Limit: 2",
      "  Project: id, y=(col(id) + 1)",
      "    Limit: 2",
      "      Filter: (col(id) > 50)",
      "        Source: range(0, 100)",
    ]);
  });

  it("limit(0) reads nothing and returns the schema", async () => {
    const q = DataFrame.range(10).limit(0);
    expect(after(q, pushDownLimit)).toBe("Limit: 0\n  Source: range(0, 10) limit=0");
    const t = await q.toArrow();
    expect(t.numRows).toBe(0);
    expect(t.schema.fields.map((f) => f.name)).toEqual(["id"]);
  });
});
