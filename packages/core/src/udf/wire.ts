import {
  type Data,
  type DataType,
  Field,
  makeVector,
  Schema,
  Table,
  tableFromIPC,
  tableToIPC,
  type Vector,
} from "apache-arrow";
import type { UdfFailure } from "../exec/context.js";
import { concatData } from "../kernels/take-concat.js";
import type { WireSource } from "./load.js";

/** One worker task: a chunk of argument rows (Arrow IPC bytes, transferred) and the UDF. */
export interface WorkerTask {
  /** Caches the loaded function/instance per worker thread. */
  key: string;
  udf: string;
  column: string;
  kind: "row" | "batch";
  source: WireSource;
  retries: number;
  timeoutMs: number;
  onError: "raise" | "null";
  maxConcurrency: number;
  /** The return type, as the IPC schema of an empty one-column table. */
  typeIpc: Uint8Array;
  /** Columns a0, a1, … holding the arguments. */
  argsIpc: Uint8Array;
  /** Row number (in the operator's input) of the chunk's first row. */
  rowBase: number;
}

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
}

export interface WorkerReply {
  /** The output column "out" as Arrow IPC bytes (null when the task stopped on `raise`). */
  ipc: Uint8Array | null;
  failures: UdfFailure[];
  /** A row that failed under onError "raise". */
  raise: UdfFailure | null;
  /** The UDF cannot run at all on a worker (bad source, missing export …). */
  setup: SerializedError | null;
}

export function serializeError(e: unknown): SerializedError {
  if (e instanceof Error) return { name: e.name, message: e.message, stack: e.stack };
  return { name: "Error", message: String(e) };
}

export function typeToIpc(type: DataType): Uint8Array {
  return tableToIPC(new Table(new Schema([new Field("out", type, true)])), "stream");
}

export function typeFromIpc(bytes: Uint8Array): DataType {
  return tableFromIPC(bytes).schema.fields[0]!.type;
}

export function argsToIpc(args: readonly Data[], start: number, length: number): Uint8Array {
  const cols: Record<string, Vector> = {};
  args.forEach((d, k) => {
    cols[`a${k}`] = makeVector(start === 0 && length === d.length ? d : d.slice(start, length));
  });
  return tableToIPC(new Table(cols), "stream");
}

export function argsFromIpc(bytes: Uint8Array): Data[] {
  const table = tableFromIPC(bytes);
  return table.schema.fields.map((f) => {
    const v = table.getChild(f.name)!;
    return v.data.length === 1 ? v.data[0]! : concatData(f.type, v.data);
  });
}

export function columnToIpc(data: Data): Uint8Array {
  return tableToIPC(new Table({ out: makeVector(data) }), "stream");
}

export function columnFromIpc(bytes: Uint8Array, type: DataType): Data {
  const v = tableFromIPC(bytes).getChild("out")!;
  return v.data.length === 1 ? v.data[0]! : concatData(type, v.data);
}
