import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { col, DataFrame, fromModule, readParquet, udf } from "@deft/core";
import { type RedisRunner, redisRunner } from "@deft/distributed";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cluster, redisServer, startCluster } from "./cluster.js";

const N = 6_000;
let dir: string;
let file: string;
let cluster: Cluster;
let runner: RedisRunner;

describe.skipIf(!redisServer)("UDFs on worker processes", () => {
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "deft-dist-udf-"));
    file = path.join(dir, "in.parquet");
    const x = Array.from({ length: N }, (_, i) => (i % 17 === 0 ? null : i));
    const s = Array.from({ length: N }, (_, i) => `row-${i % 50}`);
    await DataFrame.fromColumns({ x, s }).writeParquet(file, { rowGroupSize: 500 });
    fs.writeFileSync(
      path.join(dir, "udfs.mjs"),
      "export function shout(s) { return s.toUpperCase() + '!'; }\n",
    );
    cluster = await startCluster({ workers: 3 });
    runner = redisRunner({ url: cluster.url, workDir: cluster.workDir });
  }, 60_000);
  afterAll(async () => {
    await runner?.close();
    await cluster?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** 12 partitions of 500 rows. */
  const scan = () => readParquet(file, { batchSize: 500 });

  it("an async UDF (shipped source) runs in the tasks; rows and order as locally", async () => {
    const triple = udf(
      async (x: number) => {
        await new Promise((r) => setTimeout(r, 1));
        return x * 3 + 1;
      },
      { returns: "int64", maxConcurrency: 16 },
    );
    const q = scan()
      .withColumn("y", triple(col("x")))
      .filter(col("y").gt(100));
    const local = await q.toColumns();
    expect(local.y!.length).toBeGreaterThan(N / 2);
    const before = runner.status().stages.length;
    expect(await q.toColumns({ runner })).toEqual(local);
    expect(runner.status().stages.slice(before)).toMatchObject([{ tasks: 12, done: 12 }]);
  });

  it("a fromModule UDF is imported on the workers; an aggregation over it merges here", async () => {
    const shout = udf(fromModule(pathToFileURL(path.join(dir, "udfs.mjs")), "shout"), {
      returns: "utf8",
    });
    const q = scan()
      .withColumn("t", shout(col("s")))
      .groupBy("t")
      .agg(col("x").sum().alias("sx"));
    const local = await q.toRecords();
    expect(local).toHaveLength(50);
    expect(local[0]!.t).toBe("ROW-0!");
    expect(await q.toRecords({ runner })).toEqual(local);
  });

  it("a UDF module a worker cannot load fails the run naming the module and the worker", async () => {
    const missing = pathToFileURL(path.join(dir, "absent.mjs"));
    const f = udf(fromModule(missing, "shout"), { returns: "utf8" });
    const q = scan().withColumn("t", f(col("s")));
    const err = await q.toColumns({ runner }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain("absent.mjs");
    expect((err as Error).message).toMatch(/on worker w[0-2]/);
  });
});
