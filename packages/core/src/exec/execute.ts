import type { RecordBatch } from "apache-arrow";
import { makeBatch } from "../kernels/take-concat.js";
import { optimize } from "../optimizer/optimize.js";
import { formatPlan } from "../plan/explain.js";
import type { PlanNode } from "../plan/nodes.js";
import { abortError, createContext, type ExecContext } from "./context.js";
import type { Subscriber } from "./events.js";
import { lowerPlan } from "./lower.js";
import type { Runner } from "./runner.js";
import { planShuffles } from "./shuffle-join.js";
import { resolveThreads } from "./threads/count.js";

/** Options every running method takes. */
export interface RunOptions {
  /** Aborts the run: the promise rejects with an AbortError and the sources stop. */
  signal?: AbortSignal;
  /** `true` draws progress bars on a TTY; a function receives every event. */
  progress?: boolean | Subscriber;
  /**
   * Threads for built-in work such as Parquet decoding: a positive integer. Defaults to the
   * environment variable `DEFT_THREADS` when set, else `os.availableParallelism()`. With
   * `threads: 1` one thread works at a time, as a single-threaded engine would. Results
   * (order included) are the same for every value. UDFs keep their own `maxConcurrency` and
   * `workers` options.
   */
  threads?: number;
  /**
   * Runs the plan's stages on other processes, e.g. `redisRunner` of `@deft/distributed`
   * (worker processes over Redis). Results (order included) are those of a local run.
   */
  runner?: Runner;
}

let progressFactory: (() => Subscriber) | undefined;

/** The UDF runtime registers its TTY progress bars here (kept out of the executor's imports). */
export function setProgressFactory(factory: () => Subscriber): void {
  progressFactory = factory;
}

/**
 * Optimizes, lowers and runs a plan, yielding its batches in order. Pull-based: when the
 * consumer stops, the operator chain is closed and the sources stop reading.
 */
export async function* runPlan(
  plan: PlanNode,
  opts: RunOptions = {},
  onContext?: (ctx: ExecContext) => void,
): AsyncGenerator<RecordBatch> {
  const threads = resolveThreads(opts.threads);
  const controller = new AbortController();
  const outer = opts.signal;
  if (outer?.aborted) throw abortError(outer);
  const forward = () => controller.abort(outer!.reason);
  outer?.addEventListener("abort", forward, { once: true });
  const listeners: Subscriber[] = [];
  if (typeof opts.progress === "function") listeners.push(opts.progress);
  else if (opts.progress === true && progressFactory) listeners.push(progressFactory());
  const ctx = createContext(controller.signal, listeners, threads, [], opts.runner);
  onContext?.(ctx);
  const optimized = optimize(plan);
  const root = lowerPlan(planShuffles(optimized, opts.runner), opts.runner !== undefined);
  const started = performance.now();
  let rows = 0;
  // The plan's text only when someone listens (printing it is not free on a first run).
  if (listeners.length > 0) ctx.emit({ type: "query:start", plan: formatPlan(optimized) });
  const it = root.execute(ctx)[Symbol.asyncIterator]();
  // Resolves when the run is aborted, so a stuck operator cannot delay the rejection.
  let onAbort!: () => void;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(abortError(controller.signal));
    controller.signal.addEventListener("abort", onAbort, { once: true });
  });
  aborted.catch(() => {});
  let failed: Error | undefined;
  try {
    while (true) {
      // A sink ends its input at once on abort itself, and must remove its temporary output
      // before the run rejects; every other root is raced so a stuck operator cannot delay it.
      const step = await (optimized.kind === "sink"
        ? it.next()
        : Promise.race([it.next(), aborted]));
      if (step.done) break;
      rows += step.value.numRows;
      // Batches carry the plan's own schema: optimized operators may know more (a column
      // the file declares required comes out non-nullable where the plan said nullable).
      yield step.value.schema === plan.schema
        ? step.value
        : makeBatch(plan.schema, step.value.data.children, step.value.numRows);
    }
  } catch (err) {
    failed = err as Error;
    throw err;
  } finally {
    controller.signal.removeEventListener("abort", onAbort);
    outer?.removeEventListener("abort", forward);
    // Stop everything upstream (consumer broke out, failed or was aborted).
    if (!controller.signal.aborted) controller.abort(new Error("run finished"));
    void it.return?.(undefined)?.catch(() => {});
    ctx.emit({ type: "query:end", rows, ms: performance.now() - started, error: failed });
  }
}
