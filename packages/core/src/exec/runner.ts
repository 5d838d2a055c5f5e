import type { WriteResult } from "../io/write-batches.js";
import type { PlanJson } from "../plan/json/plan.js";
import type { ScanEndEvent, StageProgressEvent, UdfEvent } from "./events.js";
import type { BroadcastInput, BucketBy, FragmentReply } from "./threads/protocol.js";

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
  runStage(
    stage: RunnerStage,
    signal: AbortSignal,
    onUdfEvent?: UdfEventListener,
    onProgress?: StageProgressListener,
  ): AsyncIterable<FragmentReply>;
  /**
   * Writes a directory of part files from the tasks themselves, when the runner can: each
   * task writes its partition's parts under a staging folder of its own attempt, and the
   * runner, once every task is done, moves one attempt's parts per task to their final names
   * (`part-00000.ext`, ... in task order) and the folder onto `stage.target` at once. A runner
   * without it has the calling process write the stage's output.
   */
  writeStage?(
    stage: RunnerWriteStage,
    signal: AbortSignal,
    onUdfEvent?: UdfEventListener,
    onProgress?: StageProgressListener,
  ): Promise<RunnerWrite>;
  /**
   * Runs one side of a hash-shuffled join, when the runner can: every task cuts its rows by
   * the hash of `stage.bucketBy.keys` into `stage.bucketBy.count` files in storage every task
   * of the run reaches, and the runner keeps one attempt's files per task. A runner without
   * it has joins of two large sides run in the calling process.
   */
  shuffleStage?(
    stage: RunnerShuffleStage,
    signal: AbortSignal,
    onUdfEvent?: UdfEventListener,
    onProgress?: StageProgressListener,
  ): Promise<RunnerShuffle>;
  /**
   * With `shuffleStage`: a join whose right side is estimated above this many bytes (its
   * files' size on disk) is hash-shuffled rather than broadcast to every task.
   */
  readonly broadcastBytes?: number;
}

/** One side of a shuffled join: the side's chain per task, cut into hash buckets. */
export interface RunnerShuffleStage {
  /** The side's plan per task (a partition of its scan, or a bucket of a shuffled join below). */
  tasks: PlanJson[];
  /** The join sides every task probes, by slot. */
  broadcasts: BroadcastInput[];
  /** The key columns and the number of buckets. */
  bucketBy: BucketBy;
}

/** A shuffled side's committed files, kept until `release()`. */
export interface RunnerShuffle {
  /** Per bucket, the absolute paths of its files (Arrow IPC streams), in task order. */
  buckets: string[][];
  /** The tasks' scan:end events. */
  scans: ScanEndEvent[];
  /** Removes the side's files (once the join's tasks read them, or the run failed). */
  release(): Promise<void>;
}

/**
 * Receives the UDF events of a stage's tasks as the workers report them (given only when the
 * run has subscribers): each names its `worker` and `task`, and the UDF operator by its id
 * within the task's fragment, the same in every task of the stage.
 */
export type UdfEventListener = (event: UdfEvent) => void;

/**
 * Receives a stage's standing each time one of its tasks moves (given only when the run has
 * subscribers): the executor passes it on as a `stage:progress` event.
 */
export type StageProgressListener = (progress: Omit<StageProgressEvent, "type">) => void;

/** The listener that passes a runner's stage progress to the run's subscribers, if any. */
export function stageProgress(ctx: {
  readonly listening: boolean;
  emit(e: StageProgressEvent): void;
}): StageProgressListener | undefined {
  return ctx.listening ? (p) => ctx.emit({ type: "stage:progress", ...p }) : undefined;
}

/**
 * A write whose input is one partitioned stage: per task, the sink over the stage's fragment
 * (its scan narrowed to the task's partition), the sink's path being the final directory.
 */
export interface RunnerWriteStage {
  /** The sink's plan per task, in partition order. */
  tasks: PlanJson[];
  /** The join sides every task probes, by slot. */
  broadcasts: BroadcastInput[];
  /** The directory the parts end in (absolute; an existing one is replaced at the commit). */
  target: string;
}

/** What a runner's write produced: the write's result and the partitions' `scan:end` events. */
export interface RunnerWrite {
  /** The committed parts, under their final names. */
  result: WriteResult;
  /** The tasks' scan:end events, merged into one by the executor. */
  scans: ScanEndEvent[];
}
