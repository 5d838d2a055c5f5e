// One item after another, one node after another, all on the main thread: the baseline the
// other engines are measured against. Node `workers`/`maxConcurrency` do not apply here
// (there is never more than one call in flight).

import type { Values } from "../pipeline.js";
import { withProgress } from "../progress.js";
import { callbackList, type Engine, type EngineOptions, type Job } from "./engine.js";
import { Runner } from "./runner.js";

/**
 * Runs one item after another and, inside an item, one node after another, on the main
 * thread. The default engine of a Pipeline; node `workers` and `maxConcurrency` do not apply.
 */
export class SequentialEngine implements Engine {
  /** Always "sequential". */
  readonly name = "sequential";
  private readonly options: EngineOptions;

  /** `options`: cache, callbacks and progress (all off by default). */
  constructor(options: EngineOptions = {}) {
    this.options = options;
  }

  execute(job: Job): Promise<Values[]> {
    return withProgress(this.options.progress, job, callbackList(this.options), (callbacks) => {
      const runner = new Runner({
        cache: this.options.cache,
        callbacks,
        concurrentNodes: false,
        async forEachItem(n, fn) {
          const out = [];
          for (let i = 0; i < n; i++) out.push(await fn(i));
          return out;
        },
      });
      return runner.run(job.pipeline, job.plan, job.items, job.mapped === true);
    });
  }
}
