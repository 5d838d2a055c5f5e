import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { col, DataFrame, readParquet, udf } from "@deft/core";
import { type RedisRunner, redisRunner } from "@deft/distributed";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CountingServer, startCountingServer } from "../../core/test/udf/counting-server.js";
import { type Cluster, redisServer, startCluster } from "./cluster.js";

const GROUPS = 12;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The UDF under test: one request per row to the counting server, which doubles x. */
function fetchDouble(opts: { maxConcurrency: number; clusterMaxConcurrency?: number }) {
  return udf(
    async (url: string) => {
      const res = await fetch(`${url}&pid=${process.pid}`);
      if (!res.ok) throw new Error(`HTTP ${res.status} from ${url}`);
      return Number(await res.text());
    },
    { returns: "float64", name: "fetchDouble", ...opts },
  );
}

let dir: string;
let cluster: Cluster;
let runner: RedisRunner;
let server: CountingServer;
let redis: Redis;

/** `rows` rows (x, url) in GROUPS row groups: GROUPS tasks, spread over the workers. */
async function urlScan(name: string, rows: number) {
  const file = path.join(dir, name);
  const x = Array.from({ length: rows }, (_, i) => i);
  const url = x.map((i) => `${server.url}?x=${i}`);
  await DataFrame.fromColumns({ x, url }).writeParquet(file, { rowGroupSize: rows / GROUPS });
  return () => readParquet(file, { batchSize: rows / GROUPS });
}

/** Permits of the run's budgets whose holder is `worker` (permit ids start with its name). */
async function victimPermits(worker: string): Promise<number> {
  let n = 0;
  for (const key of await redis.keys("deft:permits:*"))
    n += (await redis.zrange(key, 0, -1)).filter((id) => id.startsWith(`${worker}:`)).length;
  return n;
}

describe.skipIf(!redisServer)("clusterMaxConcurrency across worker processes", () => {
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "deft-dist-permits-"));
    server = await startCountingServer(40);
    cluster = await startCluster({ workers: 3 });
    runner = redisRunner({ url: cluster.url, workDir: cluster.workDir });
    redis = new Redis(cluster.url);
  }, 60_000);
  afterAll(async () => {
    redis?.disconnect();
    await runner?.close();
    await cluster?.stop();
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("3 workers never have more than 3 calls in flight between them, and reach 3", async () => {
    const scan = await urlScan("a.parquet", 300);
    const expected = Array.from({ length: 300 }, (_, i) => i * 2);
    // Without the cluster budget the workers overlap far more than 3 calls.
    server.reset();
    const stages = runner.status().stages.length;
    const free = await scan()
      .withColumn("y", fetchDouble({ maxConcurrency: 8 })(col("url")))
      .toColumns({ runner });
    expect(free.y).toEqual(expected);
    expect(server.peak()).toBeGreaterThan(3);
    expect(runner.status().stages.slice(stages)).toMatchObject([{ tasks: GROUPS, done: GROUPS }]);

    server.reset();
    const q = scan().withColumn(
      "y",
      fetchDouble({ maxConcurrency: 8, clusterMaxConcurrency: 3 })(col("url")),
    );
    const before = runner.status().workers;
    const out = await q.toColumns({ runner });
    expect(out.y).toEqual(expected);
    expect(server.answered()).toBe(300);
    expect(server.peak()).toBe(3);
    // Every worker took tasks (so the cap held across processes, not within one).
    const after = runner.status().workers;
    const busy = Object.keys(after).filter((w) => after[w]!.done > (before[w]?.done ?? 0));
    expect(busy.length).toBe(3);
    // The run's budgets are gone from Redis once it ended.
    expect(await redis.keys("deft:permits:*")).toEqual([]);
  }, 60_000);

  it("the cap holds for a UDF on worker threads inside each worker process", async () => {
    const scan = await urlScan("c.parquet", 240);
    const threaded = udf(
      async (url: string) => {
        const res = await fetch(`${url}&pid=${process.pid}`);
        return Number(await res.text());
      },
      { returns: "float64", workers: 2, maxConcurrency: 8, clusterMaxConcurrency: 3 },
    );
    server.reset();
    const out = await scan()
      .withColumn("y", threaded(col("url")))
      .toColumns({ runner });
    expect(out.y).toEqual(Array.from({ length: 240 }, (_, i) => i * 2));
    expect(server.peak()).toBe(3);
    expect(await redis.keys("deft:permits:*")).toEqual([]);
  }, 60_000);

  it("a worker killed holding permits: its leases expire, its task reruns, the cap holds", async () => {
    const rows = 600;
    const scan = await urlScan("b.parquet", rows);
    server.reset();
    const run = scan()
      .withColumn("y", fetchDouble({ maxConcurrency: 8, clusterMaxConcurrency: 3 })(col("url")))
      .toColumns({ runner });
    let settled = false;
    void run.finally(() => {
      settled = true;
    });
    // Wait until a worker has requests open (it holds permits), then kill it.
    let victim: string | undefined;
    while (!victim) {
      if (settled) throw new Error("the run ended before a worker could be killed");
      await sleep(20);
      if (server.answered() < 20) continue;
      const open = server.openByPid();
      for (const [name, child] of cluster.workers)
        if (child.pid !== undefined && (open.get(child.pid) ?? 0) > 0) victim = name;
    }
    const peakBeforeKill = server.peak();
    await cluster.killWorker(victim);
    // Its permits are still out (their leases run on), and no one else may use them...
    const held = await victimPermits(victim);
    expect(held).toBeGreaterThan(0);
    // ... until the leases lapse (5 s): the budget is whole again.
    await sleep(6500);
    expect(await victimPermits(victim)).toBe(0);
    const peakAfterKill = server.peak();
    server.reset();
    const out = await run;
    expect(out.y).toEqual(Array.from({ length: rows }, (_, i) => i * 2));
    expect(peakBeforeKill).toBeLessThanOrEqual(3);
    expect(peakAfterKill).toBeLessThanOrEqual(3);
    // After the leases expired the remaining rows ran 3 at a time again.
    expect(server.peak()).toBe(3);
    // The dead worker's task ran again elsewhere.
    expect(runner.status().stages.at(-1)!.retried).toBeGreaterThan(0);
    expect(await redis.keys("deft:permits:*")).toEqual([]);
    await cluster.startWorker(victim);
  }, 90_000);
});
