import { execFile } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { col, type DeftEvent, readParquet, type ScanEndEvent } from "@deft/core";
import { writeParquetBatches } from "@deft/core/internal";
import { makeVector, Table, Utf8, vectorFromArray } from "apache-arrow";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { tmpDir } from "../io/helpers.js";

async function writeFile(dir: string, name: string, values: number[], rowGroupSize: number) {
  const p = path.join(dir, name);
  const t = new Table({
    x: makeVector(Int32Array.from(values)),
    // Typed explicitly: an empty file would infer Null for an untyped empty column.
    s: vectorFromArray(
      values.map((v) => `v${v % 37}`),
      new Utf8(),
    ),
  });
  await writeParquetBatches(t.batches, t.schema, p, { rowGroupSize, compression: "zstd" });
  return p;
}

const scanEnds = (events: DeftEvent[]) =>
  events.filter((e): e is ScanEndEvent => e.type === "scan:end");

describe("the threads option", () => {
  const saved = process.env.DEFT_THREADS;
  afterEach(() => {
    if (saved === undefined) delete process.env.DEFT_THREADS;
    else process.env.DEFT_THREADS = saved;
  });

  it("defaults to the available cores, DEFT_THREADS overrides it, the option overrides both", async () => {
    const dir = tmpDir();
    const file = await writeFile(dir, "t.parquet", [1, 2, 3], 10);
    const threadsOf = async (opts: { threads?: number }) => {
      const events: DeftEvent[] = [];
      await readParquet(file).toArrow({ ...opts, progress: (e) => events.push(e) });
      return scanEnds(events)[0]!.threads;
    };
    delete process.env.DEFT_THREADS;
    expect(await threadsOf({})).toBe(os.availableParallelism());
    process.env.DEFT_THREADS = "3";
    expect(await threadsOf({})).toBe(3);
    expect(await threadsOf({ threads: 1 })).toBe(1);
  });

  it("rejects a threads value that is not a positive integer, naming it", async () => {
    const df = readParquet(await writeFile(tmpDir(), "t.parquet", [1], 10));
    for (const threads of [0, -1, 1.5, Number.NaN]) {
      await expect(df.toArrow({ threads })).rejects.toThrow(
        /threads must be a positive integer \(1 runs everything on the calling thread\), got/,
      );
    }
    for (const bad of ["0", "two", "1.5"]) {
      process.env.DEFT_THREADS = bad;
      await expect(df.count()).rejects.toThrow(
        new RegExp(`environment variable DEFT_THREADS must be a positive integer, got "${bad}"`),
      );
    }
  });

  it("gives the same batches, in the same order, for threads 1, 2 and 8 (property)", async () => {
    const dir = tmpDir();
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            rows: fc.integer({ min: 0, max: 3000 }),
            rowGroupSize: fc.integer({ min: 50, max: 2000 }),
          }),
          { minLength: 1, maxLength: 3 },
        ),
        fc.integer({ min: 100, max: 5000 }),
        fc.option(fc.integer({ min: 0, max: 4000 }), { nil: undefined }),
        fc.option(fc.integer({ min: 0, max: 9000 }), { nil: undefined }),
        async (files, batchSize, limit, above) => {
          run++;
          const paths: string[] = [];
          const all: number[] = [];
          for (const [i, f] of files.entries()) {
            const values = Array.from({ length: f.rows }, (_, j) => all.length + j);
            all.push(...values);
            paths.push(await writeFile(dir, `r${run}-${i}.parquet`, values, f.rowGroupSize));
          }
          let df = readParquet(paths, { batchSize });
          if (above !== undefined) df = df.filter(col("x").gte(above));
          if (limit !== undefined) df = df.limit(limit);
          let expected = above === undefined ? all : all.filter((v) => v >= above);
          if (limit !== undefined) expected = expected.slice(0, limit);
          const results = [];
          for (const threads of [1, 2, 8]) {
            const t = await df.toArrow({ threads });
            expect([...t.getChild("x")!]).toEqual(expected);
            expect([...t.getChild("s")!]).toEqual(expected.map((v) => `v${v % 37}`));
            results.push(t.batches.map((b) => b.numRows));
          }
          expect(results[1]).toEqual(results[0]);
          expect(results[2]).toEqual(results[0]);
        },
      ),
      { numRuns: 25 },
    );
  });

  it("cuts row groups into tasks, merging small ones, and keeps their order on every thread count", async () => {
    const values = Array.from({ length: 400_000 }, (_, i) => i);
    const file = await writeFile(tmpDir(), "t.parquet", values, 50_000);
    for (const threads of [1, 2, 8]) {
      const events: DeftEvent[] = [];
      const t = await readParquet(file, { batchSize: 60_000 })
        .filter(col("x").gte(120_000))
        .limit(200_000)
        .toArrow({ threads, progress: (e) => events.push(e) });
      const x = t.getChild("x")!.toArray() as Int32Array;
      expect(x.length).toBe(200_000);
      expect(x.every((v, i) => v === 120_000 + i)).toBe(true);
      // Statistics skip row groups 0 and 1; 2..7 make tasks of >= batchSize rows: [2,3] [4,5]
      // [6,7]. On several threads each task is a partition of the filter's fragment, and the
      // partitions' scans report one scan:end between them.
      const ends = scanEnds(events);
      expect(ends).toHaveLength(1);
      expect(ends[0]).toMatchObject({ rowGroupsSkipped: 2, rowGroupsRead: 6, tasks: 3, threads });
    }
  });

  it("reports rows, batches and time of every operator through the events", async () => {
    const file = await writeFile(tmpDir(), "t.parquet", [1, 2, 3, 4, 5, 6], 2);
    const events: DeftEvent[] = [];
    await readParquet(file, { columns: ["x"] })
      .filter(col("x").gt(2))
      .sort("x", { descending: true })
      .toArrow({ threads: 2, progress: (e) => events.push(e) });
    const ends = events.flatMap((e) => (e.type === "operator:end" ? [e] : []));
    const byName = Object.fromEntries(ends.map((e) => [e.name.replace(/\[.*/, ""), e]));
    // Row group [1, 2] is skipped by its statistics: the scan passes on 4 rows.
    expect(byName.Scan).toMatchObject({ rows: 4 });
    expect(byName.Filter).toMatchObject({ rows: 4, batches: byName.Scan!.batches });
    expect(byName.Sort).toMatchObject({ rows: 4 });
    for (const e of ends) expect(e.ms).toBeGreaterThanOrEqual(0);
    const starts = events.filter((e) => e.type === "operator:start").length;
    expect(starts).toBe(ends.length);
  });

  it("lets a script that scanned on the compute threads exit on its own", async () => {
    const file = await writeFile(tmpDir(), "t.parquet", [1, 2, 3, 4, 5], 2);
    const script = new URL("./fixtures/threads-exit-script.ts", import.meta.url).pathname;
    const t0 = performance.now();
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", script, file],
      {
        cwd: new URL("../../", import.meta.url).pathname,
        timeout: 50_000,
        env: { ...process.env, NODE_OPTIONS: "--conditions=source" },
      },
    );
    expect(stdout.trim()).toBe("5 5");
    // Idle threads stay 60 s in the pool; unref'd, they let the process go well before.
    expect(performance.now() - t0).toBeLessThan(45_000);
  }, 60_000);
});
