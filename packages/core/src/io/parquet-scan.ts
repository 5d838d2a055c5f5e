import {
  type Data,
  type DataType,
  Field,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Type,
  tableFromIPC,
} from "apache-arrow";
import { abortError, type ExecContext } from "../exec/context.js";
import { orderedMap } from "../exec/ordered-map.js";
import { onComputeThread } from "../exec/threads/on-compute-thread.js";
import { runCompute } from "../exec/threads/pool.js";
import type { DecodeReply, ParquetDecoder } from "../exec/threads/protocol.js";
import type { Json } from "../plan/json/values.js";
import { FileError } from "./files.js";
import { relabel } from "./parquet-arrow-types.js";
import { decodeParquetTask } from "./parquet-decode.js";
import { type NativeRowGroup, rowGroupBatches } from "./parquet-native/native-batch.js";
import { nativePlan } from "./parquet-native/support.js";
import { type RowGroupTask, rowGroupLabel } from "./parquet-tasks.js";

/** What a scan did, reported in its `scan:end` event. */
export interface ScanCounts {
  filesOpened: number;
  rowGroupsRead: number;
  rowsRead: number;
  /** The decoders the scan's tasks used. */
  decoders: Set<ParquetDecoder>;
  /** Rows the filter dropped while decoding (undefined when it was never evaluated so). */
  rowsFiltered?: number;
}

/** A decoded column's name and type (or type name), as the scan checks them against the footer's. */
export interface DecodedColumn {
  name: string;
  type: DataType | string;
}

/**
 * Decodes row-group tasks on the compute threads and yields their batches in file and
 * row-group order. At most `threads` tasks decode at once and `READ_AHEAD` per thread are
 * held (decoding, or decoded and waiting for an earlier one); with one thread a task starts
 * only when the consumer asks for it, so only one thread works at a time (as decoding on the
 * calling thread would) while a crash still stays in that thread.
 */
export async function* decodeOnThreads(
  tasks: readonly RowGroupTask[],
  columns: string[],
  outSchema: Schema,
  batchSize: number,
  check: (file: string, decoded: readonly DecodedColumn[]) => void,
  counts: ScanCounts,
  ctx: ExecContext,
  pushed: { filter?: Json; codes?: string[] } = {},
): AsyncGenerator<RecordBatch> {
  const forced = forcedDecoder();
  const opened = new Set<string>();
  // A failed task is held as a value until the consumer reaches it, so the row groups
  // before a corrupt one are delivered, in order, whichever task finished first.
  const decode = (
    task: RowGroupTask,
  ): Promise<{ file: string; task: RowGroupTask; reply?: DecodeReply; error?: unknown }> => {
    if (ctx.signal.aborted) return Promise.reject(abortError(ctx.signal));
    counts.rowGroupsRead += task.rowGroups.length;
    if (!opened.has(task.file.path)) {
      opened.add(task.file.path);
      counts.filesOpened++;
    }
    const decoder: ParquetDecoder =
      forced === "parquet-wasm" || typeof nativePlan(task.file, columns) === "string"
        ? "parquet-wasm"
        : "native";
    if (decoder === "parquet-wasm") checkWasmCanRead(task.file.path, outSchema);
    counts.decoders.add(decoder);
    const native = decoder === "native" ? pushed : {};
    return decodeTask(task, columns, batchSize, decoder, ctx.threads, native).then(
      (reply) => ({ file: task.file.path, task, reply }),
      (error: unknown) => ({ file: task.file.path, task, error }),
    );
  };
  const threads = ctx.threads;
  // Many threads: a thread whose task finished before the head's starts the next one rather
  // than wait for the consumer (with only `threads` held, the slowest task of each round
  // idled the others: flights-3m's 3-column scan at threads 2 went 1.34x -> ~1.6x of threads 1).
  // One thread: a task's budget returns only when the consumer asks for more.
  const decoded = orderedMap(tasks, decode, {
    concurrency: threads,
    readAhead: threads > 1 ? READ_AHEAD * threads : 1,
    release: threads > 1 ? "done" : "yielded",
  });
  const nullable = new Map(outSchema.fields.map((f) => [f.name, f.nullable]));
  for await (const { file, task, reply, error } of decoded) {
    if (ctx.signal.aborted) throw abortError(ctx.signal);
    if (!reply) throw error;
    if (reply.decoder === "native") {
      const groups = reply.groups;
      const schema = nativeSchema(file, task, columns, nullable, groups[0], check);
      for (let g = 0; g < groups.length; g++) {
        const group = groups[g]!;
        // Dropped as it is read, so a task's row groups are freed as the consumer goes.
        groups[g] = EMPTY_GROUP;
        if (group.scanned !== undefined) {
          counts.rowsFiltered = (counts.rowsFiltered ?? 0) + group.scanned - group.rows;
        }
        for (const batch of rowGroupBatches(schema, group, batchSize)) {
          counts.rowsRead += batch.numRows;
          yield batch;
          if (ctx.signal.aborted) throw abortError(ctx.signal);
        }
      }
      continue;
    }
    const ipc = reply.ipc;
    for (let i = 0; i < ipc.length; i++) {
      const bytes = ipc[i]!;
      // Dropped as it is read, so a task's batches are freed as the consumer goes.
      ipc[i] = EMPTY;
      for (const batch of tableFromIPC(bytes).batches) {
        counts.rowsRead += batch.numRows;
        yield asFooterTypes(file, batch, outSchema, check);
        if (ctx.signal.aborted) throw abortError(ctx.signal);
      }
    }
  }
}

const EMPTY_GROUP = { rows: 0, columns: [] };

/** Decoded row-group tasks held per thread at most (each is one task's columns). */
const READ_AHEAD = 4;

/**
 * parquet-wasm reads a Parquet INTERVAL as days and milliseconds, dropping its months: such a
 * column is read by deft's decoder only, which a scan can use when it reads flat columns.
 */
function checkWasmCanRead(file: string, outSchema: Schema): void {
  for (const f of outSchema.fields) {
    if (f.type.typeId === Type.Interval) {
      throw new FileError(
        "Parquet",
        file,
        `column "${f.name}" (Parquet INTERVAL, read as ${String(f.type)}) can only be read together with flat columns: this scan also reads a column that needs parquet-wasm, which drops an interval's months. Read "${f.name}" in a scan of its own (select it with other flat columns) and join, or cast it in the writer.`,
      );
    }
  }
}

const decodedColumns = (batch: RecordBatch): DecodedColumn[] =>
  batch.schema.fields.map((f) => ({ name: f.name, type: f.type }));

/**
 * A parquet-wasm batch in `outSchema`'s column order, each column labelled with the footer's
 * type where it holds the same values in the same buffers (a zone spelt "+00:00" for "UTC",
 * a duration whose hint parquet-wasm was not given); a column decoded to other values fails
 * `check`.
 */
function asFooterTypes(
  file: string,
  batch: RecordBatch,
  outSchema: Schema,
  check: (file: string, decoded: readonly DecodedColumn[]) => void,
): RecordBatch {
  const fields: Field[] = [];
  const children: Data[] = [];
  for (const f of outSchema.fields) {
    const i = batch.schema.fields.findIndex((g) => g.name === f.name);
    const data = i < 0 ? undefined : batch.data.children[i];
    const same = data && relabel(data, f.type);
    if (!same) {
      check(file, decodedColumns(batch));
      throw new Error(`column "${f.name}" was decoded as another type`);
    }
    fields.push(same.type === f.type ? f : new Field(f.name, same.type, f.nullable, f.metadata));
    children.push(same);
  }
  const schema = new Schema(fields, outSchema.metadata);
  return new RecordBatch(
    schema,
    makeData({ type: new Struct(fields), length: batch.numRows, nullCount: 0, children }),
  );
}

/**
 * The schema of a native task's batches, in `columns` order: the footer's types, with
 * large_utf8 / large_binary as utf8 / binary (the decoder writes 32-bit offsets, the layout
 * every scan narrows large strings to). A column decoded as another type fails `check`.
 */
function nativeSchema(
  file: string,
  task: RowGroupTask,
  columns: readonly string[],
  nullable: ReadonlyMap<string, boolean>,
  first: NativeRowGroup | undefined,
  check: (file: string, decoded: readonly DecodedColumn[]) => void,
): Schema {
  const plan = nativePlan(task.file, columns);
  if (typeof plan === "string") throw new Error(`native decoding was not planned: ${plan}`);
  plan.forEach((p, i) => {
    const got = first?.columns[i]?.type;
    if (got !== undefined && got !== String(p.outType)) check(file, [{ name: p.name, type: got }]);
  });
  return new Schema(plan.map((p) => new Field(p.name, p.outType, nullable.get(p.name) ?? true)));
}
const EMPTY = new Uint8Array(0);

/** The environment variable that sends every Parquet scan to parquet-wasm. */
export const DECODER_ENV = "DEFT_PARQUET_DECODER";

/**
 * `DEFT_PARQUET_DECODER=parquet-wasm` reads every file with parquet-wasm (to compare the
 * decoders, or to step around a file deft's decoder rejects); unset or `auto`, each file
 * gets the native decoder when its footer allows.
 */
function forcedDecoder(): "parquet-wasm" | undefined {
  const v = process.env[DECODER_ENV]?.trim();
  if (v === undefined || v === "" || v === "auto") return undefined;
  if (v === "parquet-wasm") return v;
  throw new RangeError(
    `The environment variable ${DECODER_ENV} must be "auto" or "parquet-wasm", got "${v}". Unset it to let deft choose per file.`,
  );
}

async function decodeTask(
  task: RowGroupTask,
  columns: string[],
  batchSize: number,
  decoder: ParquetDecoder,
  threads: number,
  { filter, codes }: { filter?: Json; codes?: string[] },
): Promise<DecodeReply> {
  const run = (rowGroups: number[], limit?: number) => {
    const t = {
      kind: "parquet",
      path: task.file.path,
      rowGroups,
      columns,
      batchSize,
      limit,
      decoder,
      ...(filter !== undefined && { filter }),
      ...(codes !== undefined && { codes }),
    } as const;
    // A compute thread running a chain of operators decodes its own partition.
    return onComputeThread() ? decodeParquetTask(t, task.file) : runCompute(t, threads);
  };
  try {
    return await run(task.rowGroups, task.limit);
  } catch (err) {
    let culprit = task.rowGroups;
    // A merged task names its failing row group: decode them one by one (each on a thread).
    if (task.rowGroups.length > 1) {
      for (const [i, g] of task.rowGroups.entries()) {
        const ok = await run([g], task.groupRows[i]).then(
          () => true,
          () => false,
        );
        if (!ok) {
          culprit = [g];
          break;
        }
      }
    }
    throw new FileError(
      "Parquet",
      task.file.path,
      `${rowGroupLabel(culprit)} cannot be decoded (corrupt or truncated data?): ${errorText(err)}`,
      { cause: err },
    );
  }
}

function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  return err.name && err.name !== "Error" ? `${err.name}: ${err.message}` : err.message;
}
