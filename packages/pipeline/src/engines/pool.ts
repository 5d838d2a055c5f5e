// Items fanned out with p-map, like a thread-pool executor (the Dask-threads baseline): up to
// `concurrency` items in flight, and inside an item every node starts as soon as its inputs
// are ready.
import pMap from "p-map";
import type { Values } from "../pipeline.js";
import { withProgress } from "../progress.js";
import { callbackList, type Engine, type EngineOptions, type Job } from "./engine.js";
import { ShippedNodes, WorkerCalls } from "./pool-workers.js";
import { Runner } from "./runner.js";

export interface PoolEngineOptions extends EngineOptions {
  /** Items in flight at once (default 16). Nested mapped pipelines fan out the same way. */
  concurrency?: number;
  /**
   * Worker threads for sync nodes that set no `workers` of their own: each call of such a
   * node is one task on a worker thread, the node called directly with the item's inputs.
   */
  workers?: number;
}

/**
 * Runs up to `concurrency` items at once on the event loop, and inside an item starts
 * each node as soon as its inputs are ready. Sync nodes run on worker threads when the node or
 * the engine sets `workers`.
 */
export class PoolEngine implements Engine {
  /** Always "pool". */
  readonly name = "pool";
  /** Items in flight at once (`options.concurrency`, default 16). */
  readonly concurrency: number;
  private readonly options: PoolEngineOptions;
  private readonly shipped = new ShippedNodes();

  /** Throws when `concurrency` or `workers` is given and is not an integer >= 1. */
  constructor(options: PoolEngineOptions = {}) {
    const c = options.concurrency ?? 16;
    if (!Number.isInteger(c) || c < 1) {
      throw new Error(`PoolEngine: concurrency must be an integer >= 1 (got ${String(c)}).`);
    }
    if (
      options.workers !== undefined &&
      !(Number.isInteger(options.workers) && options.workers >= 1)
    ) {
      throw new Error(
        `PoolEngine: workers must be an integer >= 1 (got ${String(options.workers)}).`,
      );
    }
    this.concurrency = c;
    this.options = options;
  }

  execute(job: Job): Promise<Values[]> {
    const concurrency = this.concurrency;
    return withProgress(this.options.progress, job, callbackList(this.options), (callbacks) => {
      const runner = new Runner({
        cache: this.options.cache,
        callbacks,
        concurrentNodes: true,
        workers: new WorkerCalls(this.options.workers ?? 0, this.shipped),
        forEachItem: (n, fn) =>
          pMap(
            Array.from({ length: n }, (_, i) => i),
            fn,
            { concurrency },
          ),
      });
      return runner.run(job.pipeline, job.plan, job.items, job.mapped === true);
    });
  }
}
