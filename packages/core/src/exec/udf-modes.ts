import { setMaxListeners } from "node:events";
import { MessageChannel, type MessagePort } from "node:worker_threads";
import { type Data, makeVector, type RecordBatch } from "apache-arrow";
import { concatData } from "../kernels/take-concat.js";
import { broadcastAbort } from "../udf/abort-channel.js";
import { argValues, rowInputs } from "../udf/args.js";
import { asError, UdfError, UdfSetupError } from "../udf/errors.js";
import { returnCheck } from "../udf/fits.js";
import { type Callable, toWireSource } from "../udf/load.js";
import { batchResultToData, buildOutput } from "../udf/output.js";
import { bothPermits, LocalPermits, servePermits } from "../udf/permits.js";
import { mainUsesTsx, moduleNeedsTsx, workerPool } from "../udf/pool.js";
import type { Job, SchedulerHooks } from "../udf/scheduler.js";
import type { UdfDef, UdfRuntime } from "../udf/types.js";
import {
  fromWire,
  toWire,
  transferList,
  typeToIpc,
  type WarmTask,
  type WorkerReply,
  type WorkerTask,
} from "../udf/wire.js";
import type { ExecContext, UdfFailure } from "./context.js";

/** Tells one operator run's worker tasks apart from another's. */
let nextRun = 1;

/** How long a worker task may go on after its run stopped before its thread is terminated. */
const KILL_AFTER_MS = 1000;

/** A UDF's return type as IPC bytes, encoded once per UDF rather than once per run. */
const typeIpcs = new WeakMap<UdfDef, Uint8Array>();

/** One input batch in flight through a UDF operator. */
export interface UdfJob extends Job {
  readonly batch: RecordBatch;
  /** Row number of the batch's first row in the operator's input. */
  readonly rowBase: number;
  readonly argData: Data[];
  /** Row-mode argument values (typed arrays or decoded JS values). */
  args: ArrayLike<unknown>[];
  /** Worker mode: rows per task. */
  chunk: number;
  /** Failures under onError "null", handed to ctx in row order when the batch is emitted. */
  readonly failures: UdfFailure[];
  promise: Promise<UdfJob>;
}

/** How one kind of UDF turns a batch into units of work and units back into a column. */
export interface UdfMode {
  readonly label: string;
  /** In-flight units (the scheduler's lanes). */
  readonly lanes: number;
  /**
   * What a job weighs against the read-ahead budget (4 x lanes): its units (rows for row
   * UDFs, one for a batch call, its tasks on workers), so a thread that finishes early finds
   * the next batch already queued instead of waiting on the oldest one.
   */
  weight(job: UdfJob): number;
  /** Sets up a job's units (its `n`) and per-mode fields. */
  prepare(job: Omit<UdfJob, "n">): number;
  readonly hooks: Omit<SchedulerHooks<UdfJob>, "fatal">;
  /** The input rows unit `i` covers: first row number and count (for udf:call events). */
  span(job: UdfJob, i: number): { row: number; rows: number };
  assemble(job: UdfJob): Data;
  /** The run stopped (aborted, failed or done): in-flight work anywhere is told to stop. */
  stop?(reason: unknown): void;
}

/** The mode with a udf:call event emitted as each unit starts (only built for subscribers). */
export function announcingCalls(mode: UdfMode, ctx: ExecContext, id: number, udf: string): UdfMode {
  const call = mode.hooks.call;
  return {
    ...mode,
    hooks: {
      ...mode.hooks,
      call: (job, i, cx) => {
        ctx.emit({ type: "udf:call", id, udf, ...mode.span(job, i) });
        return call(job, i, cx);
      },
    },
  };
}

export function failureRecord(
  def: UdfDef,
  column: string,
  row: number,
  inputs: unknown[],
  error: unknown,
  attempts: number,
): UdfFailure {
  const e = asError(error);
  return {
    udf: def.name,
    column,
    row,
    inputs,
    error: { name: e.name, message: e.message, stack: e.stack },
    attempts,
  };
}

/** Calls in flight in this process: `maxConcurrency`, or `clusterMaxConcurrency` when smaller. */
export function localLanes(rt: UdfRuntime): number {
  return Math.min(rt.maxConcurrency, rt.clusterMaxConcurrency ?? rt.maxConcurrency);
}

interface ModeEnv {
  def: UdfDef;
  column: string;
  ctx: ExecContext;
  opId: number;
  /** Fails the whole run (onError "raise", or a UDF that cannot run). */
  raise(job: UdfJob, error: Error): void;
}

/** Records or raises one failed row. */
function failRow(
  env: ModeEnv,
  job: UdfJob,
  i: number,
  inputs: unknown[],
  error: unknown,
  attempts: number,
): void {
  const row = job.rowBase + i;
  if (env.def.runtime.onError === "null") {
    job.failures.push(failureRecord(env.def, env.column, row, inputs, error, attempts));
    env.ctx.emit({
      type: "udf:failure",
      id: env.opId,
      udf: env.def.name,
      row,
      error: asError(error),
    });
  } else {
    env.raise(job, new UdfError(env.def.name, env.column, row, inputs, attempts, error));
  }
}

function retryHook(env: ModeEnv, rowOf: (job: UdfJob, i: number) => number) {
  return (job: UdfJob, i: number, attempt: number, delayMs: number, error: unknown) =>
    env.ctx.emit({
      type: "udf:retry",
      id: env.opId,
      udf: env.def.name,
      row: rowOf(job, i),
      attempt,
      delayMs,
      error: asError(error),
    });
}

/** Row-wise on the main thread: a unit is one row; async calls overlap up to maxConcurrency. */
export function rowMode(env: ModeEnv, fn: Callable): UdfMode {
  const { def, column } = env;
  const check = returnCheck(def.name, def.returnType);
  return {
    label: "rows",
    lanes: localLanes(def.runtime),
    weight: (job) => job.batch.numRows,
    prepare(job) {
      job.args = job.argData.map(argValues);
      return job.batch.numRows;
    },
    hooks: {
      call: (job, i, cx) => {
        const a = job.args;
        switch (a.length) {
          case 1:
            return fn(a[0]![i], cx);
          case 2:
            return fn(a[0]![i], a[1]![i], cx);
          default:
            return fn(...rowInputs(a, i), cx);
        }
      },
      row: (job, i) => job.rowBase + i,
      accept: check && ((_job, v) => check(v)),
      fail: (job, i, error, attempts) => {
        job.out[i] = null;
        failRow(env, job, i, rowInputs(job.args, i), error, attempts);
      },
      retry: retryHook(env, (job, i) => job.rowBase + i),
    },
    span: (job, i) => ({ row: job.rowBase + i, rows: 1 }),
    assemble: (job) => buildOutput(job.out, def.returnType, def.name, column),
  };
}

/** Batch UDF on the main thread: a unit is the whole batch (re-chunked to batchSize upstream). */
export function batchMode(env: ModeEnv, fn: Callable): UdfMode {
  const { def, column } = env;
  return {
    label: "batches",
    lanes: localLanes(def.runtime),
    // A batch is one call: weighed by rows, two batches of a few thousand rows used up the
    // read-ahead budget and an async batch UDF never had more than two calls in flight.
    weight: () => 1,
    prepare: () => 1,
    hooks: {
      call: (job, _i, cx) => fn(...job.argData.map((d) => makeVector(d)), cx),
      row: (job) => job.rowBase,
      // A result that is not one value per row fails the batch's attempt (retried, nulled).
      accept: (job, v) => batchResultToData(v, job.batch.numRows, def.returnType, def.name, column),
      fail: (job, _i, error, attempts) => {
        job.out[0] = new Array<unknown>(job.batch.numRows).fill(null);
        const args = job.argData.map(argValues);
        if (def.runtime.onError === "raise") {
          failRow(env, job, 0, rowInputs(args, 0), error, attempts);
          return;
        }
        for (let r = 0; r < job.batch.numRows; r++)
          failRow(env, job, r, rowInputs(args, r), error, attempts);
      },
      retry: retryHook(env, (job) => job.rowBase),
    },
    span: (job) => ({ row: job.rowBase, rows: job.batch.numRows }),
    assemble: (job) =>
      batchResultToData(job.out[0], job.batch.numRows, def.returnType, def.name, column),
  };
}

/**
 * Worker threads: a unit is a chunk of rows shipped as Arrow IPC (transferred, never cloned
 * JS values). Chunks are sized so every thread gets work from one batch; row retries and
 * onError run inside the worker, a crashed task is retried as a whole.
 */
export function workerMode(env: ModeEnv): UdfMode {
  const { def, column, ctx } = env;
  const rt = def.runtime;
  const source = toWireSource(def);
  // tsx on the threads only when the UDF may import TypeScript: a TypeScript module, or a
  // class under a tsx program (its constructor arguments may name more modules, as pipeline
  // nodes do). Shipped source and JavaScript functions skip tsx's start-up cost.
  const tsModules =
    source.kind === "module"
      ? moduleNeedsTsx(source.url)
      : source.kind === "classModule" && (moduleNeedsTsx(source.url) || mainUsesTsx());
  const pool = workerPool(rt.workers, tsModules);
  // A stopped run (aborted, or failed on a row) is told to the workers, which abort their
  // calls' signals and answer at once. piscina's own abort, which terminates a thread, is the
  // backstop for a call that ignores its signal: KILL_AFTER_MS later. piscina adds an abort
  // listener per queued or running task, at most `lanes` at once, on this operator's own
  // signal, so the limit set here is exact.
  const run = `${process.pid}:${env.opId}:${nextRun++}`;
  const kill = new AbortController();
  setMaxListeners(rt.workers + 1, kill.signal);
  let inFlight = 0;
  let typeIpc = typeIpcs.get(def);
  if (!typeIpc) typeIpcs.set(def, (typeIpc = typeToIpc(def.returnType)));
  const key = `${process.pid}:${def.id}`;
  // Threads missing: start them now, loading the UDF, while the input is still being read
  // (one small task per thread asked for, so the pool grows to that many at once).
  if (pool.threads.length < rt.workers) {
    const warm: WarmTask = { warm: true, key, udf: def.name, kind: def.kind, source };
    for (let k = 0; k < rt.workers; k++) void pool.run(warm).catch(() => {});
  }
  const rowsOf = (job: UdfJob, i: number) => Math.min(job.chunk, job.batch.numRows - i * job.chunk);
  // clusterMaxConcurrency across threads: each thread asks this one for a permit per call,
  // over a port sent with its task. This thread holds the count for all of them (and, on a
  // worker of a distributed run, asks the run's budget in turn), so the threads need no
  // shared memory and no Redis client of their own.
  const cap = rt.clusterMaxConcurrency;
  const permits =
    cap === undefined
      ? undefined
      : ctx.permits
        ? bothPermits(new LocalPermits(), ctx.permits)
        : new LocalPermits();
  return {
    label: `workers=${rt.workers}`,
    // One task per thread: `workers: n` means n threads busy for this UDF, even when the
    // shared pool is bigger; a batch is cut into n chunks so all of them start at once.
    lanes: rt.workers,
    weight: (job) => job.n,
    prepare(job) {
      const rows = job.batch.numRows;
      job.chunk =
        def.kind === "batch" && rt.batchSize
          ? rows
          : (rt.batchSize ?? Math.ceil(rows / rt.workers));
      return Math.ceil(rows / Math.max(1, job.chunk));
    },
    hooks: {
      call: async (job, i) => {
        const start = i * job.chunk;
        const n = rowsOf(job, i);
        const args = job.argData.map((d) => toWire(d, start, n, true));
        const task: WorkerTask = {
          key,
          udf: def.name,
          column,
          kind: def.kind,
          source,
          retries: rt.retries,
          timeoutMs: rt.timeoutMs,
          onError: rt.onError,
          maxConcurrency: rt.maxConcurrency,
          typeIpc,
          args,
          rowBase: job.rowBase + start,
          run,
        };
        const list: (ArrayBuffer | MessagePort)[] = transferList(args);
        let stopServing: (() => void) | undefined;
        if (permits && cap !== undefined) {
          const channel = new MessageChannel();
          stopServing = servePermits(channel.port1, permits);
          task.clusterMaxConcurrency = cap;
          task.permits = channel.port2;
          list.push(channel.port2);
        }
        inFlight++;
        let reply: WorkerReply;
        try {
          reply = (await pool.run(task, {
            transferList: list as ArrayBuffer[],
            signal: kill.signal,
          })) as WorkerReply;
        } finally {
          inFlight--;
          stopServing?.();
        }
        if (reply.setup) {
          const err = new UdfSetupError(reply.setup.message);
          if (reply.setup.stack) err.stack = reply.setup.stack;
          throw err;
        }
        for (const f of reply.failures) {
          job.failures.push(f);
          ctx.emit({
            type: "udf:failure",
            id: env.opId,
            udf: def.name,
            row: f.row,
            error: Object.assign(new Error(f.error.message), f.error),
          });
        }
        if (reply.raise) {
          const f = reply.raise;
          const cause = Object.assign(new Error(f.error.message), f.error);
          throw new UdfError(def.name, column, f.row, f.inputs, f.attempts, cause);
        }
        return fromWire(reply.out!);
      },
      // The task itself failed (the thread crashed or ran out of memory) after its retries.
      fail: (job, i, error, attempts) => {
        const start = i * job.chunk;
        const n = rowsOf(job, i);
        const args = job.argData.map((d) => argValues(d.slice(start, n)));
        const crash = new Error(
          `worker task for rows ${job.rowBase + start}..${job.rowBase + start + n - 1} failed: ${asError(error).message}`,
          { cause: error },
        );
        job.out[i] = buildOutput(
          new Array<unknown>(n).fill(null),
          def.returnType,
          def.name,
          column,
        );
        if (rt.onError === "raise") {
          failRow(env, job, start, rowInputs(args, 0), crash, attempts);
          return;
        }
        for (let r = 0; r < n; r++)
          failRow(env, job, start + r, rowInputs(args, r), crash, attempts);
      },
      retry: retryHook(env, (job, i) => job.rowBase + i * job.chunk),
    },
    span: (job, i) => ({ row: job.rowBase + i * job.chunk, rows: rowsOf(job, i) }),
    assemble: (job) => concatData(def.returnType, job.out as Data[]),
    stop(reason) {
      if (inFlight === 0 || kill.signal.aborted) return;
      broadcastAbort(run);
      setTimeout(() => {
        if (inFlight > 0) kill.abort(reason);
      }, KILL_AFTER_MS).unref();
    },
  };
}
