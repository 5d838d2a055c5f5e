// Hash-shuffled joins on worker processes: both sides cut into bucket files under workDir by
// the tasks, one join task per bucket. Every kind of equi-join answers as DuckDB and the local
// run do (nulls in the keys, keys on one side only), TPC-H's joins shuffled answer as DuckDB,
// a worker killed mid-shuffle loses and repeats nothing, and the bucket files are gone after.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { col, DataFrame, readParquet, udf } from "@deft/core";
import { type RedisRunner, redisRunner } from "@deft/distributed";
import { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Answer,
  answerOfArrow,
  answerOfDuckDB,
  expectSameAnswer,
} from "../../../benchmarks/src/tpch/answers.js";
import { deftTables, runDeft } from "../../../benchmarks/src/tpch/deft.js";
import { ensureTpch, type TpchFiles } from "../../../benchmarks/src/tpch/generate.js";
import { QUERIES } from "../../../benchmarks/src/tpch/queries/index.js";
import { type Cluster, redisServer, startCluster } from "./cluster.js";
import { afterDone, busyWorkers } from "./cluster-watch.js";

let dir: string;
let facts: string;
let dims: string;
let cluster: Cluster;
/** Shuffles every join whose sides the workers can run. */
let shuffling: RedisRunner;
let duck: DuckDBConnection;
let instance: DuckDBInstance;

const FACTS = 12_000;
const DIMS = 4_000;

async function duckAnswer(sql: string): Promise<Answer> {
  return answerOfDuckDB(await duck.runAndReadAll(sql));
}

/** The files in `workDir` still there (the runner removes every stage's files). */
function leftovers(root: string): string[] {
  const runs = path.join(root, "runs");
  if (!fs.existsSync(runs)) return [];
  return fs.readdirSync(runs, { recursive: true, encoding: "utf8" });
}

describe.skipIf(!redisServer)("hash-shuffled joins on 3 worker processes", () => {
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "deft-dist-shuffle-"));
    facts = path.join(dir, "facts.parquet");
    dims = path.join(dir, "dims.parquet");
    // Keys 0..2999 on the left (every 97th null), 1500..5499 on the right (every 101st null):
    // some keys on both sides, some on one side only, 4 rows per key on the left.
    await DataFrame.fromColumns({
      k: Array.from({ length: FACTS }, (_, i) => (i % 97 === 0 ? null : (i * 7) % 3000)),
      v: Array.from({ length: FACTS }, (_, i) => i),
    }).writeParquet(facts, { rowGroupSize: 1000 });
    await DataFrame.fromColumns({
      k: Array.from({ length: DIMS }, (_, i) => (i % 101 === 0 ? null : 1500 + (i % 4000))),
      w: Array.from({ length: DIMS }, (_, i) => `w${i % 13}`),
    }).writeParquet(dims, { rowGroupSize: 500 });
    instance = await DuckDBInstance.create(":memory:");
    duck = await DuckDBConnection.create(instance);
    cluster = await startCluster({ workers: 3 });
    shuffling = redisRunner({ url: cluster.url, workDir: cluster.workDir, broadcastBytes: 0 });
  }, 120_000);
  afterAll(async () => {
    await shuffling?.close();
    await cluster?.stop();
    duck?.closeSync();
    instance?.closeSync();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const hows = ["inner", "left", "right", "outer", "semi", "anti"] as const;
  for (const how of hows) {
    it(`${how} join: both sides shuffled, the answer of DuckDB and of the local run`, async () => {
      const q = () =>
        readParquet(facts, { batchSize: 1000 })
          .filter(col("v").gt(5))
          .join(readParquet(dims, { batchSize: 500 }), { on: "k", how });
      const before = shuffling.status().stages.length;
      const dist = answerOfArrow(await q().toArrow({ runner: shuffling }));
      const stages = shuffling.status().stages.slice(before);
      // Left side in 12 tasks, right side in 8, both into 12 buckets; then the bucket joins.
      // (The two sides' stages run at once, in either order.)
      expect(stages.map((s) => `${s.output} ${s.tasks}`).sort()).toEqual([
        "batches 12",
        "buckets 12",
        "buckets 8",
      ]);
      expect(stages.every((s) => s.finished && s.failed === 0 && s.done === s.tasks)).toBe(true);
      expectSameAnswer(how, dist, answerOfArrow(await q().toArrow()), false);
      const cols =
        how === "semi" || how === "anti"
          ? "f.k, f.v"
          : how === "right"
            ? "d.k, f.v, d.w"
            : how === "outer"
              ? "coalesce(f.k, d.k) AS k, f.v, d.w"
              : "f.k, f.v, d.w";
      const join = how === "outer" ? "FULL OUTER" : how.toUpperCase();
      const sql = `SELECT ${cols} FROM (SELECT * FROM '${facts}' WHERE v > 5) f ${join} JOIN '${dims}' d ON f.k = d.k`;
      const want = await duckAnswer(sql);
      // DuckDB names the columns its way; the rows are what is compared.
      expectSameAnswer(how, { columns: want.columns, rows: dist.rows }, want, false);
      expect(leftovers(cluster.workDir)).toEqual([]);
    }, 120_000);
  }

  it("a join of a shuffled join: the inner join's buckets are shuffled again by the next keys", async () => {
    const d2 = path.join(dir, "d2.parquet");
    await DataFrame.fromColumns({
      w: Array.from({ length: 13 }, (_, i) => `w${i}`),
      n: Array.from({ length: 13 }, (_, i) => i * 10),
    }).writeParquet(d2);
    const q = () =>
      readParquet(facts, { batchSize: 1000 })
        .join(readParquet(dims, { batchSize: 500 }), { on: "k" })
        .join(readParquet(d2), { on: "w" })
        .groupBy("n")
        .agg(col("v").sum().alias("s"), col("v").count().alias("c"))
        .sort("n");
    const before = shuffling.status().stages.length;
    const dist = answerOfArrow(await q().toArrow({ runner: shuffling }));
    const outputs = shuffling
      .status()
      .stages.slice(before)
      .map((s) => s.output);
    // Both sides of each join: the first join's two, then its buckets' output and d2.
    expect(outputs.filter((o) => o === "buckets").length).toBe(4);
    expectSameAnswer("join of join", dist, answerOfArrow(await q().toArrow()), true);
    const want = await duckAnswer(
      `SELECT n, sum(v) AS s, count(v) AS c FROM '${facts}' f JOIN '${dims}' d ON f.k = d.k JOIN '${d2}' e ON d.w = e.w GROUP BY n ORDER BY n`,
    );
    expectSameAnswer("join of join", dist, want, true);
  }, 120_000);

  it("a side that fails stops the run with its error and worker; no bucket file is left", async () => {
    const bad = udf(
      (v: number) => {
        if (v === 5000) throw new Error("bad row 5000");
        return v;
      },
      { returns: "int64" },
    );
    const q = readParquet(facts, { batchSize: 1000 })
      .withColumn("b", bad(col("v")))
      .join(readParquet(dims, { batchSize: 500 }), { on: "k" });
    await expect(q.toArrow({ runner: shuffling })).rejects.toThrow(/bad row 5000[\s\S]*on worker/);
    // Both sides' stage folders go (the stopped side's once its attempts have stopped).
    let left = leftovers(cluster.workDir);
    for (let i = 0; i < 50 && left.length > 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      left = leftovers(cluster.workDir);
    }
    expect(left).toEqual([]);
  }, 60_000);

  it("a small right side stays broadcast under the default broadcastBytes", async () => {
    const runner = redisRunner({ url: cluster.url, workDir: cluster.workDir });
    try {
      const before = runner.status().stages.length;
      await readParquet(facts, { batchSize: 1000 })
        .join(readParquet(dims, { batchSize: 500 }), { on: "k" })
        .toArrow({ runner });
      const outputs = runner
        .status()
        .stages.slice(before)
        .map((s) => s.output);
      expect(outputs).not.toContain("buckets");
    } finally {
      await runner.close();
    }
  }, 60_000);

  it("kill -9 of a worker mid-shuffle: its task runs again, every joined row exactly once", async () => {
    /** 4 ms per row, 5 at once: a side task of 1000 rows takes about 0.8 s. */
    const slow = udf(
      async (v: number) => {
        await new Promise((r) => setTimeout(r, 4));
        return v * 2;
      },
      { returns: "int64", maxConcurrency: 5 },
    );
    const q = () =>
      readParquet(facts, { batchSize: 1000 })
        .withColumn("v2", slow(col("v")))
        .join(readParquet(dims, { batchSize: 500 }), { on: "k", how: "left" });
    const want = answerOfArrow(await q().toArrow());
    const before = shuffling.status().stages.length;
    const run = q().toArrow({ runner: shuffling });
    await afterDone(shuffling, 1);
    const victim = (await busyWorkers(cluster.url))[0];
    expect(victim).toBeDefined();
    await cluster.killWorker(victim!);
    const dist = answerOfArrow(await run);
    expect(dist.rows.length).toBe(want.rows.length);
    expectSameAnswer("left join after kill -9", dist, want, false);
    const stages = shuffling.status().stages.slice(before);
    expect(stages.map((s) => `${s.output} ${s.tasks}`).sort()).toEqual([
      "batches 12",
      "buckets 12",
      "buckets 8",
    ]);
    expect(stages.every((s) => s.done === s.tasks && s.failed === 0)).toBe(true);
    expect(stages.reduce((n, s) => n + s.retried, 0)).toBeGreaterThanOrEqual(1);
    expect(leftovers(cluster.workDir)).toEqual([]);
    await cluster.startWorker();
  }, 180_000);

  describe("TPC-H SF 0.01 with every join shuffled", () => {
    const SF = 0.01;
    let files: TpchFiles;
    beforeAll(async () => {
      files = ensureTpch(SF, path.join(dir, "tpch")).files;
      const con = duck;
      for (const [t, f] of Object.entries(files))
        await con.run(`CREATE OR REPLACE VIEW ${t} AS SELECT * FROM read_parquet('${f}')`);
    }, 120_000);
    for (const name of ["q03", "q04", "q05", "q10", "q12", "q13", "q21"]) {
      it(`${name}: shuffled, the answer of DuckDB and of the local run`, async () => {
        const q = QUERIES.find((x) => x.name === name)!;
        const before = shuffling.status().stages.length;
        const dist = answerOfArrow(
          await q.deft(deftTables(files), SF).toArrow({ runner: shuffling }),
        );
        const outputs = shuffling
          .status()
          .stages.slice(before)
          .map((s) => s.output);
        expect(outputs).toContain("buckets");
        expectSameAnswer(name, dist, answerOfArrow(await runDeft(q, files, SF)), q.ordered);
        expectSameAnswer(name, dist, await duckAnswer(q.sql(SF)), q.ordered);
      }, 120_000);
    }
  });
});
