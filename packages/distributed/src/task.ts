import type { BucketBy, ScanEndEvent, UdfEvent } from "@deft/core";
import type { PlanJson } from "@deft/core/internal";

/** The BullMQ queue every runner adds tasks to and every worker takes them from. */
export const QUEUE = "deft-tasks";

/** The Redis pub/sub channel a runner announces an aborted run on. */
export const CANCEL_CHANNEL = "deft:cancel";

/** The key marking a run aborted, so a worker skips its tasks still queued. */
export function cancelKey(runId: string): string {
  return `deft:cancelled:${runId}`;
}

/**
 * A task as it rides in the queue: a plan fragment (its scan narrowed to the partition) and
 * references to files under `workDir`, never Arrow data.
 */
export interface TaskJob {
  /** The run, unique per runner call (its files live under `<workDir>/runs/<runId>`). */
  runId: string;
  /** The stage within the run (0, 1, ...), in the order the executor started them. */
  stage: number;
  /** The task within its stage: the partition's index. */
  task: number;
  /** The fragment, as `planToJson` gives it. */
  plan: PlanJson;
  /**
   * What the task returns: the chain's batches, its partial aggregation state, or (`write`,
   * the plan's root being a sink) the part files it wrote under `staging`.
   */
  output: "batches" | "partialAggregate" | "write" | "buckets";
  /**
   * For `buckets` output (a side of a hash-shuffled join): the key columns and the number of
   * buckets; the attempt writes one file per bucket that got rows.
   */
  bucketBy?: BucketBy;
  /**
   * A write's staging folder (absolute, beside its target): each attempt writes its parts in
   * a folder of its own there, which the runner renames to the final names at the commit.
   */
  staging?: string;
  /** Files under `workDir` holding the join sides the fragment probes, by slot. */
  broadcasts: string[];
  /**
   * The run's permit budgets, when a UDF of the fragment has `clusterMaxConcurrency`: every
   * call takes a permit of `deft:permits:<budget>:<udf>` (see permits.ts).
   */
  budget?: string;
  /** Report the fragment's UDF events to the runner while it runs (its run has subscribers). */
  events?: boolean;
}

/** What a worker returns for a task (the queue's return value): a file reference or an error. */
export interface TaskResult {
  /** The worker that ran the attempt (`host:pid`, or the name it was started with). */
  worker: string;
  /** The attempt's output file, relative to `workDir` (for outputs over `INLINE_MAX_BYTES`). */
  file?: string;
  /**
   * The attempt's output as base64 Arrow IPC, when it is at most `INLINE_MAX_BYTES` (a few
   * rows, a partial aggregate of few groups): it rides in the queue's return value instead of
   * a file. Neither `file` nor `inline`: the task yielded no rows.
   */
  inline?: string;
  /** The partition's scan:end events. */
  scans: ScanEndEvent[];
  /**
   * A `buckets` task's files per bucket, relative to `workDir` (null: no rows for the bucket).
   */
  buckets?: (string | null)[];
  /** A write task's parts: its attempt's folder and the files in it. */
  written?: WrittenParts;
  /** An error raised inside the task: the run fails with it, the task is not retried. */
  error?: { name: string; message: string; stack?: string };
}

/**
 * What a worker sends as a task's BullMQ progress (`job.updateProgress`), a few times a second:
 * the UDF events since the last, errors as plain data.
 */
export interface TaskProgress {
  /** The worker running the attempt. */
  worker: string;
  /** The UDF events, in the order the task emitted them. */
  udf: WireUdfEvent[];
}

/** A UDF event as it rides in Redis: its `error` (udf:retry, udf:failure) as plain data. */
export type WireUdfEvent = Wire<UdfEvent>;
type Wire<E> = E extends { error: Error }
  ? Omit<E, "error"> & { error: { name: string; message: string; stack?: string } }
  : E;

/** The part files one attempt of a write task wrote. */
export interface WrittenParts {
  /** The attempt's folder of parts (absolute, inside the write's staging folder). */
  dir: string;
  /** The part files, relative to `dir`, in the order written (`k=v/part-00000.parquet`). */
  files: string[];
  /** Rows written. */
  rows: number;
  /** Bytes on disk. */
  bytes: number;
}

/** A write task attempt's folder inside the write's staging folder. */
export function attemptWriteDir(staging: string, task: number, attempt: string): string {
  return `${staging}/t${task}.${attempt.replace(/[^\w.-]/g, "_")}`;
}

/**
 * Task outputs up to this many IPC bytes return in the queue (base64 in the job's return
 * value and its completion event) rather than as a file under `workDir`; larger ones are files.
 */
export const INLINE_MAX_BYTES = 8 * 1024;

/** The folder of a run's files, relative to `workDir`. */
export function runDir(runId: string): string {
  return `runs/${runId}`;
}

/** A task attempt's output file, relative to `workDir`; `attempt` is unique per attempt. */
export function attemptFile(job: TaskJob, attempt: string): string {
  return `${runDir(job.runId)}/s${job.stage}/t${job.task}.${attempt}.arrow`;
}

/** The file of one bucket of a `buckets` task attempt, relative to `workDir`. */
export function attemptBucketFile(job: TaskJob, attempt: string, bucket: number): string {
  return `${runDir(job.runId)}/s${job.stage}/t${job.task}.${attempt}.b${bucket}.arrow`;
}

/** True when the fragment calls UDFs (such tasks run one at a time on a worker process). */
export function callsUdfs(plan: PlanJson): boolean {
  return plan.udfs.length > 0;
}
