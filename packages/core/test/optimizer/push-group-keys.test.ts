import path from "node:path";
import { col, count, DataFrame, readParquet } from "@deft/core";
import { optimize, planFromJson, planToJson, pushGroupKeys } from "@deft/core/internal";
import { tableFromArrays } from "apache-arrow";
import { beforeAll, describe, expect, it } from "vitest";
import { tmpDir } from "../io/helpers.js";
import { writeWithWasm } from "../io/parquet-native/helpers.js";
import { after, lines, RecordingSource } from "./helpers.js";

// A group-by on one column names that column to the scan below it, through filters and
// projections that pass it on, so a Parquet scan can keep its dictionary codes.

/** The group keys the optimized plan gives its one scan. */
function scanKeys(df: DataFrame): string[] | undefined {
  return keysOf(optimize(df.plan));
}

function keysOf(plan: DataFrame["plan"]): string[] | undefined {
  let node = plan;
  while (node.kind !== "source") {
    if (!("input" in node)) throw new Error(`no single scan under ${node.kind}`);
    node = node.input;
  }
  return node.pushed.groupKeys;
}

describe("pushGroupKeys", () => {
  it("names the key to the scan through filters and a renaming projection", async () => {
    const src = new RecordingSource();
    const q = DataFrame.fromSource(src)
      .filter(col("a").gt(1))
      .select(col("s").alias("t"), "a")
      .groupBy("t")
      .agg(count().alias("n"));
    expect(scanKeys(q)).toEqual(["s"]);
    await q.toArrow({ threads: 1 });
    expect(src.requests.at(-1)!.groupKeys).toEqual(["s"]);
  });

  it("leaves the scan alone for two keys, a computed key or a node between that is not row-wise", () => {
    const src = () => DataFrame.fromSource(new RecordingSource());
    expect(scanKeys(src().groupBy("s", "a").agg(count().alias("n")))).toBeUndefined();
    expect(
      scanKeys(src().withColumn("u", col("s").str.upper()).groupBy("u").agg(count().alias("n"))),
    ).toBeUndefined();
    expect(scanKeys(src().sort("a").groupBy("s").agg(count().alias("n")))).toBeUndefined();
    expect(scanKeys(src().groupBy("s").agg(count().alias("n")))).toEqual(["s"]);
  });

  it("changes nothing applied again, and explain shows no hint for a scan that ignores it", () => {
    const q = DataFrame.fromSource(new RecordingSource()).groupBy("s").agg(count().alias("n"));
    const once = after(q, pushGroupKeys);
    expect(lines(once).at(-1)).toBe("  Source: rec");
    expect(optimize(optimize(q.plan))).toEqual(optimize(q.plan));
  });

  describe("on a Parquet scan", () => {
    let file: string;
    beforeAll(() => {
      file = path.join(tmpDir("deft-group-keys-"), "words.parquet");
      const words = Array.from({ length: 400 }, (_, i) => ["x", "y", "z"][i % 3]!);
      writeWithWasm(tableFromArrays({ w: words, v: Float64Array.from(words, (_, i) => i) }), file);
    });

    it("shows the key in explain and travels in the plan's JSON", async () => {
      const q = readParquet(file).groupBy("w").agg(count().alias("n"));
      expect(q.explain({ optimized: true })).toMatch(/groupKeys=\[w\]/);
      // The optimized plan, as a compute thread receives it.
      const shipped = planFromJson(JSON.parse(JSON.stringify(planToJson(optimize(q.plan)))));
      expect(keysOf(shipped)).toEqual(["w"]);
      const got = await q.toArrow({ threads: 2 });
      expect(got.toArray().map((r) => r.toJSON())).toEqual([
        { w: "x", n: 134n },
        { w: "y", n: 133n },
        { w: "z", n: 133n },
      ]);
    });
  });
});
