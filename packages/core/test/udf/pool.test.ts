// The worker pool's threads start when a run that needs them starts, loading the UDF while
// the input is still being read, so the first batch does not wait for a cold thread.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { col } from "@deft/core";
import {
  closeWorkerPool,
  fromModule,
  moduleNeedsTsx,
  udf,
  workerPoolThreads,
} from "@deft/core/internal";
import type { RecordBatch } from "apache-arrow";
import { afterAll, afterEach, describe, expect, it } from "vitest";
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

describe("which UDF threads load tsx", () => {
  const dir = mkdtempSync(join(tmpdir(), "deft-tsx-"));
  const url = (name: string) => pathToFileURL(join(dir, name)).href;
  writeFileSync(join(dir, "plain.js"), "export const f = (x) => x;\n");
  writeFileSync(join(dir, "typed.ts"), "export const f = (x: number) => x;\n");
  writeFileSync(join(dir, "esm.mts"), "export const f = (x: number) => x;\n");
  const options = process.env.NODE_OPTIONS;
  afterEach(() => {
    if (options === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = options;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("a TypeScript module needs it, a JavaScript module does not", () => {
    expect(moduleNeedsTsx(url("typed.ts"))).toBe(true);
    expect(moduleNeedsTsx(url("esm.mts"))).toBe(true);
    expect(moduleNeedsTsx(url("plain.js"))).toBe(false);
  });

  it("under a tsx program, a .js name that tsx maps to its .ts twin needs it", () => {
    process.env.NODE_OPTIONS = "--import tsx";
    expect(moduleNeedsTsx(url("typed.js"))).toBe(true);
    expect(moduleNeedsTsx(url("esm.mjs"))).toBe(true);
    // A real .js file loads as it is; a missing one with no twin is not tsx's business.
    expect(moduleNeedsTsx(url("plain.js"))).toBe(false);
    expect(moduleNeedsTsx(url("missing.js"))).toBe(false);
  });

  it("without tsx in the program, the .js name is taken as written", () => {
    process.env.NODE_OPTIONS = "";
    expect(moduleNeedsTsx(url("typed.js"))).toBe(mainUsesTsxNow());
  });
});

/** Whether this test process itself runs under tsx (through its own flags). */
function mainUsesTsxNow(): boolean {
  return /\btsx\b/.test(process.execArgv.join(" "));
}
