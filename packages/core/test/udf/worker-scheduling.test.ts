// How worker UDF tasks are fed and cancelled: a slow task in the oldest batch must not idle
// the other threads, and the run's abort signal carries no per-task listeners.
import { getEventListeners } from "node:events";
import { col } from "@deft/core";
import { fromModule, udf } from "@deft/core/internal";
import { describe, expect, it } from "vitest";
import { BatchesOperator, batchesOf, range, runUdf } from "./helpers.js";

const fixtures = new URL("./fixtures/udfs.ts", import.meta.url);

describe("worker UDF scheduling", () => {
  it("keeps the other threads busy with later batches while the oldest batch has a slow row", async () => {
    const block = udf(fromModule(fixtures, "blockFor"), { returns: "float64", workers: 2 });
    // Six batches of 8 rows (two 4-row tasks each); row 0 blocks its thread for 1.5 s.
    const ms = range(48).map((i) => (i === 0 ? 1500 : 1));
    const started: number[] = [];
    let firstDone = -1;
    const r = await runUdf(new BatchesOperator(batchesOf({ ms }, 8)), "y", block(col("ms")), {
      onEvent: (e) => {
        if (e.type === "udf:call") started.push(e.row);
        if (e.type === "udf:done" && firstDone < 0) firstDone = started.length;
      },
    });
    expect(r.values).toEqual(ms);
    // While the first batch waited on its slow row, the free thread went on past batch 1.
    const beforeFirstBatch = started.slice(0, firstDone);
    expect(Math.max(...beforeFirstBatch)).toBeGreaterThanOrEqual(16);
  });

  it("puts no per-task abort listener on the run's signal (abort is covered in workers.test.ts)", async () => {
    const block = udf(fromModule(fixtures, "blockFor"), { returns: "float64", workers: 12 });
    const ac = new AbortController();
    const seen: number[] = [];
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on("warning", onWarning);
    try {
      const r = await runUdf(
        new BatchesOperator(batchesOf({ ms: new Array(48).fill(20) }, 24)),
        "y",
        block(col("ms")),
        {
          signal: ac.signal,
          onEvent: (e) => {
            if (e.type === "udf:call") seen.push(getEventListeners(ac.signal, "abort").length);
          },
        },
      );
      expect(r.values).toEqual(new Array(48).fill(20));
    } finally {
      process.off("warning", onWarning);
    }
    // 24 tasks ran, up to 12 at once; the run's signal only has the operator's own listener.
    expect(seen.length).toBe(24);
    expect(Math.max(...seen)).toBe(1);
    expect(warnings).not.toContain("MaxListenersExceededWarning");
  });
});
