// The trailing { signal, row, attempt } of every UDF call: the signal aborts on the call's
// timeout and on the run's abort, on the main thread and on worker threads, so a fetch
// passing it on really closes its socket (watched on a local server that never answers).
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { col, type UdfCallContext } from "@deft/core";
import { fromModule, udf } from "@deft/core/internal";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BatchesOperator, batchesOf, range, runUdf } from "./helpers.js";

const fixtures = new URL("./fixtures/udfs.ts", import.meta.url);

/**
 * A server that never answers (but "/ok"): records, per request left hanging, when its socket
 * closes.
 */
let server: Server;
let url: string;
const sockets: { socket: Socket; closedAt: number | null }[] = [];
let connected: (() => void) | null = null;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === "/ok") {
      res.end("ok");
      return;
    }
    const rec = { socket: req.socket, closedAt: null as number | null };
    sockets.push(rec);
    req.socket.on("close", () => {
      rec.closedAt = performance.now();
    });
    connected?.();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  // The first aborted fetch of a process loads undici's abort path (tens of ms, more under
  // load): pay it here, so the tests below time deft's part.
  const from = sockets.length;
  const ac = new AbortController();
  connected = () => ac.abort();
  await fetch(url, { signal: ac.signal }).catch(() => {});
  connected = null;
  await allClosed(from, 5000);
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

/** Resolves when every socket opened since `from` has closed; rejects after `ms`. */
async function allClosed(from: number, ms: number): Promise<number[]> {
  const deadline = performance.now() + ms;
  for (;;) {
    const mine = sockets.slice(from);
    if (mine.length > 0 && mine.every((s) => s.closedAt !== null))
      return mine.map((s) => s.closedAt!);
    if (performance.now() > deadline) {
      throw new Error(
        `${mine.filter((s) => s.closedAt === null).length} of ${mine.length} sockets still open`,
      );
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}

const fetchIt = async (u: string, { signal }: UdfCallContext) => {
  const res = await fetch(u, { signal });
  return res.text();
};

describe("the call context", () => {
  it("gives each call its row (across batches) and attempt, 1 then 2 on a retry", async () => {
    const seen: [number, number, number][] = [];
    const f = udf(
      (x: number, { row, attempt }: UdfCallContext) => {
        seen.push([x, row, attempt]);
        if (x === 3 && attempt === 1) throw new Error("once");
        return x;
      },
      { returns: "int32", retries: 1 },
    );
    const r = await runUdf(new BatchesOperator(batchesOf({ x: range(6) }, 4)), "y", f(col("x")));
    expect(r.values).toEqual(range(6));
    expect(seen.sort((a, b) => a[1] - b[1] || a[2] - b[2])).toEqual([
      [0, 0, 1],
      [1, 1, 1],
      [2, 2, 1],
      [3, 3, 1],
      [3, 3, 2],
      [4, 4, 1],
      [5, 5, 1],
    ]);
  });

  it("a batch UDF gets its batch's first row", async () => {
    const rows: number[] = [];
    const f = udf.batch(
      (x: { length: number }, { row }: UdfCallContext) => {
        rows.push(row);
        return new Array(x.length).fill(row);
      },
      { returns: "int32" },
    );
    const r = await runUdf(new BatchesOperator(batchesOf({ x: range(6) }, 4)), "y", f(col("x")));
    expect(rows.sort()).toEqual([0, 4]);
    expect(r.values).toEqual([0, 0, 0, 0, 4, 4]);
  });

  it("a timed-out fetch closes its socket within 100 ms of the timeout (main thread)", async () => {
    const from = sockets.length;
    const abortedAt: number[] = [];
    const f = udf(
      async (u: string, cx: UdfCallContext) => {
        cx.signal.addEventListener("abort", () => abortedAt.push(performance.now()));
        return fetchIt(u, cx);
      },
      { returns: "utf8", timeoutMs: 300, onError: "null" },
    );
    const r = await runUdf(new BatchesOperator(batchesOf({ u: [url] }, 1)), "y", f(col("u")));
    expect(r.values).toEqual([null]);
    expect(r.failures.map((x) => x.error.name)).toEqual(["TimeoutError"]);
    const closed = await allClosed(from, 5000);
    expect(closed).toHaveLength(1);
    expect(abortedAt).toHaveLength(1);
    expect(closed[0]! - abortedAt[0]!).toBeLessThan(100);
  });

  it("aborting the run aborts the calls in flight and closes their sockets (main thread)", async () => {
    const from = sockets.length;
    const ac = new AbortController();
    let opened = 0;
    connected = () => {
      if (++opened === 3) ac.abort();
    };
    const f = udf(fetchIt, { returns: "utf8" });
    const err = await runUdf(
      new BatchesOperator(batchesOf({ u: [url, url, url] }, 3)),
      "y",
      f(col("u")),
      { signal: ac.signal },
    ).then(
      () => null,
      (e: Error) => e,
    );
    connected = null;
    expect(err?.name).toBe("AbortError");
    expect(await allClosed(from, 5000)).toHaveLength(3);
  });

  it("a row failing under onError raise aborts the other calls in flight", async () => {
    const from = sockets.length;
    let opened = 0;
    let fail: (() => void) | null = null;
    const failed = new Promise<void>((r) => {
      fail = r;
    });
    connected = () => {
      if (++opened === 2) fail?.();
    };
    const f = udf(
      async (u: string, cx: UdfCallContext) => {
        if (u === "bad") {
          await failed;
          throw new Error("bad row");
        }
        return fetchIt(u, cx);
      },
      { returns: "utf8" },
    );
    const err = await runUdf(
      new BatchesOperator(batchesOf({ u: [url, "bad", url] }, 3)),
      "y",
      f(col("u")),
    ).then(
      () => null,
      (e: Error) => e,
    );
    connected = null;
    expect(err?.message).toContain("bad row");
    expect(await allClosed(from, 5000)).toHaveLength(2);
  });

  it("on a worker thread, a timed-out fetch closes its socket within 100 ms of the timeout", async () => {
    const f = udf(fromModule(fixtures, "fetchWithSignal"), {
      returns: "utf8",
      workers: 1,
      timeoutMs: 500,
      onError: "null",
    });
    // A warm thread with the module loaded, so the call starts as its task is sent.
    const warm = await runUdf(
      new BatchesOperator(batchesOf({ u: [`${url}ok`] }, 1)),
      "y",
      f(col("u")),
    );
    expect(warm.failures).toEqual([]);
    expect(warm.values).toEqual(["ok"]);
    // Twice: the thread's first aborted fetch loads undici's abort path there (tens of ms).
    for (const timed of [false, true]) {
      const from = sockets.length;
      // The call's timer starts after the task is sent, so its timeout is no earlier than this.
      let timeoutNoEarlierThan = 0;
      const r = await runUdf(new BatchesOperator(batchesOf({ u: [url] }, 1)), "y", f(col("u")), {
        onEvent: (e) => {
          if (e.type === "udf:call") timeoutNoEarlierThan = performance.now() + 500;
        },
      });
      expect(r.values).toEqual([null]);
      expect(r.failures[0]?.error.name).toBe("TimeoutError");
      const [closed] = await allClosed(from, 5000);
      if (timed) expect(closed! - timeoutNoEarlierThan).toBeLessThan(100);
    }
  });

  it("on a worker thread, aborting the run aborts the call's signal (the thread lives on)", async () => {
    const from = sockets.length;
    const ac = new AbortController();
    connected = () => ac.abort();
    const f = udf(fromModule(fixtures, "fetchWithSignal"), { returns: "utf8", workers: 1 });
    const err = await runUdf(new BatchesOperator(batchesOf({ u: [url] }, 1)), "y", f(col("u")), {
      signal: ac.signal,
    }).then(
      () => null,
      (e: Error) => e,
    );
    connected = null;
    const abortedAt = performance.now();
    expect(err?.name).toBe("AbortError");
    const [closed] = await allClosed(from, 5000);
    // Well before the one-second backstop that would terminate the thread.
    expect(closed! - abortedAt).toBeLessThan(500);
  });
});
