// writeParquet(dir, { runner }): the workers write the parts, the runner commits them.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { col, DataFrame, readParquet, udf } from "@deft/core";
import { type RedisRunner, redisRunner } from "@deft/distributed";
import { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cluster, redisServer, startCluster } from "./cluster.js";
import { afterDone, busyWorkers } from "./cluster-watch.js";

const N = 6_000;
let dir: string;
let file: string;
let cluster: Cluster;
let runner: RedisRunner;
let duck: DuckDBConnection;

/** 10 ms per row, 10 at once: a task of 500 rows takes about half a second. */
const slow = udf(
  async (x: number) => {
    await new Promise((r) => setTimeout(r, 10));
    return x * 3 + 1;
  },
  { returns: "int64", maxConcurrency: 10 },
);

/** Every row of the Parquet files under `folder`, in file order, as DuckDB reads them. */
async function duckRead(folder: string, hive = false): Promise<Record<string, unknown>[]> {
  const glob = hive ? `${folder}/**/*.parquet` : `${folder}/*.parquet`;
  const reader = await duck.runAndReadAll(
    `SELECT * FROM read_parquet('${glob}', hive_partitioning = ${hive})`,
  );
  return reader.getRowObjectsJS();
}

/** Files and folders under `folder`, relative, sorted. */
function tree(folder: string): string[] {
  return (fs.readdirSync(folder, { recursive: true }) as string[]).sort();
}

/** Polls `check` every 100 ms for up to 10 s; resolves to its last answer. */
async function eventually(check: () => boolean | Promise<boolean>): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

describe.skipIf(!redisServer)("writeParquet from the workers", () => {
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "deft-dist-write-"));
    file = path.join(dir, "in.parquet");
    const x = Array.from({ length: N }, (_, i) => i);
    const k = Array.from({ length: N }, (_, i) => (i % 7 === 0 ? null : `k${i % 3}`));
    await DataFrame.fromColumns({ x, k }).writeParquet(file, { rowGroupSize: 500 });
    cluster = await startCluster({ workers: 2 });
    runner = redisRunner({ url: cluster.url, workDir: cluster.workDir });
    duck = await DuckDBConnection.create(await DuckDBInstance.create(":memory:"));
  }, 120_000);
  afterAll(async () => {
    duck?.closeSync();
    await runner?.close();
    await cluster?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** 12 tasks of 500 rows. */
  const query = () =>
    readParquet(file, { batchSize: 500 })
      .withColumn("y", col("x").mul(2))
      .filter(col("x").mod(5).neq(0));

  it("each task writes its part; DuckDB reads the folder as it reads the local write", async () => {
    const out = path.join(dir, "plain");
    const local = path.join(dir, "plain-local");
    // An existing folder is replaced whole, as a local write replaces it.
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, "part-00099.parquet"), "stale");
    const before = runner.status().stages.length;
    const r = await query().writeParquet(`${out}/`, { runner });
    const l = await query().writeParquet(`${local}/`);
    expect(r.rows).toBe(l.rows);
    expect(r.rows).toBe(N - N / 5);
    // One part per task, named in task order.
    expect(r.paths).toEqual(
      Array.from({ length: 12 }, (_, i) =>
        path.join(out, `part-${String(i).padStart(5, "0")}.parquet`),
      ),
    );
    expect(tree(out)).toEqual(r.paths.map((p) => path.basename(p)));
    expect(r.bytes).toBe(r.paths.reduce((n, p) => n + fs.statSync(p).size, 0));
    expect(await duckRead(out)).toEqual(await duckRead(local));
    expect(await readParquet(out).toColumns()).toEqual(await query().toColumns());
    // The tasks ran on the workers, and no staging folder is left beside the target.
    const [stage] = runner.status().stages.slice(before);
    expect(stage).toMatchObject({ tasks: 12, done: 12, failed: 0, finished: true });
    expect(fs.readdirSync(dir).filter((n) => n.startsWith("."))).toEqual([]);
  }, 120_000);

  it("partitionBy and maxRowsPerFile: the same hive folders, rows in the same order", async () => {
    const out = path.join(dir, "hive");
    const local = path.join(dir, "hive-local");
    const opts = { partitionBy: ["k"], maxRowsPerFile: 300 };
    const r = await query().writeParquet(out, { ...opts, runner });
    await query().writeParquet(local, opts);
    const folders = (d: string) => fs.readdirSync(d).sort();
    expect(folders(out)).toEqual(folders(local));
    expect(folders(out)).toEqual(["k=__HIVE_DEFAULT_PARTITION__", "k=k0", "k=k1", "k=k2"]);
    expect(await duckRead(out, true)).toEqual(await duckRead(local, true));
    // Numbered per folder, in task order, with no gap.
    const inK0 = r.paths.filter((p) => p.includes("k=k0")).map((p) => path.basename(p));
    expect(inK0).toEqual(inK0.map((_, i) => `part-${String(i).padStart(5, "0")}.parquet`));
    expect(tree(out).filter((f) => f.endsWith(".parquet")).length).toBe(r.paths.length);
  }, 120_000);

  it("nothing is at the final names while the run is in progress", async () => {
    const out = path.join(dir, "in-progress");
    const run = readParquet(file, { batchSize: 500 })
      .withColumn("y", slow(col("x")))
      .writeParquet(`${out}/`, { runner });
    await afterDone(runner, 2);
    expect(fs.existsSync(out)).toBe(false);
    // The parts so far are in the hidden staging folder beside the target.
    const staging = fs.readdirSync(dir).filter((n) => n.startsWith(".in-progress.deft-staging-"));
    expect(staging).toHaveLength(1);
    const r = await run;
    expect(r.rows).toBe(N);
    expect(r.paths).toHaveLength(12);
    expect(fs.existsSync(path.join(dir, staging[0]!))).toBe(false);
  }, 120_000);

  it("an aborted run leaves no part and no staging folder", async () => {
    const out = path.join(dir, "aborted");
    const ac = new AbortController();
    const run = readParquet(file, { batchSize: 500 })
      .withColumn("y", slow(col("x")))
      .writeParquet(`${out}/`, { runner, signal: ac.signal });
    await afterDone(runner, 2);
    ac.abort();
    await expect(run).rejects.toMatchObject({ name: "AbortError" });
    expect(fs.existsSync(out)).toBe(false);
    // Attempts the workers were running when told to stop remove their own folders.
    const leftovers = () => fs.readdirSync(dir).filter((n) => n.startsWith(".aborted"));
    expect(await eventually(async () => (await busyWorkers(cluster.url)).length === 0)).toBe(true);
    expect(await eventually(() => leftovers().length === 0)).toBe(true);
    expect(fs.existsSync(out)).toBe(false);
  }, 120_000);

  it("kill -9 of a worker mid-write: every row exactly once, one part per task", async () => {
    const out = path.join(dir, "killed");
    const local = path.join(dir, "killed-local");
    const q = () => readParquet(file, { batchSize: 500 }).withColumn("y", slow(col("x")));
    await q().writeParquet(`${local}/`);
    const before = runner.status().stages.length;
    const run = q().writeParquet(`${out}/`, { runner });
    await afterDone(runner, 1);
    const victim = (await busyWorkers(cluster.url))[0];
    expect(victim).toBeDefined();
    await cluster.killWorker(victim!);
    const r = await run;
    expect(r.rows).toBe(N);
    expect(r.paths).toHaveLength(12);
    expect(tree(out)).toEqual(r.paths.map((p) => path.basename(p)));
    expect(await duckRead(out)).toEqual(await duckRead(local));
    const [stage] = runner.status().stages.slice(before);
    expect(stage).toMatchObject({ tasks: 12, done: 12, failed: 0 });
    expect(stage!.retried).toBeGreaterThanOrEqual(1);
    expect(fs.readdirSync(dir).filter((n) => n.startsWith(".killed"))).toEqual([]);
    await cluster.startWorker();
  }, 120_000);
});
