/** Events a run emits to subscribers (`{ progress: subscriber }`). */
export type DeftEvent =
  | {
      /** The run started (after optimizing). */
      type: "query:start";
      /** The optimized plan, as `explain({ optimized: true })` prints it. */
      plan: string;
    }
  | {
      /** The run finished, failed or was stopped early by its consumer. */
      type: "query:end";
      /** Rows the run yielded. */
      rows: number;
      /** Wall time since query:start, in milliseconds. */
      ms: number;
      /** Why the run failed, when it did (an abort is an AbortError). */
      error?: Error;
    }
  | {
      /** An operator started (every operator while someone subscribes). */
      type: "operator:start";
      /** The operator's id, unique within the run. */
      id: number;
      /** The operator's name, e.g. `Scan[parquet]` or `Udf[fetchTitle]`. */
      name: string;
      /** Rows the operator will see, when known up front (a scan whose source knows its size). */
      totalRows?: number;
    }
  | {
      /** A scan or UDF operator finished one batch. */
      type: "operator:rows";
      /** The operator's id. */
      id: number;
      /** The operator's name. */
      name: string;
      /** Rows in the batch it took in. */
      rowsIn: number;
      /** Rows in the batch it passed on. */
      rowsOut: number;
    }
  | {
      /** An operator finished all its input, failed, or was stopped by its consumer. */
      type: "operator:end";
      /** The operator's id. */
      id: number;
      /** The operator's name. */
      name: string;
      /** Rows it passed on. */
      rows: number;
      /** Batches it passed on. */
      batches: number;
      /** Wall time from its start to its end, in milliseconds (its inputs' time included). */
      ms: number;
    }
  | ({
      /**
       * A UDF call started for input rows row..row+rows-1 (rows is 1 for a row UDF on the main
       * thread; a batch or worker task covers many). Emitted only when someone subscribes.
       */
      type: "udf:call";
      /** The UDF operator's id. */
      id: number;
      /** The UDF's name. */
      udf: string;
      /** First input row of the call (0-based, counting across batches). */
      row: number;
      /** Number of rows the call covers. */
      rows: number;
    } & RemoteOrigin)
  | ({
      /** A batch of input rows went through the UDF. */
      type: "udf:done";
      /** The UDF operator's id. */
      id: number;
      /** The UDF's name. */
      udf: string;
      /** Rows in the batch. */
      rows: number;
    } & RemoteOrigin)
  | ({
      /** A call failed and will be retried after `delayMs`. */
      type: "udf:retry";
      /** The UDF operator's id. */
      id: number;
      /** The UDF's name. */
      udf: string;
      /** The input row (a batch UDF's first row) whose call failed. */
      row: number;
      /** The attempt that failed (1 for the first call). */
      attempt: number;
      /** Wait before the next attempt, in milliseconds (backoff, or the RetryAfterError's delay). */
      delayMs: number;
      /** The error the attempt threw. */
      error: Error;
    } & RemoteOrigin)
  | ({
      /** A row failed for good under `onError: "null"`: its value is null and it is recorded. */
      type: "udf:failure";
      /** The UDF operator's id. */
      id: number;
      /** The UDF's name. */
      udf: string;
      /** The input row that failed. */
      row: number;
      /** The last error thrown. */
      error: Error;
    } & RemoteOrigin)
  | ScanEndEvent
  | StageProgressEvent;

/**
 * Where a stage of a distributed run (`{ runner }`) stands, each time one of its tasks moves:
 * queued, running, done, retried (its worker stopped; it runs again) or failed.
 */
export interface StageProgressEvent {
  /** A stage's tasks moved. */
  type: "stage:progress";
  /** The stage's id (unique per runner). */
  stage: string;
  /**
   * What its tasks return: a chain's rows, partial aggregates, the parts of a write, or one
   * side of a hash-shuffled join cut into buckets.
   */
  output: "batches" | "partialAggregate" | "write" | "buckets";
  /** Tasks in the stage. */
  tasks: number;
  /** Tasks waiting in the queue. */
  queued: number;
  /** Tasks a worker is running. */
  running: number;
  /** Tasks done (their output committed). */
  done: number;
  /** Attempts that ran again elsewhere after their worker stopped. */
  retried: number;
  /** Tasks that failed. */
  failed: number;
  /** True once every task is done, or the stage failed or was abandoned. */
  finished: boolean;
  /** The worker whose task ended, when one did. */
  worker?: string;
}

/**
 * Where a UDF event came from in a distributed run (`{ runner }`): the worker process that ran
 * the call and the task (partition) it ran in. Both are absent in a local run. A UDF event
 * from a worker counts `row` within its task's partition, and names the UDF operator by an
 * id of the calling process (its `operator:start` is emitted before its first event).
 */
export interface RemoteOrigin {
  /** The worker that ran the call (its name, `host:pid` by default). */
  worker?: string;
  /** The task (partition index within its stage) the call ran in. */
  task?: number;
}

/** The UDF events (`udf:call`, `udf:done`, `udf:retry`, `udf:failure`). */
export type UdfEvent = Extract<
  DeftEvent,
  {
    /** The event's kind. */
    type: "udf:call" | "udf:done" | "udf:retry" | "udf:failure";
  }
>;

/** What a file scan read and what it could skip (the `scan:end` event). */
export interface ScanEndEvent {
  /** A file scan finished, failed or was stopped early by its consumer. */
  type: "scan:end";
  /** The file format, e.g. "parquet". */
  format: string;
  /** Files the scan decoded data from (0 when the footers answered, e.g. a count). */
  filesOpened: number;
  /** Row groups handed to a decoder, read-ahead included (at most `threads` beyond those delivered). */
  rowGroupsRead: number;
  /** Row groups the pushed filter ruled out from their statistics, never decoded. */
  rowGroupsSkipped: number;
  /** Names of the columns decoded (empty when only row counts were needed). */
  columnsDecoded: string[];
  /** Rows the scan delivered. */
  rowsRead: number;
  /**
   * Rows the scan's filter dropped while decoding (Parquet, deft's decoder): its columns are
   * decoded first and the others only for the rows that pass. Absent when no filter was
   * evaluated that way.
   */
  rowsFiltered?: number;
  /** Decode tasks the kept row groups were cut into (small row groups share one). */
  tasks: number;
  /** The run's thread count. */
  threads: number;
  /**
   * Which Parquet decoder read the scan: deft's own for flat columns of the types, encodings
   * and codecs it implements, parquet-wasm for the rest; "mixed" when its files differed.
   * Absent when nothing was decoded (e.g. a count answered from the footers).
   */
  decoder?: "native" | "parquet-wasm" | "mixed";
  /**
   * Files of a hive-partitioned read whose partition the pushed filter ruled out from the
   * `key=value` directories alone, never opened (absent for a single source).
   */
  filesSkipped?: number;
}

/** A function that receives every event of a run: pass it as `{ progress: subscriber }`. */
export type Subscriber = (event: DeftEvent) => void;
