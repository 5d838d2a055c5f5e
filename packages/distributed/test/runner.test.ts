import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { col, count, DataFrame, type DeftEvent, readParquet } from "@deft/core";
import { progressSubscriber } from "@deft/core/internal";
import { type RedisRunner, redisRunner } from "@deft/distributed";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cluster, redisServer, startCluster } from "./cluster.js";

const N = 24_000;
let dir: string;
let facts: string;
let dim: string;
let cluster: Cluster;
let runner: RedisRunner;

describe.skipIf(!redisServer)("redisRunner on worker processes", () => {
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "deft-runner-"));
    facts = path.join(dir, "facts.parquet");
    dim = path.join(dir, "dim.parquet");
    const k: (number | null)[] = [];
    const v = new Float64Array(N);
    const s: (string | null)[] = [];
    for (let i = 0; i < N; i++) {
      k.push(i % 13 === 0 ? null : (i * 31) % 97);
      v[i] = (i * 7919) % 1000;
      s.push(i % 9 === 0 ? null : `s${i % 5}`);
    }
    await DataFrame.fromColumns({ k, v, s }).writeParquet(facts, { rowGroupSize: 2_000 });
    const dk = Array.from({ length: 80 }, (_, i) => i);
    await DataFrame.fromColumns({ k: dk, name: dk.map((i) => `n${i}`) }).writeParquet(dim, {
      rowGroupSize: 50,
    });
    cluster = await startCluster({ workers: 2 });
    runner = redisRunner({ url: cluster.url, workDir: cluster.workDir });
  }, 60_000);
  afterAll(async () => {
    await runner?.close();
    await cluster?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** 12 row groups of 2,000 rows: 12 partitions. */
  const scan = () => readParquet(facts, { batchSize: 2_000 });

  it("a split chain (filter, projection) runs one task per row group, rows in order", async () => {
    const q = scan()
      .filter(col("v").gt(100))
      .withColumn("w", col("v").mul(2).add(col("k")));
    const local = await q.toColumns();
    expect(local.v!.length).toBeGreaterThan(N / 2);
    const before = runner.status().stages.length;
    expect(await q.toColumns({ runner })).toEqual(local);
    const stages = runner.status().stages.slice(before);
    expect(stages).toHaveLength(1);
    expect(stages[0]).toMatchObject({ tasks: 12, done: 12, failed: 0, finished: true });
    // Both workers took tasks.
    expect(Object.keys(runner.status().workers).sort()).toEqual(["w0", "w1"]);
  });

  it("subscribers get each stage's progress; progress: true draws a bar per stage on a TTY", async () => {
    const events: DeftEvent[] = [];
    const q = scan().filter(col("v").gt(100));
    await q.toColumns({ runner, progress: (e) => events.push(e) });
    const stage = events.flatMap((e) => (e.type === "stage:progress" ? [e] : []));
    expect(stage.length).toBeGreaterThan(1);
    expect(new Set(stage.map((e) => e.stage)).size).toBe(1);
    // Done counts only grow, to all 12 tasks; the last event is the finished stage.
    const done = stage.map((e) => e.done);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(stage.at(-1)).toMatchObject({ output: "batches", tasks: 12, done: 12, finished: true });
    expect(stage.some((e) => e.worker === "w0" || e.worker === "w1")).toBe(true);

    const tty = Object.assign(new PassThrough(), { isTTY: true, columns: 120 });
    let drawn = "";
    tty.on("data", (c: Buffer) => (drawn += c.toString()));
    const bars = progressSubscriber(tty as unknown as NodeJS.WriteStream);
    for (const e of events) bars(e);
    expect(drawn).toContain(`stage ${stage[0]!.stage} (batches)`);
    expect(drawn).toContain("12/12 tasks");
  });

  it("an aggregation is partial per task on the workers and merged here, groups in order", async () => {
    const q = scan()
      .filter(col("s").isNotNull())
      .groupBy("s", "k")
      .agg(col("v").sum().alias("sv"), count().alias("n"), col("v").max().alias("mx"));
    const local = await q.toRecords();
    expect(local.length).toBeGreaterThan(100);
    expect(await q.toRecords({ runner })).toEqual(local);
  });

  it("a global aggregation and a sort equal the local run", async () => {
    const g = scan().select(col("v").mean().alias("m"), count().alias("n"));
    expect(await g.toRecords({ runner })).toEqual(await g.toRecords());
    const q = scan().sort(["s", "v"], { descending: [false, true] });
    expect(await q.toColumns({ runner })).toEqual(await q.toColumns());
  });

  it("a broadcast join ships its small side through workDir; rows as locally", async () => {
    for (const how of ["inner", "left", "anti"] as const) {
      const q = scan().join(readParquet(dim), { on: "k", how });
      expect(await q.toColumns({ runner })).toEqual(await q.toColumns());
    }
  });

  it("writeParquet with a runner: the input runs on the workers, DuckDB reads the file back", async () => {
    const out = path.join(dir, "out.parquet");
    const q = scan().filter(col("k").isNotNull()).withColumn("w", col("v").add(1));
    const before = runner.status().stages.length;
    const res = await q.writeParquet(out, { runner });
    expect(runner.status().stages.length).toBeGreaterThan(before);
    const local = await q.toColumns();
    expect(res.rows).toBe(local.k!.length);
    const duck = await DuckDBInstance.create(":memory:");
    const con = await duck.connect();
    try {
      const rows = (
        await con.runAndReadAll(`SELECT k, v, s, w FROM read_parquet('${out}')`)
      ).getRowObjectsJS() as { k: number; v: number; s: string | null; w: number }[];
      expect(rows.map((r) => Number(r.k))).toEqual(local.k);
      expect(rows.map((r) => r.w)).toEqual(local.w);
      expect(rows.map((r) => r.s)).toEqual(local.s);
    } finally {
      con.closeSync();
      duck.closeSync();
    }
  });

  it("the stage files are removed when the stage ends", async () => {
    await scan().filter(col("v").gt(10)).toColumns({ runner });
    expect(fs.readdirSync(path.join(cluster.workDir, "runs"))).toEqual([]);
  });
});
