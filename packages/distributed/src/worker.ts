import { randomUUID } from "node:crypto";
import { mkdir, rename, rm, rmdir, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import type { BroadcastInput } from "@deft/core";
import {
  closeComputePool,
  type FragmentTask,
  type PlanJson,
  runCompute,
  writeResultOf,
} from "@deft/core/internal";
import { tableFromIPC } from "apache-arrow";
import { type Job, Worker } from "bullmq";
import { readBroadcast } from "./broadcast-file.js";
import { connected, redisConnection } from "./connection.js";
import { ClusterPermits, PERMIT_CHANNEL } from "./permits.js";
import {
  attemptBucketFile,
  attemptFile,
  attemptWriteDir,
  CANCEL_CHANNEL,
  callsUdfs,
  cancelKey,
  INLINE_MAX_BYTES,
  QUEUE,
  type TaskJob,
  type TaskResult,
} from "./task.js";
import { UdfEventForwarder } from "./udf-events.js";

/** Options of `startWorker` (and of the `deft-worker` command). */
export interface StartWorkerOptions {
  /** The cluster's Redis, e.g. `redis://10.0.0.5:6379`. */
  url: string;
  /** The shared folder the runners write to, under the same path as they see it. */
  workDir: string;
  /**
   * Compute threads, which is also how many tasks run at once (default 1); the worker holds
   * one task more, waiting for a thread.
   */
  threads?: number;
  /** The name the worker reports (default `host:pid`). */
  name?: string;
}

/** A running worker process's part: `close()` lets running tasks finish, then leaves. */
export interface DeftWorker {
  /** The name the worker reports in results, errors and `runner.status()`. */
  readonly name: string;
  /** Lets running tasks finish, then closes the worker's connections and compute threads. */
  close(): Promise<void>;
}

/**
 * A task's lock lasts this long and is renewed at half of it: a worker killed mid-task
 * loses it at most LOCK_MS after its last renewal.
 */
export const LOCK_MS = 3000;
/** How often every worker looks for tasks whose lock expired (their worker died). */
export const STALLED_INTERVAL_MS = 1500;
/** Tasks a worker takes beyond its threads, waiting for a thread (see `concurrency`). */
export const PREFETCH = 1;
/** A task whose worker died this many times fails the run instead of running again. */
export const MAX_STALLED = 3;

/**
 * Starts a worker in this process: it takes tasks from the queue on `url` and runs each on
 * its compute threads (so the event loop stays free to renew the task locks), writing the
 * output under `workDir` with a name of its own per attempt.
 */
export async function startWorker(opts: StartWorkerOptions): Promise<DeftWorker> {
  if (typeof opts?.url !== "string")
    throw new TypeError('startWorker needs { url: "redis://host:6379", workDir }');
  if (typeof opts.workDir !== "string" || opts.workDir === "")
    throw new TypeError("startWorker needs { workDir }: the folder the runners write to");
  const threads = opts.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1)
    throw new RangeError(`startWorker: threads must be a positive integer, got ${threads}`);
  const name = opts.name ?? `${hostname()}:${process.pid}`;
  const workDir = resolve(opts.workDir);
  const conn = redisConnection(opts.url);
  const sub = redisConnection(opts.url);
  await connected(conn, opts.url, `Worker ${name}`);
  await connected(sub, opts.url, `Worker ${name}`);
  const runs = new RunTasks();
  const cancelled = new CancelledRuns((runId) => conn.exists(cancelKey(runId)));
  const broadcasts = new BroadcastCache(workDir);
  const udfTasks = new Mutex();
  const permits = new ClusterPermits(conn, name);

  const processJob = async (job: Job<TaskJob>, token?: string, signal?: AbortSignal) => {
    const data = job.data;
    runs.started(data.runId, job.id!);
    try {
      return await runTask(job, token ?? randomUUID(), signal);
    } finally {
      runs.ended(data.runId, job.id!);
    }
  };

  const runTask = async (
    job: Job<TaskJob>,
    attempt: string,
    signal: AbortSignal | undefined,
  ): Promise<TaskResult> => {
    const data = job.data;
    if (await cancelled.has(data.runId))
      throw abortedError(`the run of this task was aborted before worker ${name} started it`);
    const release = callsUdfs(data.plan) ? await udfTasks.lock() : () => {};
    // A write's attempt writes its parts into a folder of its own under the staging folder.
    const own = data.output === "write" ? attemptWriteDir(stagingOf(data), data.task, attempt) : "";
    const parts = join(own, "parts");
    let wrote = false;
    try {
      const task: FragmentTask =
        data.output === "write"
          ? { kind: "fragment", plan: sinkInto(data.plan, `${parts}/`), output: "batches" }
          : { kind: "fragment", plan: data.plan, output: data.output };
      if (data.bucketBy) task.bucketBy = data.bucketBy;
      if (data.broadcasts.length)
        task.broadcasts = await Promise.all(data.broadcasts.map((f) => broadcasts.get(f)));
      // The thread asks this (main) thread for its permits: see ClusterPermits.
      const served = data.budget !== undefined ? permits.serve(data.budget) : undefined;
      if (served) task.permits = served.port;
      let reply: Awaited<ReturnType<typeof runCompute<FragmentTask>>>;
      const events = data.events ? new UdfEventForwarder(job, name) : undefined;
      if (events) task.events = events.port;
      try {
        const ports = [...(served ? [served.port] : []), ...(events ? [events.port] : [])];
        reply = await runCompute(task, threads, signal, ports.length ? ports : undefined);
        // Sent before the result, so the runner has every event before the completion.
        await events?.finish();
      } catch (err) {
        events?.close();
        if (signal?.aborted) throw abortedError(`worker ${name} stopped the task: run aborted`);
        const e = err instanceof Error ? err : new Error(String(err));
        return {
          worker: name,
          scans: [],
          error: {
            name: e.name,
            message: `a compute thread of worker ${name} stopped: ${e.message}`,
          },
        };
      } finally {
        served?.stop();
      }
      if (reply.error) return { worker: name, scans: reply.scans, error: reply.error };
      if (data.output === "write") {
        const r = writeResultOf(reply.ipc ? tableFromIPC(reply.ipc).batches : []);
        wrote = true;
        const files = r.paths.map((p) => relative(parts, p));
        return {
          worker: name,
          scans: reply.scans,
          written: { dir: parts, files, rows: r.rows, bytes: r.bytes },
        };
      }
      if (data.output === "buckets") {
        if (signal?.aborted) throw abortedError(`worker ${name} stopped the task: run aborted`);
        const buckets = await writeBuckets(workDir, data, attempt, reply.buckets ?? []);
        // Aborted while writing: the runner may have removed the stage's folder already, so
        // this attempt takes back what it wrote.
        if (signal?.aborted || (await cancelled.has(data.runId))) {
          await removeOutputs(workDir, buckets);
          throw abortedError(`worker ${name} stopped the task: run aborted`);
        }
        return { worker: name, buckets, scans: reply.scans };
      }
      if (!reply.ipc) return { worker: name, scans: reply.scans };
      if (reply.ipc.byteLength <= INLINE_MAX_BYTES) {
        const inline = Buffer.from(reply.ipc.buffer, reply.ipc.byteOffset, reply.ipc.byteLength);
        return { worker: name, inline: inline.toString("base64"), scans: reply.scans };
      }
      const file = attemptFile(data, attempt);
      const path = join(workDir, file);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(`${path}.tmp`, reply.ipc);
      await rename(`${path}.tmp`, path);
      if (signal?.aborted || (await cancelled.has(data.runId))) {
        await removeOutputs(workDir, [file]);
        throw abortedError(`worker ${name} stopped the task: run aborted`);
      }
      return { worker: name, file, scans: reply.scans };
    } finally {
      release();
      // An attempt that wrote nothing to commit (it failed or was stopped) leaves nothing:
      // its folder goes, and the staging folder too once it is empty (the runner may have
      // removed it already, before this attempt's thread stopped).
      if (own && !wrote) {
        await rm(own, { recursive: true, force: true }).catch(() => {});
        await rmdir(stagingOf(data)).catch(() => {});
      }
    }
  };

  // Subscribed before the first task is taken, so no abort announced after a check is missed.
  let worker: Worker<TaskJob, TaskResult> | undefined;
  await sub.subscribe(CANCEL_CHANNEL, PERMIT_CHANNEL);
  sub.on("message", (channel: string, message: string) => {
    if (channel === PERMIT_CHANNEL) return permits.heard(message);
    const runId = message;
    cancelled.heard(runId);
    for (const jobId of runs.active(runId)) worker?.cancelJob(jobId, "run aborted");
  });
  worker = new Worker<TaskJob, TaskResult>(QUEUE, processJob, {
    connection: redisConnection(opts.url),
    // One task more than threads: the next task is fetched while the last ones run, so a
    // thread never waits for a queue round trip between tasks.
    concurrency: threads + PREFETCH,
    lockDuration: LOCK_MS,
    stalledInterval: STALLED_INTERVAL_MS,
    maxStalledCount: MAX_STALLED,
    name,
  });
  worker.on("error", () => {}); // connection trouble: BullMQ reconnects and carries on
  await worker.waitUntilReady();
  return {
    name,
    async close() {
      await worker.close();
      permits.close();
      sub.disconnect();
      conn.disconnect();
      broadcasts.clear();
      await closeComputePool();
    },
  };
}

/** A shuffle task's buckets, each written (through a temporary name) to a file of its own. */
async function writeBuckets(
  workDir: string,
  data: TaskJob,
  attempt: string,
  buckets: (Uint8Array | null)[],
): Promise<(string | null)[]> {
  const files: (string | null)[] = [];
  let folderMade = false; // an attempt's buckets share one folder
  for (let b = 0; b < buckets.length; b++) {
    const ipc = buckets[b];
    if (!ipc) {
      files.push(null);
      continue;
    }
    const file = attemptBucketFile(data, attempt, b);
    const path = join(workDir, file);
    if (!folderMade) {
      await mkdir(dirname(path), { recursive: true });
      folderMade = true;
    }
    await writeFile(`${path}.tmp`, ipc);
    await rename(`${path}.tmp`, path);
    files.push(file);
  }
  return files;
}

/** A stopped attempt's output files removed, and its stage's folders if nothing else is left. */
async function removeOutputs(workDir: string, files: (string | null)[]): Promise<void> {
  const written = files.filter((f): f is string => f !== null);
  await Promise.all(written.map((f) => rm(join(workDir, f), { force: true })));
  const first = written[0];
  if (!first) return;
  const stage = dirname(join(workDir, first));
  await rmdir(stage).catch(() => {});
  await rmdir(dirname(stage)).catch(() => {});
}

function stagingOf(data: TaskJob): string {
  if (!data.staging)
    throw new Error(`write task ${data.task} of run ${data.runId} has no staging folder`);
  return data.staging;
}

/** The write's plan with its sink (the root) writing into `dir` (a folder of parts). */
function sinkInto(plan: PlanJson, dir: string): PlanJson {
  if (plan.plan.kind !== "sink")
    throw new Error(`a write task's plan has a ${String(plan.plan.kind)} at its root, not a sink`);
  return { ...plan, plan: { ...plan.plan, path: dir } };
}

function abortedError(message: string): Error {
  const err = new Error(message);
  err.name = "AbortError";
  return err;
}

/** The jobs this worker is running, by run (to stop them when their run is aborted). */
class RunTasks {
  private readonly byRun = new Map<string, Set<string>>();
  started(runId: string, jobId: string): void {
    let s = this.byRun.get(runId);
    if (!s) this.byRun.set(runId, (s = new Set()));
    s.add(jobId);
  }
  ended(runId: string, jobId: string): void {
    const s = this.byRun.get(runId);
    s?.delete(jobId);
    if (s?.size === 0) this.byRun.delete(runId);
  }
  active(runId: string): string[] {
    return [...(this.byRun.get(runId) ?? [])];
  }
}

/**
 * How long a run found not aborted stays so without asking Redis again: an abort announced
 * meanwhile arrives on the cancel channel; the check also covers an announcement missed
 * while the subscription was reconnecting.
 */
const CANCEL_RECHECK_MS = 1000;

/** Runs known to be aborted (announced, or marked in Redis), asked of Redis at most once a second per run. */
class CancelledRuns {
  private readonly aborted = new Set<string>();
  private readonly checkedAt = new Map<string, number>();
  constructor(private readonly isMarked: (runId: string) => Promise<number>) {}
  heard(runId: string): void {
    this.aborted.add(runId);
    // A few hundred runs remembered at most: the oldest leave first.
    if (this.aborted.size > 256) this.aborted.delete(this.aborted.values().next().value!);
  }
  async has(runId: string): Promise<boolean> {
    if (this.aborted.has(runId)) return true;
    const at = this.checkedAt.get(runId);
    if (at !== undefined && performance.now() - at < CANCEL_RECHECK_MS) return false;
    if (await this.isMarked(runId)) {
      this.heard(runId);
      return true;
    }
    this.checkedAt.delete(runId);
    this.checkedAt.set(runId, performance.now());
    if (this.checkedAt.size > 256) this.checkedAt.delete(this.checkedAt.keys().next().value!);
    return this.aborted.has(runId);
  }
}

/** Join sides read once per stage by each worker, kept for the stage's next tasks. */
class BroadcastCache {
  private readonly files = new Map<string, Promise<BroadcastInput>>();
  constructor(private readonly workDir: string) {}
  get(file: string): Promise<BroadcastInput> {
    let p = this.files.get(file);
    if (!p) {
      p = readBroadcast(join(this.workDir, file));
      this.files.set(file, p);
      p.catch(() => this.files.delete(file));
      // A few stages' sides at most: the oldest leave first.
      while (this.files.size > 4) this.files.delete(this.files.keys().next().value!);
    }
    return p;
  }
  clear(): void {
    this.files.clear();
  }
}

/** One holder at a time (UDF tasks, so a UDF's `maxConcurrency` holds per worker process). */
class Mutex {
  private tail: Promise<void> = Promise.resolve();
  async lock(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    const before = this.tail;
    this.tail = before.then(() => held);
    await before;
    return release;
  }
}
