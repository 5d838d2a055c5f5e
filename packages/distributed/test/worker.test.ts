// Faults with real processes: a worker killed mid-stage, Redis restarted, a run aborted.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { col, DataFrame, readParquet, udf } from "@deft/core";
import { type RedisRunner, redisRunner } from "@deft/distributed";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cluster, redisServer, startCluster } from "./cluster.js";
import { afterDone, busyWorkers } from "./cluster-watch.js";

const N = 6_000;
let dir: string;
let file: string;
let cluster: Cluster;
let runner: RedisRunner;

/** 20 ms per row, 5 at once: a task of 500 rows takes about 2 s. */
const slow = udf(
  async (x: number) => {
    await new Promise((r) => setTimeout(r, 20));
    return x * 3 + 1;
  },
  { returns: "int64", maxConcurrency: 5 },
);

async function queueCounts(url: string): Promise<Record<string, number>> {
  const connection = new Redis(url, { maxRetriesPerRequest: null });
  connection.on("error", () => {});
  const q = new Queue("deft-tasks", { connection });
  try {
    return await q.getJobCounts("active", "waiting", "delayed", "prioritized");
  } finally {
    await q.close();
    connection.disconnect();
  }
}

describe.skipIf(!redisServer)("faults on a cluster of worker processes", () => {
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "deft-dist-faults-"));
    file = path.join(dir, "in.parquet");
    const x = Array.from({ length: N }, (_, i) => i);
    await DataFrame.fromColumns({ x }).writeParquet(file, { rowGroupSize: 500 });
    cluster = await startCluster({ workers: 3 });
    runner = redisRunner({ url: cluster.url, workDir: cluster.workDir });
  }, 120_000);
  afterAll(async () => {
    await runner?.close();
    await cluster?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** 12 tasks of 500 rows. */
  const query = () =>
    readParquet(file, { batchSize: 500 })
      .withColumn("y", slow(col("x")))
      .filter(col("y").gt(10));

  /** The local answer, computed once. */
  let expected: Record<string, unknown[]> | undefined;
  const local = async () => {
    expected ??= await query().toColumns();
    return expected;
  };

  it("kill -9 of a worker mid-stage: its task runs again elsewhere, every row exactly once", async () => {
    const want = await local();
    const before = runner.status().stages.length;
    const run = query().toColumns({ runner });
    await afterDone(runner, 1);
    const victim = (await busyWorkers(cluster.url))[0];
    expect(victim).toBeDefined();
    await cluster.killWorker(victim!);
    expect(await run).toEqual(want);
    const [stage] = runner.status().stages.slice(before);
    expect(stage).toMatchObject({ tasks: 12, done: 12, failed: 0 });
    expect(stage!.retried).toBeGreaterThanOrEqual(1);
  }, 120_000);

  it("abort cancels queued and running tasks and leaves nothing running", async () => {
    const ac = new AbortController();
    const run = query().toColumns({ runner, signal: ac.signal });
    await afterDone(runner, 1);
    ac.abort();
    await expect(run).rejects.toMatchObject({ name: "AbortError" });
    // The queue drains: queued tasks removed, running ones stopped by their workers.
    let counts = await queueCounts(cluster.url);
    for (let i = 0; i < 100 && counts.active! + counts.waiting! > 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      counts = await queueCounts(cluster.url);
    }
    expect(counts).toMatchObject({ active: 0, waiting: 0, delayed: 0, prioritized: 0 });
    // And the cluster still runs the next query.
    expect(await query().toColumns({ runner })).toEqual(await local());
  }, 120_000);

  it("Redis restarted between runs: the next run works", async () => {
    const q = readParquet(file, { batchSize: 500 }).filter(col("x").gt(7));
    const want = await q.toColumns();
    expect(await q.toColumns({ runner })).toEqual(want);
    await cluster.restartRedis();
    expect(await q.toColumns({ runner })).toEqual(want);
  }, 120_000);

  it("Redis restarted during a run: the run finishes with every row exactly once", async () => {
    const want = await local();
    const run = query().toColumns({ runner });
    await afterDone(runner, 1);
    await cluster.restartRedis();
    expect(await run).toEqual(want);
  }, 120_000);
});
