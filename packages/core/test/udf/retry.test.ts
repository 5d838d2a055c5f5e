// The one retry policy (UDF rows and batches, worker tasks, pipeline nodes), on real timers.
import { RetryAfterError, withRetry } from "@deft/core/internal";
import { describe, expect, it } from "vitest";

describe("withRetry", () => {
  it("returns a sync value without retrying, and an async one awaited", async () => {
    await expect(withRetry(() => 7, { retries: 2 })).resolves.toEqual({ ok: true, value: 7 });
    await expect(withRetry(async () => 8, { retries: 0 })).resolves.toEqual({
      ok: true,
      value: 8,
    });
  });

  it("retries up to `retries` times, reporting each attempt and the backoff", async () => {
    const seen: [number, number][] = [];
    let calls = 0;
    const r = await withRetry(
      () => {
        calls++;
        throw new Error(`no ${calls}`);
      },
      { retries: 2 },
      { retry: (attempt, delayMs) => seen.push([attempt, delayMs]) },
    );
    expect(r).toMatchObject({ ok: false, attempts: 3, why: "exhausted" });
    expect((r as { error: Error }).error.message).toBe("no 3");
    expect(calls).toBe(3);
    expect(seen.map(([a]) => a)).toEqual([1, 2]);
    // Full jitter between half and all of 100 ms, then of 200 ms.
    expect(seen[0]![1]).toBeGreaterThanOrEqual(50);
    expect(seen[0]![1]).toBeLessThanOrEqual(100);
    expect(seen[1]![1]).toBeGreaterThanOrEqual(100);
    expect(seen[1]![1]).toBeLessThanOrEqual(200);
  });

  it("waits the delay a RetryAfterError asks for, then succeeds", async () => {
    const delays: number[] = [];
    let calls = 0;
    const t0 = performance.now();
    const r = await withRetry(
      async () => {
        if (++calls < 3) throw new RetryAfterError(30);
        return "ok";
      },
      { retries: 5 },
      { retry: (_a, ms) => delays.push(ms) },
    );
    expect(r).toEqual({ ok: true, value: "ok" });
    expect(delays).toEqual([30, 30]);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(55);
  });

  it("times out an async attempt, naming the caller", async () => {
    const r = await withRetry(() => new Promise((res) => setTimeout(res, 500)), {
      retries: 0,
      timeoutMs: 20,
      name: "slowpoke",
    });
    expect(r).toMatchObject({ ok: false, attempts: 1, why: "exhausted" });
    expect(String((r as { error: Error }).error)).toContain(
      'UDF "slowpoke" call timed out after 20 ms',
    );
  });

  it("does not retry a fatal error", async () => {
    let calls = 0;
    const r = await withRetry(
      () => {
        calls++;
        throw new ReferenceError("x is not defined");
      },
      { retries: 3 },
      { fatal: (e) => e instanceof ReferenceError },
    );
    expect(r).toMatchObject({ ok: false, attempts: 1, why: "fatal" });
    expect(calls).toBe(1);
  });

  it("an abort cuts the backoff short and gives up", async () => {
    const ac = new AbortController();
    let calls = 0;
    const pending = withRetry(
      () => {
        calls++;
        throw new RetryAfterError(60_000);
      },
      { retries: 1 },
      { signal: ac.signal, retry: () => setTimeout(() => ac.abort(), 5) },
    );
    // Without the abort this would sleep a minute and the test would time out.
    await expect(pending).resolves.toMatchObject({ ok: false, attempts: 1, why: "stopped" });
    expect(calls).toBe(1);
  });
});
