import type { MessagePort } from "node:worker_threads";
import { Piscina } from "piscina";
import { mainUsesTsx, tsxImport } from "../../udf/pool.js";
import type {
  ComputeTask,
  DecodeReply,
  FragmentReply,
  FragmentTask,
  WindowReply,
  WindowTask,
} from "./protocol.js";

type ReplyOf<T extends ComputeTask> = T extends FragmentTask
  ? FragmentReply
  : T extends WindowTask
    ? WindowReply
    : DecodeReply;

/**
 * The compute threads: one pool per process for deft's own work (Parquet decoding, chains of operators per partition), apart
 * from the worker-UDF pool. Created on the first task; grows (by replacing itself) to the
 * largest `threads` a run asks for; threads start lazily, leave after `IDLE_MS` idle, and
 * piscina unrefs idle threads, so they never keep the process alive.
 */
const IDLE_MS = 60_000;

let shared: { pool: Piscina; size: number } | null = null;

/** Running from TypeScript source (tests, tsx): the entry is a .ts file, loaded through tsx. */
const sourceMode = import.meta.url.endsWith(".ts");

function entry(): string {
  return sourceMode
    ? new URL("./worker-entry.ts", import.meta.url).href
    : new URL("./threads-worker.js", import.meta.url).href;
}

function computePool(threads: number): Piscina {
  if (shared && shared.size >= threads) return shared.pool;
  const old = shared;
  const size = Math.max(threads, old?.size ?? 0);
  const pool = new Piscina({
    filename: entry(),
    minThreads: 0,
    maxThreads: size,
    idleTimeout: IDLE_MS,
    recordTiming: false,
    concurrentTasksPerWorker: 1,
    execArgv: sourceMode || mainUsesTsx() ? ["--import", tsxImport()] : [],
  });
  // A task aborted while running ends its thread; a reply that thread had already posted
  // then arrives for a task piscina has forgotten, and piscina reports it as an 'error'
  // event (uncaught without a listener). The aborted task's result is dropped by design, so
  // only that report is ignored; any other pool error is rethrown as before.
  pool.on("error", (err: unknown) => {
    if (err instanceof Error && err.message.startsWith("Unexpected message from Worker")) return;
    queueMicrotask(() => {
      throw err;
    });
  });
  shared = { pool, size };
  // The old pool finishes the tasks it has, then its threads exit.
  if (old) void old.pool.close().catch(() => {});
  return pool;
}

/**
 * Runs one task on the compute threads of a pool at least `threads` wide. Rejects with the
 * thread's error when the task throws or its thread dies (a wasm trap); the pool replaces a
 * dead thread by itself.
 */
export function runCompute<T extends ComputeTask>(
  task: T,
  threads: number,
  signal?: AbortSignal,
  transferList?: (ArrayBuffer | MessagePort)[],
): Promise<ReplyOf<T>> {
  const pool = computePool(threads);
  return pool.run(task, { signal: signal ?? null, transferList }) as Promise<ReplyOf<T>>;
}

/** Closes the compute pool (tests; a normal script does not need this). */
export async function closeComputePool(): Promise<void> {
  const s = shared;
  shared = null;
  if (s) await s.pool.close({ force: true });
}

/** Compute threads currently alive (for tests and diagnostics). */
export function computePoolThreads(): number {
  return shared ? shared.pool.threads.length : 0;
}
