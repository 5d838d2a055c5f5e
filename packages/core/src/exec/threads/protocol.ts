import type { MessagePort } from "node:worker_threads";
import type { NativeRowGroup } from "../../io/parquet-native/native-batch.js";
import type { JoinBuildBuffers } from "../../kernels/join.js";
import type { PlanJson } from "../../plan/json/plan.js";
import type { Json, JsonObject } from "../../plan/json/values.js";
import type { ScanEndEvent } from "../events.js";

// What crosses between the calling thread and the compute threads. Tasks are plain data (a
// path and numbers, structured-cloned in microseconds); results are Arrow IPC bytes whose
// ArrayBuffer is transferred, never cloned, or the buffers of decoded columns, transferred.

/** Which decoder reads a Parquet task: deft's own (flat columns), or parquet-wasm. */
export type ParquetDecoder = "native" | "parquet-wasm";

/** Decode some row groups of one Parquet file into Arrow buffers or IPC stream bytes. */
export interface ParquetDecodeTask {
  kind: "parquet";
  /** The file (as the calling thread resolved it). */
  path: string;
  /** Row-group indexes, ascending, all of this file. */
  rowGroups: number[];
  /** Leaf column names to decode, in output order. */
  columns: string[];
  /** Rows per decoded batch. */
  batchSize: number;
  /** Decode at most this many rows (the scan's limit, within this task). */
  limit?: number;
  /** Chosen by the calling thread from the footer (see io/parquet-native/support.ts). */
  decoder: ParquetDecoder;
  /**
   * The scan's filter (an expression's JSON): deft's decoder decodes the columns it reads
   * first and the rest only for the rows that pass (see io/parquet-filter.ts).
   */
  filter?: Json;
  /** Columns whose dictionary codes deft's decoder keeps (the scan's group keys). */
  codes?: string[];
}

/**
 * Run a chain of operators (scan, filters, projections) over one partition of its scan and
 * send back what it yields. The plan is the chain's JSON with the partition set as the
 * scan's `split`.
 */
export interface FragmentTask {
  kind: "fragment";
  plan: PlanJson;
  /**
   * What the thread sends back: the chain's batches, or (the plan's root being an aggregation)
   * the partition's partial aggregation state as columns, merged by the calling thread (a
   * sort's root sends its rows sorted, as batches, which the calling thread merges); or
   * (`buckets`, a side of a shuffled join) the chain's rows cut by the hash of `bucketBy`'s
   * keys into its `count` buckets, one IPC stream each.
   */
  output: "batches" | "partialAggregate" | "buckets";
  /** For `buckets` output: the key columns hashed and the number of buckets. */
  bucketBy?: BucketBy;
  /** The materialized join sides the fragment probes, by slot (see exec/broadcast.ts). */
  broadcasts?: BroadcastInput[];
  /**
   * Where the fragment's UDFs with `clusterMaxConcurrency` take their permits (a worker
   * process of a distributed run serves them from Redis; see udf/permits.ts). Transferred.
   */
  permits?: MessagePort;
  /**
   * Where the fragment's UDF events go while it runs (transferred with the task): arrays of
   * events, a few per second, then `null` once the task has sent its last.
   */
  events?: MessagePort;
}

/** How a `buckets` task cuts its rows: by the hash of these columns, into `count` buckets. */
export interface BucketBy {
  /** The key columns, by name, in the order the other side of the join names its own. */
  keys: string[];
  /** How many buckets (the same on both sides of the join). */
  count: number;
}

/**
 * One side of a join, materialized by the calling thread and shared with every partition's
 * task: its rows as an Arrow IPC stream and its hash table as typed arrays, all over
 * SharedArrayBuffers, so a task receives them without a copy and only reads them.
 */
export interface BroadcastInput {
  /** The side's rows: one Arrow IPC stream. */
  ipc: Uint8Array;
  /** The hash table of the side's keys (none for a cross join, which has no keys). */
  build?: JoinBuildBuffers;
}

/**
 * Compute window functions over some whole partitions of a window's input: the columns the
 * window reads, as one Arrow IPC stream (transferred), and the window's keys and functions.
 */
export interface WindowTask {
  kind: "window";
  /** The window's partition and order keys, functions and result types (window-task.ts). */
  spec: JsonObject;
  /** The bucket's rows, in input order: one IPC stream of one batch. */
  ipc: Uint8Array;
}

/** A window task's result columns as one IPC stream of one batch, in the bucket's order. */
export interface WindowReply {
  /** The window columns, null only when the task failed. */
  ipc: Uint8Array | null;
  /** Set when the task failed: the run fails with this error. */
  error?: TaskError;
}

/** Every kind of task the compute threads run. */
export type ComputeTask = ParquetDecodeTask | FragmentTask | WindowTask;

/** An error a task raised, as data (so its name, e.g. "PlanError", survives the crossing). */
export interface TaskError {
  /** The error's name, e.g. "PlanError" or "FileError". */
  name: string;
  /** The error's message. */
  message: string;
  /** The error's stack, where it was raised. */
  stack?: string;
}

/**
 * A fragment's output as one IPC stream: its batches (null when it yielded no rows), or one
 * batch of group keys then state columns for a partial aggregation.
 */
export interface FragmentReply {
  /** The output as one Arrow IPC stream, null when the partition yielded no rows. */
  ipc: Uint8Array | null;
  /** The partition's `scan:end` events, merged into one by the calling thread. */
  scans: ScanEndEvent[];
  /**
   * For `buckets` tasks (whose `ipc` is null): one IPC stream per bucket, null for a bucket
   * that got no rows.
   */
  buckets?: (Uint8Array | null)[];
  /** Set when the task failed: the run fails with this error. */
  error?: TaskError;
}

/**
 * A decoded task, buffers transferred: one Arrow IPC stream per batch (parquet-wasm), or the
 * columns' buffers per row group (the native decoder), in order.
 */
export type DecodeReply =
  | { decoder: "parquet-wasm"; ipc: Uint8Array[] }
  | { decoder: "native"; groups: NativeRowGroup[] };
