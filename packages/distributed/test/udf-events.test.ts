// udf:* events of UDF calls on the workers reach the runner's subscribers, batched.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { col, DataFrame, type DeftEvent, readParquet, udf } from "@deft/core";
import { type RedisRunner, redisRunner } from "@deft/distributed";
import { QueueEvents } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cluster, redisServer, startCluster } from "./cluster.js";

const N = 3_000;
let dir: string;
let file: string;
let cluster: Cluster;
let runner: RedisRunner;

const triple = udf(
  async (x: number) => {
    await new Promise((r) => setTimeout(r, 2));
    if (x % 1000 === 7) throw new Error(`no triple for ${x}`);
    return x * 3;
  },
  { name: "triple", returns: "int64", maxConcurrency: 20, onError: "null" },
);

type Udf = Extract<DeftEvent, { type: `udf:${string}` }>;

describe.skipIf(!redisServer)("UDF events from the workers", () => {
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "deft-dist-events-"));
    file = path.join(dir, "in.parquet");
    const x = Array.from({ length: N }, (_, i) => i);
    await DataFrame.fromColumns({ x }).writeParquet(file, { rowGroupSize: 500 });
    cluster = await startCluster({ workers: 2 });
    runner = redisRunner({ url: cluster.url, workDir: cluster.workDir });
  }, 120_000);
  afterAll(async () => {
    await runner?.close();
    await cluster?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Every event of the run, and how many progress messages went through Redis meanwhile. */
  async function watch(run: (progress: (e: DeftEvent) => void) => Promise<unknown>) {
    const events: DeftEvent[] = [];
    const connection = new Redis(cluster.url, { maxRetriesPerRequest: null });
    const queueEvents = new QueueEvents("deft-tasks", { connection });
    await queueEvents.waitUntilReady();
    let messages = 0;
    queueEvents.on("progress", () => messages++);
    try {
      await run((e) => events.push(e));
    } finally {
      await queueEvents.close();
      connection.disconnect();
    }
    return { events, messages };
  }

  it("the subscriber sees udf events summing to every row, each naming its worker", async () => {
    const q = () => readParquet(file, { batchSize: 100 }).withColumn("y", triple(col("x")));
    const { events, messages } = await watch((progress) => q().toColumns({ runner, progress }));
    const udfEvents = events.filter((e): e is Udf => e.type.startsWith("udf:"));
    const workers = new Set(cluster.workers.keys());
    for (const e of udfEvents) {
      expect(workers.has(e.worker!)).toBe(true);
      expect(e.task).toBeGreaterThanOrEqual(0);
      expect(e.udf).toBe("triple");
    }
    const sum = (type: string) =>
      udfEvents.filter((e) => e.type === type).reduce((n, e) => n + ("rows" in e ? e.rows : 0), 0);
    expect(sum("udf:done")).toBe(N);
    expect(sum("udf:call")).toBe(N);
    // The failures, their errors Errors again, with the row within the task's partition.
    const failures = udfEvents.filter((e) => e.type === "udf:failure");
    expect(failures.map((e) => e.task! * 500 + e.row).sort((a, b) => a - b)).toEqual([
      7, 1007, 2007,
    ]);
    for (const f of failures) {
      expect(f.error).toBeInstanceOf(Error);
      expect(f.error.message).toMatch(/^no triple for \d*7$/);
    }
    // One UDF operator of this run: started before its first event, ended after its last.
    const id = udfEvents[0]!.id;
    expect(new Set(udfEvents.map((e) => e.id))).toEqual(new Set([id]));
    const start = events.findIndex((e) => e.type === "operator:start" && e.id === id);
    const end = events.findIndex((e) => e.type === "operator:end" && e.id === id);
    expect(events[start]).toMatchObject({ name: "Udf[triple]" });
    expect(start).toBeLessThan(events.indexOf(udfEvents[0]!));
    expect(end).toBeGreaterThan(events.indexOf(udfEvents.at(-1)!));
    expect(events[end]).toMatchObject({ rows: N });
    // Batched: a few Redis messages per task, not one per row or per batch.
    expect(messages).toBeGreaterThan(0);
    expect(messages).toBeLessThan(N / 20);
  }, 120_000);

  it("a write from the workers reports its UDF rows too", async () => {
    const out = path.join(dir, "out");
    const q = () => readParquet(file, { batchSize: 250 }).withColumn("y", triple(col("x")));
    const { events } = await watch((progress) => q().writeParquet(`${out}/`, { runner, progress }));
    const done = events.filter((e) => e.type === "udf:done");
    expect(done.reduce((n, e) => n + (e.type === "udf:done" ? e.rows : 0), 0)).toBe(N);
    expect(new Set(done.map((e) => e.type === "udf:done" && e.worker)).size).toBeGreaterThan(0);
    expect(await readParquet(out).toColumns()).toEqual(await q().toColumns());
  }, 120_000);

  it("without a subscriber the workers send no progress", async () => {
    const q = () => readParquet(file, { batchSize: 500 }).withColumn("y", triple(col("x")));
    const { messages } = await watch(() => q().toColumns({ runner }));
    expect(messages).toBe(0);
  }, 120_000);
});
