import type { StageProgressEvent } from "@deft/core";

/**
 * Where one stage of a distributed run stands: the fields of the `stage:progress` event a
 * run's subscribers receive (`output`, `tasks`, `queued`, `running`, `done`, `retried`,
 * `failed`, `finished`).
 */
export type StageStatus = Omit<StageProgressEvent, "type" | "worker">;

/** Tasks per worker, as the runner saw them end. */
export interface WorkerStatus {
  /** Tasks whose output the runner committed from this worker. */
  done: number;
  /** Tasks that failed on this worker. */
  failed: number;
}

/** What `runner.status()` returns: every stage this runner started, and each worker's count. */
export interface RunnerStatus {
  /** Every stage, in the order they started. */
  stages: StageStatus[];
  /** By worker name. */
  workers: Record<string, WorkerStatus>;
}

/** The `progress` event: one stage changed (a copy of its status), and which worker moved it. */
export type RunnerProgress = Omit<StageProgressEvent, "type">;
