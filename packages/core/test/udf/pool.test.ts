// The worker pool's threads start when a run that needs them starts, loading the UDF while
// the input is still being read, so the first batch does not wait for a cold thread.
import { col } from "@deft/core";
import { closeWorkerPool, fromModule, udf, workerPoolThreads } from "@deft/core/internal";
import type { RecordBatch } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { BatchesOperator, batchesOf, range, runUdf } from "./helpers.js";

const fixtures = new URL("./fixtures/udfs.ts", import.meta.url);

/** Batches whose first one is held back until `release()`. */
class HeldBatches extends BatchesOperator {
  private open!: () => void;
  private readonly gate = new Promise<void>((r) => {
    this.open = r;
  });
  waiting = false;
  release(): void {
    this.open();
  }
  override async *execute(): AsyncGenerator<RecordBatch> {
    this.waiting = true;
    await this.gate;
    yield* super.execute();
  }
}

async function until(what: string, ok: () => boolean, ms: number): Promise<void> {
  const deadline = performance.now() + ms;
  while (!ok()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("worker pool start", () => {
  it("starts the threads as the run starts, before the first batch arrives", async () => {
    await closeWorkerPool();
    expect(workerPoolThreads()).toBe(0);
    const f = udf(fromModule(fixtures, "whereAmI"), { returns: "utf8", workers: 2 });
    const input = new HeldBatches(batchesOf({ x: range(8) }, 4));
    const run = runUdf(input, "y", f(col("x")));
    await until("the input to be read", () => input.waiting, 10_000);
    // No batch has reached the UDF yet, and the threads are there.
    await until("two threads", () => workerPoolThreads() === 2, 30_000);
    expect(input.pulled).toBe(0);
    input.release();
    const r = await run;
    expect(r.values.map((v) => String(v).split(":")[1])).toEqual(range(8).map(String));
  });

  it("a UDF that cannot load still fails its first real task, naming the problem", async () => {
    await closeWorkerPool();
    const f = udf(fromModule(fixtures, "noSuchExport"), { returns: "utf8", workers: 1 });
    const err = await runUdf(
      new BatchesOperator(batchesOf({ x: range(2) }, 2)),
      "y",
      f(col("x")),
    ).then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.message).toContain('has no export "noSuchExport"');
  });
});
