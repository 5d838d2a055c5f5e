import type { PlanJson } from "../plan/json/plan.js";
import type { BroadcastInput, FragmentReply } from "./threads/protocol.js";

/**
 * One stage of a run handed to a runner: the same plan fragment once per partition of its
 * scan (each task's plan has its scan narrowed to its partition), and what each task sends
 * back. A stage is what the compute threads would otherwise run, one task per partition.
 */
export interface RunnerStage {
  /** The fragment's plan per task, in partition order (the scan's `split` set). */
  tasks: PlanJson[];
  /** What a task returns: the chain's batches, or the partition's partial aggregation. */
  output: "batches" | "partialAggregate";
  /** The join sides every task probes, materialized once by the calling process, by slot. */
  broadcasts: BroadcastInput[];
}

/**
 * Runs the stages of a run somewhere other than this process's compute threads (for example
 * `redisRunner` of `@deft/distributed`, on worker processes of many machines). The executor
 * keeps every stage boundary and the final merges; a runner only runs tasks.
 */
export interface Runner {
  /**
   * Runs every task of `stage` (at least once; each task's output is taken exactly once) and
   * yields their replies in task order. Stops, and cancels what it started, when `signal`
   * aborts or the consumer stops reading.
   */
  runStage(stage: RunnerStage, signal: AbortSignal): AsyncIterable<FragmentReply>;
}
