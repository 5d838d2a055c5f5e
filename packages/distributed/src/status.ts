/** Where one stage of a distributed run stands. */
export interface StageStatus {
  /** The stage's id (unique per runner). */
  stage: string;
  /**
   * What its tasks return: a chain's rows (`batches`), partial aggregates, the parts of a
   * write, or (`buckets`) one side of a hash-shuffled join, cut into bucket files.
   */
  output: "batches" | "partialAggregate" | "write" | "buckets";
  /** Tasks in the stage: one per partition (or hash bucket). */
  tasks: number;
  /** Tasks waiting in the queue. */
  queued: number;
  /** Tasks a worker is running. */
  running: number;
  /** Tasks done (their output committed). */
  done: number;
  /** Attempts that ran again elsewhere after their worker stopped renewing its lock. */
  retried: number;
  /** Tasks that failed (the run fails with the first). */
  failed: number;
  /** True once every task is done, or the stage failed or was abandoned. */
  finished: boolean;
}

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
export interface RunnerProgress extends StageStatus {
  /** The worker whose task ended, when one did. */
  worker?: string;
}
