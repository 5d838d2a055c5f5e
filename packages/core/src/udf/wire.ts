import type { MessagePort } from "node:worker_threads";
import {
  type Data,
  type DataType,
  Field,
  type Float,
  makeData,
  makeVector,
  Schema,
  Table,
  Type,
  tableFromIPC,
  tableToIPC,
} from "apache-arrow";
import type { UdfFailure } from "../exec/context.js";
import { copyBits } from "../kernels/bits.js";
import { concatData } from "../kernels/take-concat.js";
import { toDataType, typeName } from "../types/dtype.js";
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
  /** The UDF's `clusterMaxConcurrency`, set with `permits`. */
  clusterMaxConcurrency?: number;
  /** Where each call takes its permit (the operator's thread serves them). Transferred. */
  permits?: MessagePort;
  /** The return type, as the IPC schema of an empty one-column table. */
  typeIpc: Uint8Array;
  /** The argument columns of the chunk. */
  args: WireColumn[];
  /** Row number (in the operator's input) of the chunk's first row. */
  rowBase: number;
  /** The operator run the task belongs to: aborting it aborts the task's calls. */
  run: string;
}

/**
 * Sent as a run that needs workers starts, while its input is still being read: starts the
 * threads and loads the UDF's code there, so the first batch does not pay for it.
 */
export interface WarmTask {
  warm: true;
  key: string;
  udf: string;
  kind: "row" | "batch";
  source: WireSource;
}

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
}

export interface WorkerReply {
  /** The output column (null when the task stopped on `raise`). */
  out: WireColumn | null;
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

/**
 * A column crossing threads. Fixed-width numbers, bools, Utf8 and Binary go as their raw
 * buffers (transferred, no encoding step: IPC costs ~0.2 ms per message each way, which is
 * most of a short task); other types go as Arrow IPC bytes.
 */
export type WireColumn =
  | {
      kind: "raw";
      type: string;
      length: number;
      nullCount: number;
      validity: Uint8Array | null;
      offsets: Int32Array | null;
      values:
        | Uint8Array
        | Int8Array
        | Int16Array
        | Int32Array
        | Float32Array
        | Float64Array
        | BigInt64Array
        | Uint16Array
        | Uint32Array
        | BigUint64Array;
    }
  | { kind: "ipc"; bytes: Uint8Array };

function rawType(data: Data): string | null {
  const t = data.type;
  if (t.typeId === Type.Float && (t as Float).precision === 0) return null;
  if (
    t.typeId === Type.Int ||
    t.typeId === Type.Float ||
    t.typeId === Type.Utf8 ||
    t.typeId === Type.Binary ||
    t.typeId === Type.Bool
  ) {
    return typeName(t);
  }
  return null;
}

/**
 * Rows [start, start + length) of `data` as a wire column. `copy` makes fresh buffers (for
 * the main thread's input, which must not be detached by the transfer); without it the
 * buffers are sent as they are (a worker's own output).
 */
export function toWire(data: Data, start: number, length: number, copy: boolean): WireColumn {
  const name = rawType(data);
  if (name === null) {
    return {
      kind: "ipc",
      bytes: tableToIPC(new Table({ out: makeVector(data.slice(start, length)) }), "stream"),
    };
  }
  const d = start === 0 && length === data.length ? data : data.slice(start, length);
  const bm = d.nullCount > 0 ? d.nullBitmap : null;
  const validity = bm ? (copy || d.offset !== 0 ? copyBits(bm, d.offset, length) : bm) : null;
  const tid = d.typeId;
  if (tid === Type.Utf8 || tid === Type.Binary) {
    const o = d.valueOffsets as Int32Array;
    const base = o[0]!;
    const offsets =
      base === 0 && !copy ? o.subarray(0, length + 1) : o.slice(0, length + 1).map((x) => x - base);
    const bytes = d.values as Uint8Array;
    const values = copy ? bytes.slice(base, o[length]!) : bytes.subarray(base, o[length]!);
    return { kind: "raw", type: name, length, nullCount: d.nullCount, validity, offsets, values };
  }
  if (tid === Type.Bool) {
    const values =
      copy || d.offset !== 0
        ? copyBits(d.values as Uint8Array, d.offset, length)
        : (d.values as Uint8Array);
    return {
      kind: "raw",
      type: name,
      length,
      nullCount: d.nullCount,
      validity,
      offsets: null,
      values,
    };
  }
  const vals = d.values as Float64Array;
  return {
    kind: "raw",
    type: name,
    length,
    nullCount: d.nullCount,
    validity,
    offsets: null,
    values: copy ? vals.slice(0, length) : vals.subarray(0, length),
  };
}

export function fromWire(w: WireColumn): Data {
  if (w.kind === "ipc") {
    const v = tableFromIPC(w.bytes).getChild("out")!;
    return v.data.length === 1 ? v.data[0]! : concatData(v.type, v.data);
  }
  const type = toDataType(w.type);
  return makeData({
    type,
    length: w.length,
    nullCount: w.nullCount,
    nullBitmap: w.validity,
    valueOffsets: w.offsets ?? undefined,
    data: w.values,
  } as never);
}

/** The buffers to transfer with wire columns (each ArrayBuffer once). */
export function transferList(cols: readonly WireColumn[]): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const c of cols) {
    if (c.kind === "ipc") out.add(c.bytes.buffer as ArrayBuffer);
    else {
      out.add(c.values.buffer as ArrayBuffer);
      if (c.validity) out.add(c.validity.buffer as ArrayBuffer);
      if (c.offsets) out.add(c.offsets.buffer as ArrayBuffer);
    }
  }
  return [...out];
}
