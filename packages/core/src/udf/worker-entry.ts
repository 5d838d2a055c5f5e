// The worker-thread side of worker UDFs (bundled to dist/worker.js): decodes a chunk of
// argument rows, runs the UDF on it with the same per-row policy as the main thread
// (retries, timeouts, onError), and sends the output column back as transferred IPC bytes.
import { type Data, type DataType, makeVector } from "apache-arrow";
import { move, transferableSymbol, valueSymbol } from "piscina";
import type { UdfFailure } from "../exec/context.js";
import { AbortWatch } from "./abort-channel.js";
import { argValues, rowInputs } from "./args.js";
import { abortCalls, type CallOwner, invokeWithContext } from "./call-context.js";
import { asError, UdfSetupError } from "./errors.js";
import { returnCheck } from "./fits.js";
import { type Callable, loadWire, shippedSourceError } from "./load.js";
import { batchResultToData, buildOutput } from "./output.js";
import { portPermits } from "./permits.js";
import { withRetry } from "./retry.js";
import { type Job, LaneScheduler } from "./scheduler.js";
import {
  fromWire,
  serializeError,
  toWire,
  transferList,
  typeFromIpc,
  type WarmTask,
  type WorkerReply,
  type WorkerTask,
} from "./wire.js";

const types = new Map<string, DataType>();
const runs = new AbortWatch();

function failureOf(
  task: WorkerTask,
  row: number,
  inputs: unknown[],
  error: unknown,
  attempts: number,
): UdfFailure {
  const e = asError(error);
  return {
    udf: task.udf,
    column: task.column,
    row,
    inputs,
    error: { name: e.name, message: e.message, stack: e.stack },
    attempts,
  };
}

interface TaskJob extends Job {
  args: ArrayLike<unknown>[];
}

export default async function runTask(task: WorkerTask | WarmTask): Promise<unknown> {
  if ("warm" in task) {
    // A failure to load is reported by the first real task, with the rows it was for.
    await loadWire(task.key, task.source, task.kind === "batch", task.udf).catch(() => {});
    return null;
  }
  const reply: WorkerReply = { out: null, failures: [], raise: null, setup: null };
  // Queued behind other tasks while its run was aborted: nobody waits for the answer.
  if (runs.aborted(task.run)) {
    reply.setup = { name: "AbortError", message: "The UDF run was aborted." };
    return reply;
  }
  try {
    let type = types.get(task.key);
    if (!type) {
      type = typeFromIpc(task.typeIpc);
      // Bounded like the loaded UDFs: a script making new UDFs per run must not grow it.
      if (types.size >= 256) types.clear();
      types.set(task.key, type);
    }
    const fn = await loadWire(task.key, task.source, task.kind === "batch", task.udf);
    const argData = task.args.map(fromWire);
    const n = argData[0]?.length ?? 0;
    const data =
      task.kind === "batch"
        ? await runBatch(task, fn, argData, n, type, reply)
        : await runRows(task, fn, argData, n, type, reply);
    if (data) reply.out = toWire(data, 0, data.length, false);
  } catch (e) {
    reply.setup = serializeError(
      e instanceof UdfSetupError ? e : new UdfSetupError(asError(e).message, { cause: e }),
    );
  }
  // Moved, not cloned: the output column's bytes change owner without a copy.
  return reply.out
    ? move({ [transferableSymbol]: transferList([reply.out]), [valueSymbol]: reply } as never)
    : reply;
}

function shipped(task: WorkerTask): boolean {
  return task.source.kind === "fnSource" || task.source.kind === "classSource";
}

/** Runs the rows with the task's policy; returns the column, or null after a "raise" failure. */
function runRows(
  task: WorkerTask,
  fn: Callable,
  argData: Data[],
  n: number,
  type: DataType,
  reply: WorkerReply,
): Promise<Data | null> {
  const args = argData.map(argValues);
  const check = returnCheck(task.udf, type);
  let release = () => {};
  return new Promise<Data | null>((resolve, reject) => {
    const job: TaskJob = {
      n,
      next: 0,
      pending: n,
      out: new Array<unknown>(n),
      settled: false,
      args,
      resolve: () => {
        if (reply.raise || reply.setup) resolve(null);
        else {
          try {
            resolve(buildOutput(job.out, type, task.udf, task.column));
          } catch (e) {
            reject(e);
          }
        }
      },
      reject,
    };
    const call =
      args.length === 1
        ? (j: TaskJob, i: number, cx: unknown) => fn(j.args[0]![i], cx)
        : (j: TaskJob, i: number, cx: unknown) => fn(...rowInputs(j.args, i), cx);
    const cap = task.clusterMaxConcurrency;
    const permits = task.permits && cap !== undefined ? portPermits(task.permits) : undefined;
    const scheduler: LaneScheduler<TaskJob> = new LaneScheduler(
      Math.min(task.maxConcurrency, cap ?? task.maxConcurrency),
      { retries: task.retries, timeoutMs: task.timeoutMs, name: task.udf },
      {
        call,
        row: (_j, i) => task.rowBase + i,
        accept: check && ((_j, v) => check(v)),
        fatal: (_j, e) => {
          if (!(e instanceof ReferenceError && shipped(task))) return false;
          reply.setup = serializeError(shippedSourceError(task.udf, e));
          scheduler.stop();
          job.settled = true;
          resolve(null);
          return true;
        },
        fail: (j, i, e, attempts) => {
          const f = failureOf(task, task.rowBase + i, rowInputs(j.args, i), e, attempts);
          if (task.onError === "null") {
            j.out[i] = null;
            reply.failures.push(f);
            return;
          }
          reply.raise = f;
          scheduler.stop();
          j.settled = true;
          resolve(null);
        },
      },
      permits && ((signal) => permits.take(task.udf, cap!, signal)),
    );
    // The run aborted on the main thread: abort the calls' signals and answer at once.
    release = runs.watch(task.run, (reason) => {
      scheduler.stop(reason);
      if (job.settled) return;
      job.settled = true;
      reply.setup = { name: "AbortError", message: "The UDF run was aborted." };
      resolve(null);
    });
    scheduler.add(job);
  }).finally(() => {
    release();
    task.permits?.close();
  });
}

async function runBatch(
  task: WorkerTask,
  fn: Callable,
  argData: Data[],
  n: number,
  type: DataType,
  reply: WorkerReply,
): Promise<Data | null> {
  const vectors = argData.map((d) => makeVector(d));
  const fatal = (e: unknown) => e instanceof ReferenceError && shipped(task);
  const owner: CallOwner = { live: new Set(), stoppedReason: undefined };
  const stopping = new AbortController();
  const release = runs.watch(task.run, (reason) => {
    abortCalls(owner, reason);
    stopping.abort(reason);
  });
  const cap = task.clusterMaxConcurrency;
  const permits = task.permits && cap !== undefined ? portPermits(task.permits) : undefined;
  const r = await withRetry(
    async (attempt) => {
      // Each attempt holds its own permit, given back before a retry's backoff.
      const give = permits ? await permits.take(task.udf, cap!, stopping.signal) : undefined;
      try {
        return batchResultToData(
          await invokeWithContext(owner, task.rowBase, attempt, task.timeoutMs, task.udf, (cx) =>
            fn(...vectors, cx),
          ),
          n,
          type,
          task.udf,
          task.column,
        );
      } finally {
        give?.();
      }
    },
    { retries: task.retries },
    { fatal, signal: stopping.signal },
  ).finally(() => {
    release();
    task.permits?.close();
  });
  if (stopping.signal.aborted) {
    reply.setup = { name: "AbortError", message: "The UDF run was aborted." };
    return null;
  }
  if (r.ok) return r.value;
  const { error, attempts } = r;
  if (r.why === "fatal") {
    reply.setup = serializeError(shippedSourceError(task.udf, error as ReferenceError));
    return null;
  }
  const columns = argData.map(argValues);
  if (task.onError === "null") {
    for (let i = 0; i < n; i++) {
      reply.failures.push(
        failureOf(task, task.rowBase + i, rowInputs(columns, i), error, attempts),
      );
    }
    return buildOutput(new Array<unknown>(n).fill(null), type, task.udf, task.column);
  }
  reply.raise = failureOf(task, task.rowBase, rowInputs(columns, 0), error, attempts);
  return null;
}
