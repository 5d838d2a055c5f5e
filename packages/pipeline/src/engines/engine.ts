// What an engine is: something that runs an execution plan over a list of items.
import type { Cache } from "../cache.js";
import type { Callbacks } from "../callbacks.js";
import type { ExecPlan } from "../graph.js";
import type { Pipeline, Values } from "../pipeline.js";
import type { ProgressOptions } from "../progress.js";

/** One run()/map() call: the plan, and one input object per item. */
export interface Job {
  /** The pipeline being run (nested pipelines in it run on this same engine). */
  readonly pipeline: Pipeline;
  /** The nodes to run, in order, and the outputs to return. */
  readonly plan: ExecPlan;
  /** One input object per item: one for `run`, one per mapped element/combination for `map`. */
  readonly items: readonly Values[];
  /** True for a `map` call: dual nodes then call their batch implementation once. */
  readonly mapped?: boolean;
}

/** Runs jobs: `Pipeline.run` and `Pipeline.map` hand each call to the pipeline's engine. */
export interface Engine {
  /** A short label for the engine, e.g. "sequential", "pool" or "dataframe". */
  readonly name: string;
  /** Resolves to one result per item, in item order: the item's inputs plus the outputs. */
  execute(job: Job): Promise<Values[]>;
}

/** Options every engine takes. */
export interface EngineOptions {
  /** Reuse node results across runs (see DiskCache). */
  cache?: Cache;
  /** Hooks called as the run goes (node, item and pipeline start/end/cached/error). */
  callbacks?: Callbacks | readonly Callbacks[];
  /**
   * One progress bar per node, on stderr (or `{ stream }`), drawn only when that stream is a
   * TTY: nothing is written otherwise.
   */
  progress?: boolean | ProgressOptions;
}

export function callbackList(opts: EngineOptions): Callbacks[] {
  const cbs = opts.callbacks;
  if (cbs === undefined) return [];
  return Array.isArray(cbs) ? [...cbs] : [cbs as Callbacks];
}
