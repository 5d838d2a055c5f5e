// udf.cls on worker processes: an instance is built once per compute thread of a worker and
// kept for every later task (and run) there, never once per task.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { col, DataFrame, fromModule, readParquet, udf } from "@deft/core";
import { type RedisRunner, redisRunner } from "@deft/distributed";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cluster, redisServer, startCluster } from "./cluster.js";

const WORKERS = 2;
const THREADS = 1;
const TASKS = 24;
const ROWS = 50;
let dir: string;
let file: string;
let cluster: Cluster;
let runner: RedisRunner;

/** Every construction, one line each: `pid:threadId` of the thread that built the instance. */
const constructions = () =>
  fs.existsSync(path.join(dir, "constructions.txt"))
    ? fs.readFileSync(path.join(dir, "constructions.txt"), "utf8").trim().split("\n")
    : [];

describe.skipIf(!redisServer)("udf.cls on worker processes", () => {
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "deft-dist-cls-"));
    file = path.join(dir, "in.parquet");
    const x = Array.from({ length: TASKS * ROWS }, (_, i) => i);
    await DataFrame.fromColumns({ x }).writeParquet(file, { rowGroupSize: ROWS });
    fs.writeFileSync(
      path.join(dir, "counted.mjs"),
      [
        'import { appendFileSync } from "node:fs";',
        'import { threadId } from "node:worker_threads";',
        "export class Counted {",
        "  constructor(dir, offset) {",
        '    appendFileSync(dir + "/constructions.txt", process.pid + ":" + threadId + "\\n");',
        "    this.offset = offset;",
        "  }",
        "  call(x) { return x + this.offset; }",
        "}",
        "",
      ].join("\n"),
    );
    cluster = await startCluster({ workers: WORKERS, threads: THREADS });
    runner = redisRunner({ url: cluster.url, workDir: cluster.workDir });
  }, 60_000);
  afterAll(async () => {
    await runner?.close();
    await cluster?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("a class UDF is constructed once per worker thread, not per task, and kept across runs", async () => {
    const counted = udf.cls(fromModule(pathToFileURL(path.join(dir, "counted.mjs")), "Counted"), {
      returns: "float64",
      args: [dir, 7],
    });
    const q = () => readParquet(file, { batchSize: ROWS }).withColumn("y", counted(col("x")));
    const want = Array.from({ length: TASKS * ROWS }, (_, i) => i + 7);
    const before = runner.status().stages.length;
    for (let run = 0; run < 2; run++) {
      const out = await q().toColumns({ runner });
      expect(out.y).toEqual(want);
    }
    const stages = runner.status().stages.slice(before);
    expect(stages).toMatchObject([
      { tasks: TASKS, done: TASKS, failed: 0 },
      { tasks: TASKS, done: TASKS, failed: 0 },
    ]);
    const built = constructions();
    const workerPids = new Set([...cluster.workers.values()].map((w) => String(w.pid)));
    for (const line of built) expect(workerPids.has(line.split(":")[0]!)).toBe(true);
    expect(new Set(built).size).toBe(built.length); // never twice on one thread
    expect(built.length).toBeGreaterThanOrEqual(1);
    expect(built.length).toBeLessThanOrEqual(WORKERS * THREADS);
  }, 120_000);
});
