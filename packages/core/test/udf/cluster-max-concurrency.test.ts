import { col, DataFrame, udf } from "@deft/core";
import type { Vector } from "apache-arrow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CountingServer, startCountingServer } from "./counting-server.js";

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An async UDF that records how many of its calls are in flight at once. */
function counted(opts: { maxConcurrency: number; clusterMaxConcurrency?: number }) {
  const seen = { open: 0, peak: 0, calls: 0 };
  const f = udf(
    async (x: number, cx: { attempt: number }) => {
      seen.open++;
      seen.calls++;
      seen.peak = Math.max(seen.peak, seen.open);
      try {
        await sleep(5);
        // Every odd row fails its first attempt: the retry takes a permit of its own.
        if (x % 2 === 1 && cx.attempt === 1) throw new Error(`flaky ${x}`);
        return x * 2;
      } finally {
        seen.open--;
      }
    },
    { returns: "float64", retries: 1, ...opts },
  );
  return { f, seen };
}

describe("clusterMaxConcurrency without a runner", () => {
  let server: CountingServer;
  beforeAll(async () => {
    server = await startCountingServer(20);
  });
  afterAll(() => server.close());

  it("caps an async row UDF's calls in flight in the process, retries included", async () => {
    const capped = counted({ maxConcurrency: 8, clusterMaxConcurrency: 3 });
    const df = DataFrame.fromColumns({ x: Float64Array.from(range(200)) }).intoBatches(40);
    const out = await df.withColumn("y", capped.f(col("x"))).toColumns();
    expect(out.y).toEqual(range(200).map((x) => x * 2));
    expect(capped.seen.calls).toBe(300);
    expect(capped.seen.peak).toBe(3);
    // The same UDF with maxConcurrency alone overlaps more calls.
    const free = counted({ maxConcurrency: 8 });
    await df.withColumn("y", free.f(col("x"))).toColumns();
    expect(free.seen.peak).toBe(8);
  });

  it("takes the smaller of maxConcurrency and clusterMaxConcurrency", async () => {
    const capped = counted({ maxConcurrency: 2, clusterMaxConcurrency: 5 });
    const df = DataFrame.fromColumns({ x: Float64Array.from(range(60)) });
    await df.withColumn("y", capped.f(col("x"))).toColumns();
    expect(capped.seen.peak).toBe(2);
  });

  it("caps an async batch UDF's calls in flight", async () => {
    const seen = { open: 0, peak: 0 };
    const f = udf.batch(
      async (xs: Vector) => {
        seen.open++;
        seen.peak = Math.max(seen.peak, seen.open);
        await sleep(10);
        seen.open--;
        return Float64Array.from(xs, (v) => Number(v) + 1);
      },
      { returns: "float64", batchSize: 10, maxConcurrency: 8, clusterMaxConcurrency: 2 },
    );
    const out = await DataFrame.fromColumns({ x: Float64Array.from(range(200)) })
      .withColumn("y", f(col("x")))
      .toColumns();
    expect(out.y).toEqual(range(200).map((x) => x + 1));
    expect(seen.peak).toBe(2);
  });

  it("caps the calls of a UDF on worker threads across all its threads", async () => {
    // Two threads, each allowed 8 calls at once: 16 without the cap. The server counts.
    const fetchDouble = udf(
      async (url: string) => {
        const res = await fetch(url);
        return Number(await res.text());
      },
      { returns: "float64", workers: 2, maxConcurrency: 8, clusterMaxConcurrency: 3 },
    );
    server.reset();
    const urls = range(90).map((x) => `${server.url}?x=${x}`);
    const out = await DataFrame.fromColumns({ url: urls })
      .intoBatches(30)
      .withColumn("y", fetchDouble(col("url")))
      .toColumns();
    expect(out.y).toEqual(range(90).map((x) => x * 2));
    expect(server.peak()).toBe(3);
    expect(server.answered()).toBe(90);
  });

  it("explain shows the option", () => {
    const { f } = counted({ maxConcurrency: 8, clusterMaxConcurrency: 3 });
    const plan = DataFrame.fromColumns({ x: [1] })
      .withColumn("y", f(col("x")))
      .explain({ physical: true });
    expect(plan).toContain("maxConcurrency=8, clusterMaxConcurrency=3");
  });
});

describe("clusterMaxConcurrency validation", () => {
  it("fails at the call, naming the UDF", () => {
    async function fetchTitle(url: string) {
      return url;
    }
    for (const bad of [0, -2, 2.5, "3", Number.POSITIVE_INFINITY]) {
      expect(() =>
        udf(fetchTitle, { returns: "utf8", clusterMaxConcurrency: bad as number }),
      ).toThrow(/udf\(\): clusterMaxConcurrency of UDF "fetchTitle" must be a positive integer/);
    }
    expect(() =>
      udf.batch((xs: Vector) => xs, {
        returns: "utf8",
        name: "titles",
        clusterMaxConcurrency: 0,
      }),
    ).toThrow(/udf\.batch\(\): clusterMaxConcurrency of UDF "titles" .* got 0/);
    class Embedder {
      call(s: string) {
        return s;
      }
    }
    expect(() => udf.cls(Embedder, { returns: "utf8", clusterMaxConcurrency: 1.5 })).toThrow(
      /udf\.cls\(\): clusterMaxConcurrency of UDF "Embedder" .* got 1\.5/,
    );
  });
});
