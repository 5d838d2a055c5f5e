// The PoolEngine's worker threads: one pool per process, running worker-node.ts's per-call
// task (a node called directly with one item's inputs; values cross by structured clone, so
// they keep their types, typed arrays and keys). Created on first use, grown by replacing
// itself; idle threads leave after a minute and never keep the process alive.
import { mainUsesTsx, tsxImport } from "@deft/core/internal";
import { Piscina } from "piscina";
import { type PoolNodeReply, type PoolNodeTask, WORKER_MODULE } from "./node-spec.js";

const IDLE_MS = 60_000;

let shared: { pool: Piscina; size: number } | null = null;

function nodePool(threads: number): Piscina {
  if (shared && shared.size >= threads) return shared.pool;
  const old = shared;
  const size = Math.max(threads, old?.size ?? 0);
  const source = WORKER_MODULE.href.endsWith(".ts");
  const pool = new Piscina({
    filename: WORKER_MODULE.href,
    minThreads: 0,
    maxThreads: size,
    idleTimeout: IDLE_MS,
    recordTiming: false,
    concurrentTasksPerWorker: 1,
    execArgv: source || mainUsesTsx() ? ["--import", tsxImport()] : [],
  });
  shared = { pool, size };
  // The old pool finishes the tasks it has, then its threads exit.
  if (old) void old.pool.close().catch(() => {});
  return pool;
}

/** One node call on a pool at least `threads` wide. */
export function runOnNodePool(task: PoolNodeTask, threads: number): Promise<PoolNodeReply> {
  return nodePool(threads).run(task) as Promise<PoolNodeReply>;
}
