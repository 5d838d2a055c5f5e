import { col, DataFrame } from "@deft/core";
import { describe, expect, it } from "vitest";
import { CountingSource, eventually } from "../helpers.js";

describe("back-pressure: a consumer that stops reading stops the source", () => {
  it("limit(5) over a 1000-batch source pulls one batch (source ignores the pushed limit)", async () => {
    const src = new CountingSource(1000, 100);
    const rows = await DataFrame.fromSource(src).limit(5).toColumns();
    expect(rows.x).toEqual([0, 1, 2, 3, 4]);
    expect(src.produced).toBeLessThanOrEqual(2);
    expect(src.closed).toBe(true);
    expect(src.requests[0]!.limit).toBe(5); // the hint was given, even though it was ignored
  });

  it("limit after a projection and a selective filter pulls only what it needs", async () => {
    const src = new CountingSource(1000, 100);
    const df = DataFrame.fromSource(src)
      .withColumn("y", col("x").mul(2))
      .filter(col("x").mod(100).eq(99)) // one row per batch
      .limit(3);
    await expect(df.toColumns()).resolves.toEqual({ x: [99, 199, 299], y: [198, 398, 598] });
    expect(src.produced).toBeGreaterThanOrEqual(3);
    expect(src.produced).toBeLessThanOrEqual(4);
  });

  it("a limit that spans batches pulls just enough batches", async () => {
    const src = new CountingSource(1000, 100);
    const n = await DataFrame.fromSource(src).limit(250).count();
    expect(n).toBe(250);
    expect(src.produced).toBeLessThanOrEqual(4);
  });

  it("breaking out of iterRows stops the source", async () => {
    const src = new CountingSource(1000, 100);
    let seen = 0;
    for await (const row of DataFrame.fromSource(src).iterRows()) {
      expect(row).toEqual({ x: seen });
      if (++seen === 150) break;
    }
    await eventually(() => src.closed);
    expect(src.produced).toBeLessThanOrEqual(3);
  });

  it("breaking out of iterBatches stops the source", async () => {
    const src = new CountingSource(1000, 10);
    let batches = 0;
    for await (const b of DataFrame.fromSource(src)
      .withColumn("y", col("x").add(1))
      .iterBatches()) {
      expect(b.numRows).toBe(10);
      if (++batches === 3) break;
    }
    await eventually(() => src.closed);
    expect(src.produced).toBeLessThanOrEqual(4);
  });

  it("a source that honours the pushed limit produces only the rows asked for", async () => {
    const src = new CountingSource(1000, 100, { honourLimit: true });
    await DataFrame.fromSource(src).select(col("x").add(1)).limit(30).toColumns();
    expect(src.produced).toBe(1);
  });
});

describe("abort", () => {
  it("an AbortController rejects the run with AbortError promptly and stops the source", async () => {
    const src = new CountingSource(1_000_000, 10, { delayMs: 2 });
    const ac = new AbortController();
    const run = DataFrame.fromSource(src)
      .withColumn("y", col("x").mul(3))
      .toArrow({ signal: ac.signal });
    await eventually(() => src.produced >= 3);
    const t0 = performance.now();
    ac.abort();
    await expect(run).rejects.toMatchObject({ name: "AbortError" });
    expect(performance.now() - t0).toBeLessThan(500);
    const at = src.produced;
    await new Promise((r) => setTimeout(r, 50));
    expect(src.produced - at).toBeLessThanOrEqual(1);
  });

  it("an already-aborted signal rejects without reading anything", async () => {
    const src = new CountingSource(10, 10);
    const ac = new AbortController();
    ac.abort();
    await expect(DataFrame.fromSource(src).collect({ signal: ac.signal })).rejects.toMatchObject({
      name: "AbortError",
    });
    expect(src.produced).toBe(0);
  });

  it("aborting a streaming iteration throws AbortError out of the for-await", async () => {
    const src = new CountingSource(1000, 10, { delayMs: 1 });
    const ac = new AbortController();
    const seen: number[] = [];
    const loop = (async () => {
      for await (const b of DataFrame.fromSource(src).iterBatches({ signal: ac.signal })) {
        seen.push(b.numRows);
        if (seen.length === 2) ac.abort(new Error("user gave up"));
      }
    })();
    await expect(loop).rejects.toMatchObject({ name: "AbortError" });
    expect(seen.length).toBe(2);
  });
});
