// Distributed runs (@deft/distributed) on this machine: a redis-server and 1, 2 or 4
// deft-worker processes per case (each case its own cluster, started in its setup).
// - An async UDF over 10,000 rows x 10 ms (I/O-bound: should scale near-linearly with
//   worker processes, as each process keeps its own `maxConcurrency` calls in flight).
// - A CPU-bound batch UDF (bounded by the 2 cores of this machine, whatever the processes).
// - Per-task overhead: 200 tasks of 10 rows on one worker, against the same query locally.
// - kill -9 recovery: the async UDF on 4 workers, one killed (kill -9) after the first task
//   is done; the run's wall time minus the undisturbed 4-worker run is what the kill adds.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { col, DataFrame, readParquet, udf } from "@deft/core";
import { type RedisRunner, redisRunner } from "@deft/distributed";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import {
  type Cluster,
  redisServer,
  startCluster,
} from "../../../packages/distributed/test/cluster.js";
import { type Case, type Derived, NotAvailableError, speedup, type Workload } from "../runner.js";

const ASYNC_ROWS = 10_000;
const ASYNC_MS = 10;
const ASYNC_TASK_ROWS = 250; // 40 tasks
const ASYNC_CONCURRENCY = 16; // calls in flight per worker process
const CPU_TASKS = 16;
const CPU_TASK_MS = 100;
const TINY_TASKS = 200;
/** Redis as docs/distributed.md starts it (`--appendonly yes`, Redis's default fsync once a second). */
const APPENDFSYNC = "everysec";

const G_ASYNC = `async UDF ${ASYNC_ROWS / 1000}k rows x ${ASYNC_MS} ms (${ASYNC_ROWS / ASYNC_TASK_ROWS} tasks, maxConcurrency ${ASYNC_CONCURRENCY})`;
const G_CPU = `CPU-bound batch UDF (${CPU_TASKS} tasks x ~${CPU_TASK_MS} ms)`;
const G_TINY = `per-task overhead (${TINY_TASKS} tasks of 10 rows, 1 worker)`;

let dir: string;
const files = { async: "", cpu: "", tiny: "" };

const sleepy = udf(
  async (x: number) => {
    await new Promise((r) => setTimeout(r, 10));
    return x * 2;
  },
  { returns: "float64", maxConcurrency: ASYNC_CONCURRENCY },
);

/** A fixed amount of arithmetic per batch (one batch per task; ~100 ms on an idle core). */
const burn = udf.batch(
  (x: { length: number; get(i: number): number | null }) => {
    let acc = 0;
    for (let i = 0; i < 15_000_000; i++) acc = (acc + i * 7) % 1_000_003;
    const out = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) out[i] = (x.get(i) ?? 0) + 1 + (acc < 0 ? 1 : 0);
    return out;
  },
  { returns: "float64" },
);

const asyncQuery = () =>
  readParquet(files.async, { batchSize: ASYNC_TASK_ROWS }).withColumn("y", sleepy(col("x")));
const cpuQuery = () => readParquet(files.cpu, { batchSize: 1000 }).withColumn("y", burn(col("x")));
const tinyQuery = () => readParquet(files.tiny, { batchSize: 10 }).filter(col("x").gte(0));

function checkRows(n: number, f: (x: number) => number) {
  return (r: unknown) => {
    const { x, y } = r as { x: number[]; y: number[] };
    if (y.length !== n) throw new Error(`${y.length} rows, expected ${n}`);
    for (let i = 0; i < n; i++) if (y[i] !== f(x[i]!)) throw new Error(`row ${i}: ${y[i]}`);
  };
}

interface Live {
  cluster?: Cluster;
  runner?: RedisRunner;
}

function clusterCase(
  label: string,
  group: string,
  workers: number,
  query: () => DataFrame,
  check: (r: unknown) => void,
): Case {
  const live: Live = {};
  return {
    label,
    group,
    setup: async () => {
      if (!redisServer) throw new NotAvailableError("redis-server is not installed");
      live.cluster = await startCluster({ workers, appendfsync: APPENDFSYNC });
      live.runner = redisRunner({ url: live.cluster.url, workDir: live.cluster.workDir });
    },
    run: () => query().toColumns({ runner: live.runner! }),
    check,
    teardown: async () => {
      await live.runner?.close();
      await live.cluster?.stop();
    },
  };
}

async function busyWorker(url: string): Promise<string | undefined> {
  const connection = new Redis(url, { maxRetriesPerRequest: null });
  const q = new Queue("deft-tasks", { connection });
  try {
    return (await q.getActive()).map((j) => j.processedBy).find((w) => w);
  } finally {
    await q.close();
    connection.disconnect();
  }
}

/** The async UDF on 4 workers with one killed mid-stage; reports the run's own wall time. */
function killCase(): Case {
  const live: Live = {};
  const walls: number[] = [];
  const retried: number[] = [];
  return {
    label: "4 workers, one killed (kill -9) mid-stage",
    group: G_ASYNC,
    setup: async () => {
      if (!redisServer) throw new NotAvailableError("redis-server is not installed");
      live.cluster = await startCluster({ workers: 4, appendfsync: APPENDFSYNC });
      live.runner = redisRunner({ url: live.cluster.url, workDir: live.cluster.workDir });
    },
    run: async () => {
      const runner = live.runner!;
      const cluster = live.cluster!;
      const t0 = performance.now();
      const before = runner.status().stages.length;
      const firstDone = new Promise<void>((resolve) => {
        const on = (p: { done: number }) => {
          if (p.done >= 1) {
            runner.off("progress", on);
            resolve();
          }
        };
        runner.on("progress", on);
      });
      const run = asyncQuery().toColumns({ runner });
      await firstDone;
      const victim = await busyWorker(cluster.url);
      if (!victim) throw new Error("no worker was running a task to kill");
      await cluster.killWorker(victim);
      const out = await run;
      walls.push(performance.now() - t0);
      retried.push(
        runner
          .status()
          .stages.slice(before)
          .reduce((n, s) => n + s.retried, 0),
      );
      await cluster.startWorker(victim); // the next round starts with 4 again
      return out;
    },
    check: checkRows(ASYNC_ROWS, (x) => x * 2),
    metrics: () => {
      const sorted = [...walls].sort((a, b) => a - b);
      return {
        killedWallMs: sorted[Math.floor(sorted.length / 2)]!,
        retriedTasks: Math.min(...retried),
      };
    },
    teardown: async () => {
      await live.runner?.close();
      await live.cluster?.stop();
    },
  };
}

const cases: Case[] = [
  ...[1, 2, 4].map((n) =>
    clusterCase(
      `${n} worker${n > 1 ? "s" : ""}`,
      G_ASYNC,
      n,
      asyncQuery,
      checkRows(ASYNC_ROWS, (x) => x * 2),
    ),
  ),
  killCase(),
  ...[1, 2, 4].map((n) =>
    clusterCase(
      `${n} worker${n > 1 ? "s" : ""}`,
      G_CPU,
      n,
      cpuQuery,
      checkRows(CPU_TASKS * 1000, (x) => x + 1),
    ),
  ),
  {
    label: "local (threads 1)",
    group: G_TINY,
    run: () => tinyQuery().toColumns({ threads: 1 }),
  },
  clusterCase("1 worker", G_TINY, 1, tinyQuery, (r) => {
    const { x } = r as { x: number[] };
    if (x.length !== TINY_TASKS * 10) throw new Error(`${x.length} rows`);
  }),
];

/** (median - the group's local median) / tasks: what each task costs on top of its work. */
const perTask: Derived = {
  name: "ms per task over local",
  value: (row, ctx) => {
    const local = ctx.byLabel("local (threads 1)", G_TINY)?.medianMs;
    return row.group === G_TINY && row.label !== "local (threads 1)" && local !== undefined
      ? (row.medianMs! - local) / TINY_TASKS
      : undefined;
  },
};

/** The kill case's own wall time minus the undisturbed 4-worker median, in seconds. */
const killAdds: Derived = {
  name: "kill -9 adds (s)",
  value: (row, ctx) => {
    const four = ctx.byLabel("4 workers", G_ASYNC)?.medianMs;
    return row.metrics.killedWallMs !== undefined && four !== undefined
      ? (row.metrics.killedWallMs - four) / 1000
      : undefined;
  },
};

const workload: Workload = {
  name: "distributed",
  description:
    "@deft/distributed on this machine (2 cores): redis-server (--appendonly yes, fsync every second) and 1, 2, 4 deft-worker processes; " +
    `an async UDF (${ASYNC_ROWS} rows x ${ASYNC_MS} ms), a CPU-bound batch UDF, per-task overhead, kill -9 recovery`,
  cases,
  baseline: { [G_ASYNC]: "1 worker", [G_CPU]: "1 worker", [G_TINY]: "local (threads 1)" },
  derived: [speedup, perTask, killAdds],
  comparisons: [
    {
      name: "async UDF: 1 worker / 4 workers",
      group: G_ASYNC,
      numerator: "1 worker",
      denominator: "4 workers",
      target: ">= 3.5x",
    },
    {
      name: "CPU-bound: 1 worker / 4 workers (2 cores)",
      group: G_CPU,
      numerator: "1 worker",
      denominator: "4 workers",
    },
  ],
  runs: 3,
  setup: async () => {
    dir = mkdtempSync(join(tmpdir(), "deft-bench-dist-"));
    files.async = join(dir, "async.parquet");
    files.cpu = join(dir, "cpu.parquet");
    files.tiny = join(dir, "tiny.parquet");
    const xs = (n: number) => Float64Array.from({ length: n }, (_, i) => i);
    await DataFrame.fromColumns({ x: xs(ASYNC_ROWS) }).writeParquet(files.async, {
      rowGroupSize: ASYNC_TASK_ROWS,
    });
    await DataFrame.fromColumns({ x: xs(CPU_TASKS * 1000) }).writeParquet(files.cpu, {
      rowGroupSize: 1000,
    });
    await DataFrame.fromColumns({ x: xs(TINY_TASKS * 10) }).writeParquet(files.tiny, {
      rowGroupSize: 10,
    });
  },
  teardown: () => rmSync(dir, { recursive: true, force: true }),
};

export default workload;
