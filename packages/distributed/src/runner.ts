import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, extname, join, resolve } from "node:path";
import type {
  FragmentReply,
  Runner,
  RunnerShuffle,
  RunnerShuffleStage,
  RunnerStage,
  RunnerWrite,
  RunnerWriteStage,
  ScanEndEvent,
  StageProgressListener,
  UdfEventListener,
  WriteResult,
} from "@deft/core";
import { DEFAULT_BROADCAST_BYTES, moveIntoPlace } from "@deft/core/internal";
import { type Job, Queue, QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import { writeBroadcast } from "./broadcast-file.js";
import { connected, redisConnection } from "./connection.js";
import { RunBudgets } from "./permits.js";
import type { RunnerProgress, RunnerStatus, StageStatus } from "./status.js";
import {
  CANCEL_CHANNEL,
  cancelKey,
  QUEUE,
  runDir,
  type TaskJob,
  type TaskProgress,
  type TaskResult,
  type WrittenParts,
} from "./task.js";
import { fromWire } from "./udf-events.js";

/** Options of `redisRunner`. */
export interface RedisRunnerOptions {
  /** The Redis every worker of the cluster listens on, e.g. `redis://10.0.0.5:6379`. */
  url: string;
  /**
   * A folder every worker and this process reach under the same path (a shared mount):
   * task outputs and join sides are written there, and removed when their stage ends.
   */
  workDir: string;
  /**
   * Joins whose right side is estimated above this many bytes (its files on disk) are
   * hash-shuffled through `workDir` instead of broadcast to every task (default 64 MiB);
   * right and outer joins of two sides above it together, likewise. `0` shuffles every
   * join whose two sides the workers can run.
   */
  broadcastBytes?: number;
}

/** A runner over Redis: pass it as `{ runner }` to any running method of a DataFrame. */
export interface RedisRunner extends Runner {
  /** Every stage this runner started, and the tasks each worker finished or failed. */
  status(): RunnerStatus;
  /** `progress`: a stage's tasks moved (queued, running, done, retried, failed). */
  on(event: "progress", listener: (progress: RunnerProgress) => void): this;
  /** Stops calling a `progress` listener. */
  off(event: "progress", listener: (progress: RunnerProgress) => void): this;
  /** Closes the runner's Redis connections. */
  close(): Promise<void>;
}

/** Jobs of a stage that finished while Redis events may have been missed are polled this often. */
const POLL_MS = 1000;

interface Pending {
  task: number;
  /** The stage's UDF event listener (its run has subscribers). */
  onUdfEvent?: UdfEventListener;
  resolve(result: TaskResult): void;
  reject(err: Error): void;
}

interface Connections {
  conn: Redis;
  queue: Queue;
  events: QueueEvents;
}

/**
 * A runner that sends each stage's tasks (one per partition) to the `deft-worker` processes
 * listening on `url`, over a BullMQ queue, and reads their committed outputs from `workDir`.
 */
export function redisRunner(opts: RedisRunnerOptions): RedisRunner {
  return new RedisStageRunner(opts);
}

class RedisStageRunner extends EventEmitter implements RedisRunner {
  private readonly url: string;
  private readonly workDir: string;
  readonly broadcastBytes: number;
  private readonly id = randomUUID().slice(0, 8);
  private readonly budgets = new RunBudgets(this.id);
  private stageCount = 0;
  private opened: Promise<Connections> | undefined;
  private readonly pending = new Map<string, Pending>();
  private readonly stages: StageStatus[] = [];
  private readonly byStage = new Map<string, StageStatus>();
  /** The run's subscribers' listener per stage running now (see `report`). */
  private readonly stageListeners = new Map<string, StageProgressListener>();
  private readonly workers: RunnerStatus["workers"] = {};
  private closed = false;

  constructor(opts: RedisRunnerOptions) {
    super();
    if (typeof opts?.url !== "string")
      throw new TypeError('redisRunner needs { url: "redis://host:6379", workDir }');
    if (typeof opts.workDir !== "string" || opts.workDir === "")
      throw new TypeError(
        "redisRunner needs { workDir }: a folder every worker reaches under the same path",
      );
    const limit = opts.broadcastBytes ?? DEFAULT_BROADCAST_BYTES;
    if (typeof limit !== "number" || !(limit >= 0))
      throw new RangeError(
        `redisRunner: broadcastBytes must be a number of bytes >= 0, got ${String(opts.broadcastBytes)}`,
      );
    this.broadcastBytes = limit;
    this.url = opts.url;
    this.workDir = resolve(opts.workDir);
    redisConnection(this.url).disconnect(); // checks the URL's form now
  }

  status(): RunnerStatus {
    return {
      stages: this.stages.map((s) => ({ ...s })),
      workers: Object.fromEntries(Object.entries(this.workers).map(([k, v]) => [k, { ...v }])),
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    const c = this.opened;
    this.opened = undefined;
    if (!c) return;
    const open = await c.catch(() => undefined);
    if (!open) return;
    await Promise.allSettled([open.events.close(), open.queue.close()]);
    open.conn.disconnect();
  }

  private connections(): Promise<Connections> {
    if (this.closed) return Promise.reject(new Error("this runner was closed"));
    this.opened ??= this.open();
    const opened = this.opened;
    opened.catch(() => {
      if (this.opened === opened) this.opened = undefined;
    });
    return opened;
  }

  private async open(): Promise<Connections> {
    const conn = redisConnection(this.url);
    await connected(conn, this.url, "The runner");
    const eventsConn = redisConnection(this.url);
    await connected(eventsConn, this.url, "The runner");
    const queue = new Queue(QUEUE, { connection: conn });
    const events = new QueueEvents(QUEUE, { connection: eventsConn });
    events.on("error", () => {}); // reconnects by itself; stages poll meanwhile
    await events.waitUntilReady();
    events.on("active", ({ jobId }) => this.moved(jobId, "running"));
    events.on("stalled", ({ jobId }) => this.moved(jobId, "retried"));
    events.on("completed", ({ jobId, returnvalue }) => {
      const p = this.pending.get(jobId);
      if (!p) return;
      p.resolve(parseResult(returnvalue));
    });
    events.on("progress", ({ jobId, data }) => this.progressed(jobId, data));
    events.on("failed", ({ jobId, failedReason }) => {
      this.pending.get(jobId)?.reject(new Error(failedReason));
    });
    return { conn, queue, events };
  }

  /** A running task reported UDF events: passed on, naming its worker and task. */
  private progressed(jobId: string, data: unknown): void {
    const p = this.pending.get(jobId);
    const progress = data as Partial<TaskProgress> | null;
    if (!p?.onUdfEvent || !progress || !Array.isArray(progress.udf)) return;
    const worker = String(progress.worker);
    for (const e of progress.udf) p.onUdfEvent({ ...fromWire(e), worker, task: p.task });
  }

  /** A task's attempt started (running) or stalled (its worker stopped; it runs again). */
  private moved(jobId: string, how: "running" | "retried"): void {
    const stage = this.byStage.get(jobId.slice(0, jobId.lastIndexOf("-")));
    if (!stage || !this.pending.has(jobId)) return;
    if (how === "running" && stage.queued > 0) {
      stage.queued--;
      stage.running++;
    } else if (how === "retried") {
      stage.retried++;
      if (stage.running > 0) {
        stage.running--;
        stage.queued++;
      }
    }
    this.report({ ...stage });
  }

  async *runStage(
    stage: RunnerStage,
    signal: AbortSignal,
    onUdfEvent?: UdfEventListener,
    onProgress?: StageProgressListener,
  ): AsyncGenerator<FragmentReply> {
    for await (const r of this.taskResults(stage, signal, onUdfEvent, { onProgress })) {
      if (r.error) {
        yield {
          ipc: null,
          scans: r.scans,
          error: { ...r.error, message: `${r.error.message} (on worker ${r.worker})` },
        };
        return;
      }
      const ipc = r.inline
        ? new Uint8Array(Buffer.from(r.inline, "base64"))
        : r.file
          ? new Uint8Array(await readFile(join(this.workDir, r.file)))
          : null;
      yield { ipc, scans: r.scans };
    }
  }

  async writeStage(
    stage: RunnerWriteStage,
    signal: AbortSignal,
    onUdfEvent?: UdfEventListener,
    onProgress?: StageProgressListener,
  ): Promise<RunnerWrite> {
    const target = resolve(stage.target);
    const staging = join(
      dirname(target),
      `.${basename(target)}.deft-staging-${this.id}-${randomUUID().slice(0, 8)}`,
    );
    const committed: WrittenParts[] = [];
    const scans: ScanEndEvent[] = [];
    try {
      const spec = { tasks: stage.tasks, output: "write" as const, broadcasts: stage.broadcasts };
      for await (const r of this.taskResults(spec, signal, onUdfEvent, { staging, onProgress })) {
        scans.push(...r.scans);
        if (r.error) throw taskFailed(r);
        if (!r.written) throw new Error(`worker ${r.worker} returned no parts for a write task`);
        committed.push(r.written);
      }
      if (signal.aborted) throw abortReason(signal);
      return { result: await commitParts(committed, staging, target), scans };
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }

  async shuffleStage(
    stage: RunnerShuffleStage,
    signal: AbortSignal,
    onUdfEvent?: UdfEventListener,
    onProgress?: StageProgressListener,
  ): Promise<RunnerShuffle> {
    const buckets: string[][] = Array.from({ length: stage.bucketBy.count }, () => []);
    const scans: ScanEndEvent[] = [];
    let kept: string | undefined;
    const spec = {
      tasks: stage.tasks,
      broadcasts: stage.broadcasts,
      output: "buckets" as const,
      bucketBy: stage.bucketBy,
    };
    try {
      const keep = (dir: string) => {
        kept = dir;
      };
      for await (const r of this.taskResults(spec, signal, onUdfEvent, { keep, onProgress })) {
        scans.push(...r.scans);
        if (r.error) throw taskFailed(r);
        if (!r.buckets)
          throw new Error(`worker ${r.worker} returned no buckets for a shuffle task`);
        r.buckets.forEach((f, b) => {
          if (f !== null) buckets[b]!.push(join(this.workDir, f));
        });
      }
    } catch (err) {
      if (kept) await rm(kept, { recursive: true, force: true });
      throw err;
    }
    const dir = kept;
    return {
      buckets,
      scans,
      release: async () => {
        if (dir) await rm(dir, { recursive: true, force: true });
      },
    };
  }

  /**
   * Runs a stage's tasks and yields each task's committed result in task order (the first
   * attempt to complete wins); cancels what is left when the consumer stops or `signal` aborts.
   */
  private async *taskResults(
    stage: Pick<RunnerStage, "tasks" | "broadcasts"> & Pick<TaskJob, "output" | "bucketBy">,
    signal: AbortSignal,
    onUdfEvent: UdfEventListener | undefined,
    opts: {
      /** A write's staging folder, beside its target. */
      staging?: string;
      /**
       * Given the stage's folder once every task is done, instead of removing it: the
       * caller removes it once the files in it were read (a shuffle's buckets).
       */
      keep?: (dir: string) => void;
      /** The run's subscribers' listener: the stage's standing each time it changes. */
      onProgress?: StageProgressListener;
    } = {},
  ): AsyncGenerator<TaskResult> {
    const { staging, keep, onProgress } = opts;
    const c = await this.connections();
    const stageId = `${this.id}.${this.stageCount++}`;
    const runId = stageId;
    const dir = join(this.workDir, runDir(runId));
    const status: StageStatus = {
      stage: stageId,
      output: stage.output,
      tasks: stage.tasks.length,
      queued: stage.tasks.length,
      running: 0,
      done: 0,
      retried: 0,
      failed: 0,
      finished: false,
    };
    this.stages.push(status);
    this.byStage.set(stageId, status);
    if (onProgress) this.stageListeners.set(stageId, onProgress);
    const jobIds = stage.tasks.map((_, i) => `${stageId}-${i}`);
    const budget = this.budgets.begin(signal, stage.tasks[0]);
    // First completed attempt per task wins: the manifest names the one file read per task.
    const committed = new Map<number, TaskResult>();
    const results = jobIds.map(
      (jobId, task) =>
        new Promise<TaskResult>((resolve, reject) => {
          this.pending.set(jobId, {
            task,
            ...(onUdfEvent ? { onUdfEvent } : {}),
            resolve: (r) => {
              if (committed.has(task)) return;
              committed.set(task, r);
              this.pending.delete(jobId);
              this.ended(status, r);
              resolve(r);
            },
            reject: (e) => {
              if (committed.has(task)) return;
              this.pending.delete(jobId);
              status.failed++;
              status.running = Math.max(0, status.running - 1);
              this.report({ ...status });
              reject(e);
            },
          });
        }),
    );
    for (const r of results) r.catch(() => {});
    let finished = false;
    const broadcastFiles: string[] = [];
    const poll = setInterval(() => void this.reconcile(c.queue, jobIds), POLL_MS);
    try {
      await mkdir(dir, { recursive: true });
      if (staging) await mkdir(staging, { recursive: true });
      const broadcasts = await Promise.all(
        stage.broadcasts.map(async (b, slot) => {
          const file = `${runDir(runId)}/b${slot}.bin`;
          await writeBroadcast(join(this.workDir, file), b);
          broadcastFiles.push(file);
          return file;
        }),
      );
      await c.queue.addBulk(
        stage.tasks.map((plan, task) => {
          const data: TaskJob = {
            runId,
            stage: this.stageCount - 1,
            task,
            plan,
            output: stage.output,
            ...(stage.bucketBy ? { bucketBy: stage.bucketBy } : {}),
            broadcasts,
            ...(budget !== undefined ? { budget } : {}),
            ...(staging ? { staging } : {}),
            ...(onUdfEvent ? { events: true } : {}),
          };
          return {
            name: "task",
            data,
            opts: {
              jobId: jobIds[task]!,
              attempts: 1,
              removeOnComplete: false,
              removeOnFail: false,
            },
          };
        }),
      );
      this.report({ ...status });
      for (let i = 0; i < results.length; i++) {
        const r = await abortable(results[i]!, signal);
        yield r;
        if (r.error) return;
      }
      finished = true;
      await this.writeManifest(dir, committed);
    } finally {
      clearInterval(poll);
      status.finished = true;
      for (const id of jobIds) this.pending.delete(id);
      if (!finished) await this.cancel(c, runId, jobIds).catch(() => {});
      await Promise.allSettled(jobIds.map((id) => c.queue.remove(id)));
      // The broadcast sides are read by now; a kept stage's outputs are its caller's.
      await Promise.all(broadcastFiles.map((f) => rm(join(this.workDir, f), { force: true })));
      if (finished && keep) keep(dir);
      else await rm(dir, { recursive: true, force: true });
      if (budget !== undefined) await this.budgets.end(signal, c.conn).catch(() => {});
      this.report({ ...status });
      this.stageListeners.delete(stageId);
    }
  }

  /** A stage's standing changed: `progress` listeners and its run's subscribers hear it. */
  private report(progress: RunnerProgress): void {
    this.emit("progress", progress);
    this.stageListeners.get(progress.stage)?.(progress);
  }

  private ended(status: StageStatus, r: TaskResult): void {
    const w = (this.workers[r.worker] ??= { done: 0, failed: 0 });
    if (r.error) {
      w.failed++;
      status.failed++;
    } else {
      w.done++;
      status.done++;
    }
    if (status.running > 0) status.running--;
    else if (status.queued > 0) status.queued--;
    this.report({ ...status, worker: r.worker });
  }

  /** The stage's committed outputs, one file per task (for the record and for inspection). */
  private async writeManifest(dir: string, committed: Map<number, TaskResult>): Promise<void> {
    const tasks = [...committed].map(([task, r]) => ({
      task,
      worker: r.worker,
      ...(r.inline !== undefined ? { inlineBytes: Buffer.byteLength(r.inline, "base64") } : {}),
      ...(r.file !== undefined ? { file: r.file } : {}),
    }));
    const tmp = join(dir, `manifest.json.tmp`);
    await writeFile(tmp, JSON.stringify({ tasks }));
    await rename(tmp, join(dir, "manifest.json"));
  }

  /** Tasks that finished while the event stream was away (a Redis restart) are read here. */
  private async reconcile(queue: Queue, jobIds: string[]): Promise<void> {
    for (const id of jobIds) {
      const p = this.pending.get(id);
      if (!p) continue;
      let job: Job | undefined;
      try {
        job = await queue.getJob(id);
      } catch {
        return; // Redis is away; try again on the next tick
      }
      if (!job) continue;
      if (job.finishedOn && job.failedReason) p.reject(new Error(job.failedReason));
      else if (job.finishedOn && job.returnvalue) p.resolve(parseResult(job.returnvalue));
    }
  }

  /** Aborted or abandoned: queued tasks are removed, running ones told to stop. */
  private async cancel(c: Connections, runId: string, jobIds: string[]): Promise<void> {
    await c.conn.set(cancelKey(runId), "1", "EX", 3600);
    await c.conn.publish(CANCEL_CHANNEL, runId);
    await Promise.allSettled(jobIds.map((id) => c.queue.remove(id)));
  }
}

/**
 * The commit of a write: the committed attempts' parts renamed, in task order, to their final
 * names inside `staging/out` (`part-00000.ext`, ... numbered per partition folder), then that
 * folder moved onto `target` at once (an existing target swapped out, as a local write does).
 */
async function commitParts(
  tasks: WrittenParts[],
  staging: string,
  target: string,
): Promise<WriteResult> {
  const out = join(staging, "out");
  await mkdir(out);
  const counters = new Map<string, number>();
  const names: string[] = [];
  let rows = 0;
  let bytes = 0;
  for (const t of tasks) {
    for (const file of t.files) {
      const folder = dirname(file);
      const n = counters.get(folder) ?? 0;
      counters.set(folder, n + 1);
      const name = join(folder, `part-${String(n).padStart(5, "0")}${extname(file)}`);
      await mkdir(dirname(join(out, name)), { recursive: true });
      await rename(join(t.dir, file), join(out, name));
      names.push(name);
    }
    rows += t.rows;
    bytes += t.bytes;
  }
  const existing = await stat(target).catch(() => undefined);
  await moveIntoPlace(out, target, existing !== undefined);
  return { path: target, paths: names.map((n) => join(target, n)), rows, bytes };
}

/** A task's error, its name kept, naming the worker it ran on. */
function taskFailed(r: TaskResult): Error {
  const e = r.error!;
  const err = new Error(`${e.message} (on worker ${r.worker})`);
  err.name = e.name;
  if (e.stack) err.stack = e.stack;
  return err;
}

function parseResult(v: unknown): TaskResult {
  return (typeof v === "string" ? JSON.parse(v) : v) as TaskResult;
}

/** `p`, or an AbortError as soon as `signal` aborts. */
function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

function abortReason(signal: AbortSignal): Error {
  const err = new Error("The run was aborted", { cause: signal.reason });
  err.name = "AbortError";
  return err;
}
