import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { threadId } from "node:worker_threads";
import { col, lit } from "@deft/core";
import { fromModule, udf } from "@deft/core/internal";
import { describe, expect, it } from "vitest";
import { BatchesOperator, batchesOf, range, runUdf } from "./helpers.js";

const fixtures = new URL("./fixtures/udfs.ts", import.meta.url);

describe("worker UDFs", () => {
  it("runs a self-contained function shipped by source on worker threads", async () => {
    const square = udf((x: number) => x * x, { returns: "float64", workers: 2 });
    const xs = range(1000);
    const r = await runUdf(new BatchesOperator(batchesOf({ x: xs }, 300)), "y", square(col("x")));
    expect(r.values).toEqual(xs.map((x) => x * x));
    // udf:call events: one per worker task, together covering every row once.
    const spans = r.events.flatMap((e) => (e.type === "udf:call" ? [[e.row, e.rows]] : []));
    expect(spans.length).toBeGreaterThanOrEqual(4);
    const covered = spans.flatMap(([row, rows]) => range(rows!).map((k) => row! + k));
    expect(covered.sort((a, b) => a - b)).toEqual(xs);
  });

  it("runs fromModule functions on several threads, off the main one, in order", async () => {
    // Ten batches of 200 ms each: which thread takes which batch is the pool's choice, but a
    // second thread that has started (the run warms both up) takes some of them.
    const where = udf(fromModule(fixtures, "whereAmISlowly"), { returns: "utf8", workers: 2 });
    const r = await runUdf(
      new BatchesOperator(batchesOf({ x: range(200) }, 20)),
      "w",
      where(col("x")),
    );
    const threads = new Set(r.values.map((v) => String(v).split(":")[0]));
    expect(r.values.map((v) => Number(String(v).split(":")[1]))).toEqual(range(200));
    expect(threads.has(String(threadId))).toBe(false);
    expect(threads.size).toBe(2);
  });

  it("says how to fix a shipped function that uses an outer variable", async () => {
    const factor = 3;
    const times = udf((x: number) => x * factor, {
      returns: "float64",
      workers: 1,
      onError: "null",
      name: "times",
    });
    const err = await runUdf(
      new BatchesOperator(batchesOf({ x: [1, 2] }, 2)),
      "y",
      times(col("x")),
    ).then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.message).toContain('UDF "times"');
    expect(err?.message).toContain("factor is not defined");
    expect(err?.message).toContain("self-contained");
    expect(err?.message).toContain("fromModule(");
  });

  it("survives a thread that exits: that task's rows fail, the run finishes", async () => {
    const crash = udf(fromModule(fixtures, "crashOn"), {
      returns: "float64",
      workers: 2,
      onError: "null",
      batchSize: 2,
    });
    const r = await runUdf(
      new BatchesOperator(batchesOf({ x: range(8) }, 8)),
      "y",
      crash(col("x")),
    );
    expect(r.values).toEqual([0, 2, null, null, 8, 10, 12, 14]);
    expect(r.failures.map((f) => f.row)).toEqual([2, 3]);
    expect(r.failures[0]!.error.message).toMatch(
      /worker task for rows 2\.\.3 failed: worker exited with code: 7/,
    );
  });

  it("retries a task whose thread crashed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "deft-udf-"));
    try {
      const crash = udf(fromModule(fixtures, "crashOnce"), {
        returns: "float64",
        workers: 2,
        retries: 1,
      });
      const r = await runUdf(
        new BatchesOperator(batchesOf({ x: range(6) }, 6)),
        "y",
        crash(lit(join(dir, "m")), col("x")),
      );
      expect(r.values).toEqual(range(6).map((x) => x * 2));
      expect(r.events.some((e) => e.type === "udf:retry")).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("constructs a udf.cls class once per worker thread and reuses it across runs", async () => {
    const tag = udf.cls(fromModule(fixtures, "Tagger"), {
      args: ["t"],
      returns: "utf8",
      workers: 2,
    });
    const seen: string[] = [];
    for (let run = 0; run < 2; run++) {
      const r = await runUdf(
        new BatchesOperator(batchesOf({ x: range(100) }, 50)),
        "t",
        tag(col("x")),
      );
      expect(r.values.map((v) => Number(String(v).split(":")[1]))).toEqual(range(100));
      seen.push(...r.values.map((v) => String(v).split(":")[0]!));
    }
    // One instance per thread: every thread id maps to a single construction number.
    const byThread = new Map<string, Set<string>>();
    for (const s of seen) {
      const [, thread, made] = s.split("/");
      byThread.set(thread!, (byThread.get(thread!) ?? new Set()).add(made!));
    }
    for (const made of byThread.values()) expect(made.size).toBe(1);
  });

  it("runs batch UDFs on workers with an exact batchSize", async () => {
    const tag = udf.cls(fromModule(fixtures, "Tagger"), {
      args: ["b"],
      returns: "utf8",
      workers: 2,
      batch: true,
      batchSize: 7,
    });
    const r = await runUdf(
      new BatchesOperator(batchesOf({ x: range(30) }, 11)),
      "t",
      tag(col("x")),
    );
    expect(r.batches.map((b) => b.numRows)).toEqual([7, 7, 7, 7, 2]);
    expect(r.values.map((v) => Number(String(v).split(":")[1]))).toEqual(range(30));
  });

  it("overlaps blocking calls across threads", async () => {
    const block = udf(fromModule(fixtures, "blockSpan"), { returns: "utf8", workers: 4 });
    const r = await runUdf(
      new BatchesOperator(batchesOf({ ms: new Array(16).fill(50) }, 16)),
      "y",
      block(col("ms")),
    );
    // Each call says which thread ran it and when: calls on different threads ran at the
    // same time (a pool that ran them one after another would show no overlap at all).
    const spans = r.values.map((v) => String(v).split(":").map(Number) as [number, number, number]);
    expect(spans).toHaveLength(16);
    expect(new Set(spans.map(([t]) => t)).size).toBeGreaterThan(1);
    const overlapping = spans.some(([ta, sa, ea], i) =>
      spans.some(([tb, sb, eb], j) => j > i && ta !== tb && sa < eb && sb < ea),
    );
    expect(overlapping).toBe(true);
  });

  it("cancels running worker tasks on abort", async () => {
    const block = udf(fromModule(fixtures, "blockFor"), { returns: "float64", workers: 2 });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const t0 = performance.now();
    const err = await runUdf(
      new BatchesOperator(batchesOf({ ms: [5000, 5000] }, 2)),
      "y",
      block(col("ms")),
      {
        signal: ac.signal,
      },
    ).then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.name).toBe("AbortError");
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it("ships inline classes and named inner functions from a tsx script (esbuild __name)", async () => {
    const script = new URL("./fixtures/inline-class-script.ts", import.meta.url).pathname;
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", script], {
      cwd: new URL("../../", import.meta.url).pathname,
      timeout: 30_000,
      env: { ...process.env, NODE_OPTIONS: "--conditions=source" },
    });
    expect(JSON.parse(stdout)).toEqual({ x: [1, 2, 3], s: [10, 20, 30], d: [2, 4, 6] });
  });

  it("lets a script that used workers exit on its own", async () => {
    const script = new URL("./fixtures/exit-script.ts", import.meta.url).pathname;
    {
      const t0 = performance.now();
      const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", script], {
        cwd: new URL("../../", import.meta.url).pathname,
        timeout: 20_000,
        env: { ...process.env, NODE_OPTIONS: "--conditions=source" },
      });
      expect(stdout.trim()).toBe("[2,3,4,5]");
      // Idle threads linger 60 s in the pool; an unref'd pool lets the process go well before.
      expect(performance.now() - t0).toBeLessThan(8000);
    }
  });
});
