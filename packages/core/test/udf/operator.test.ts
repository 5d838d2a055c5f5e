import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { col } from "@deft/core";
import { RetryAfterError, udf } from "@deft/core/internal";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BatchesOperator, batchesOf, range, runUdf, sleep } from "./helpers.js";

describe("row UDFs on the main thread", () => {
  it("runs a sync function inline and keeps the pass-through columns", async () => {
    const double = udf((x: number) => x * 2, { returns: "float64" });
    const input = new BatchesOperator(
      batchesOf({ x: [1, 2, 3, 4, 5], s: ["a", "b", "c", "d", "e"] }, 2),
    );
    const r = await runUdf(input, "y", double(col("x")));
    expect(r.values).toEqual([2, 4, 6, 8, 10]);
    expect(r.batches.map((b) => b.numRows)).toEqual([2, 2, 1]);
    expect(r.batches[0]!.schema.fields.map((f) => f.name)).toEqual(["x", "s", "y"]);
    expect([...r.batches[2]!.getChild("s")!]).toEqual(["e"]);
  });

  it("passes strings, nulls and several arguments", async () => {
    const join = udf((s: string | null, n: number) => (s === null ? null : `${s}:${n}`), {
      returns: "utf8",
    });
    const input = new BatchesOperator(batchesOf({ s: ["a", null, "ü"], n: [1, 2, 3] }, 10));
    const r = await runUdf(input, "y", join(col("s"), col("n")));
    expect(r.values).toEqual(["a:1", null, "ü:3"]);
  });

  it("keeps input order for async calls with random delays (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 16 }),
        async (xs, rows, maxConcurrency) => {
          const f = udf(
            async (x: number) => {
              await sleep(Math.random() * 3);
              return x * 3 + 1;
            },
            { returns: "float64", maxConcurrency },
          );
          const r = await runUdf(new BatchesOperator(batchesOf({ x: xs }, rows)), "y", f(col("x")));
          expect(r.values).toEqual(xs.map((x) => x * 3 + 1));
        },
      ),
      { numRuns: 25 },
    );
  });

  it("shares one in-flight budget across batches", async () => {
    let inFlight = 0;
    let peak = 0;
    const f = udf(
      async (x: number) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await sleep(5);
        inFlight--;
        return x;
      },
      { returns: "float64", maxConcurrency: 8 },
    );
    // Batches of 3 rows: a per-batch limit could never reach 8 calls at once.
    const r = await runUdf(new BatchesOperator(batchesOf({ x: range(60) }, 3)), "y", f(col("x")));
    expect(r.values).toEqual(range(60));
    expect(peak).toBe(8);
  });

  it("does not let a slow row hold back the rows after it", async () => {
    const started: number[] = [];
    const f = udf(
      async (x: number) => {
        started.push(x);
        await sleep(x === 0 ? 500 : 2);
        if (x === 0) startedBeforeSlowEnded = started.length;
        return x;
      },
      { returns: "float64", maxConcurrency: 4 },
    );
    let startedBeforeSlowEnded = 0;
    const r = await runUdf(new BatchesOperator(batchesOf({ x: range(40) }, 10)), "y", f(col("x")));
    expect(r.values).toEqual(range(40));
    // While the slow row waited, the 3 free lanes ran every other row of its batch and all of
    // the next batch: the budget of 4 calls holds two batches (each weighs half of it), so
    // memory stays bounded while rows after the slow one keep moving.
    expect(startedBeforeSlowEnded).toBe(20);
  });

  it("runs 50 calls to a real HTTP server concurrently, in order", async () => {
    let inFlight = 0;
    let peak = 0;
    const server = createServer((req, res) => {
      peak = Math.max(peak, ++inFlight);
      setTimeout(() => {
        inFlight--;
        res.end(`page ${req.url}`);
      }, 50);
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as AddressInfo;
    try {
      const fetchPage = udf(
        async (path: string) => (await fetch(`http://127.0.0.1:${port}${path}`)).text(),
        {
          returns: "utf8",
        },
      );
      const paths = range(50).map((i) => `/p${i}`);
      const r = await runUdf(
        new BatchesOperator(batchesOf({ path: paths }, 16)),
        "page",
        fetchPage(col("path")),
      );
      expect(r.values).toEqual(paths.map((p) => `page ${p}`));
      // The server saw a batch's worth of requests at once (one after another it sees 1).
      expect(peak).toBeGreaterThanOrEqual(16);
    } finally {
      server.close();
    }
  });
});

describe("retries, timeouts and errors", () => {
  it("retries a failing row and honours RetryAfterError", async () => {
    const attempts = new Map<number, number>();
    const f = udf(
      (x: number) => {
        const a = (attempts.get(x) ?? 0) + 1;
        attempts.set(x, a);
        if (x === 2 && a === 1) throw new RetryAfterError(120);
        if (x === 3 && a < 3) throw new Error("flaky");
        return x * 10;
      },
      { returns: "float64", retries: 3 },
    );
    const t0 = performance.now();
    const r = await runUdf(new BatchesOperator(batchesOf({ x: [1, 2, 3] }, 10)), "y", f(col("x")));
    expect(r.values).toEqual([10, 20, 30]);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(115);
    expect(attempts.get(3)).toBe(3);
    const retries = r.events.filter((e) => e.type === "udf:retry");
    expect(retries.map((e) => (e.type === "udf:retry" ? [e.row, e.attempt] : null))).toContainEqual(
      [1, 1],
    );
    expect(retries.find((e) => e.type === "udf:retry" && e.row === 1)).toMatchObject({
      delayMs: 120,
    });
  });

  it("times out a call and records it under onError null", async () => {
    const f = udf(
      (x: number) => new Promise((res) => setTimeout(() => res(x), x === 1 ? 5_000 : 1)),
      {
        returns: "float64",
        timeoutMs: 50,
        onError: "null",
      },
    );
    const t0 = performance.now();
    const r = await runUdf(new BatchesOperator(batchesOf({ x: [0, 1, 2] }, 10)), "y", f(col("x")));
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(r.values).toEqual([0, null, 2]);
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]).toMatchObject({
      udf: "anonymous",
      column: "y",
      row: 1,
      inputs: [1],
      attempts: 1,
    });
    expect(r.failures[0]!.error.name).toBe("TimeoutError");
  });

  it("records failures in row order across batches with their attempts", async () => {
    const f = udf(
      async (x: number) => {
        await sleep(x % 2 ? 1 : 8);
        if (x % 3 === 0) throw new TypeError(`bad ${x}`);
        return x;
      },
      { returns: "int32", onError: "null", retries: 1, name: "picky" },
    );
    const r = await runUdf(new BatchesOperator(batchesOf({ x: range(10) }, 4)), "y", f(col("x")));
    expect(r.values).toEqual([null, 1, 2, null, 4, 5, null, 7, 8, null]);
    expect(r.failures.map((x) => x.row)).toEqual([0, 3, 6, 9]);
    expect(r.failures[1]).toMatchObject({
      udf: "picky",
      inputs: [3],
      attempts: 2,
      error: { name: "TypeError", message: "bad 3" },
    });
    expect(r.events.filter((e) => e.type === "udf:failure")).toHaveLength(4);
  });

  it('rejects under onError "raise" naming the UDF, column, row and inputs', async () => {
    const long = "x".repeat(500);
    const boom = udf(
      function boom(s: string) {
        if (s === long) throw new Error("kaput");
        return s.length;
      },
      { returns: "int32" },
    );
    const input = new BatchesOperator(batchesOf({ s: ["a", "b", "c", long, "d"] }, 2));
    const err = await runUdf(input, "len", boom(col("s"))).then(
      () => null,
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect(err!.message).toContain('UDF "boom"');
    expect(err!.message).toContain('column "len"');
    expect(err!.message).toContain("row 3");
    expect(err!.message).toContain("kaput");
    expect(err!.message).not.toContain(long);
    expect(err!.message).toContain(`"${"x".repeat(60)}`);
    expect((err!.cause as Error).message).toBe("kaput");
    expect(input.closed).toBe(true);
  });

  it("rejects a wrong return type naming the UDF", async () => {
    const f = udf((x: number) => `n${x}`, { returns: "float64", name: "stringy" });
    await expect(
      runUdf(new BatchesOperator(batchesOf({ x: [1] }, 1)), "y", f(col("x"))),
    ).rejects.toThrow(/stringy/);
  });
});

describe("abort and early stop", () => {
  it("abandons in-flight calls, never starts queued ones, rejects with AbortError", async () => {
    let started = 0;
    const f = udf(
      async (x: number) => {
        started++;
        await sleep(100);
        return x;
      },
      { returns: "float64", maxConcurrency: 4 },
    );
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 150);
    const t0 = performance.now();
    const err = await runUdf(
      new BatchesOperator(batchesOf({ x: range(100) }, 10)),
      "y",
      f(col("x")),
      {
        signal: ac.signal,
      },
    ).then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.name).toBe("AbortError");
    expect(performance.now() - t0).toBeLessThan(250);
    await sleep(250);
    // Two rounds of 4 started before the abort; nothing after it.
    expect(started).toBeLessThanOrEqual(8);
  });

  it("stops pulling input when the consumer stops", async () => {
    let calls = 0;
    const f = udf(
      async (x: number) => {
        calls++;
        return x;
      },
      { returns: "float64", maxConcurrency: 2 },
    );
    const input = new BatchesOperator(batchesOf({ x: range(1000) }, 10));
    const r = await runUdf(input, "y", f(col("x")), { take: 1 });
    expect(r.values).toEqual(range(10));
    expect(input.closed).toBe(true);
    expect(input.pulled).toBeLessThan(5);
    expect(calls).toBeLessThan(50);
  });
});
