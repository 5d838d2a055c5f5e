// What crosses between the calling thread and the compute threads. Tasks are plain data (a
// path and numbers, structured-cloned in microseconds); results are Arrow IPC bytes whose
// ArrayBuffer is transferred, never cloned.

/** Decode some row groups of one Parquet file into Arrow IPC stream bytes. */
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
}

/** Every kind of task the compute threads run. */
export type ComputeTask = ParquetDecodeTask;

/** A decoded task: one Arrow IPC stream per decoded batch, in order, buffers transferred. */
export interface DecodeReply {
  ipc: Uint8Array[];
}
