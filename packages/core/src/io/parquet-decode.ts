import fs from "node:fs";
import { ParquetFile, type RecordBatch as WasmRecordBatch } from "parquet-wasm";
import type { DecodeReply, ParquetDecodeTask } from "../exec/threads/protocol.js";
import { readBytesSync } from "./files.js";
import { rowFilterOf } from "./parquet-filter.js";
import { ARROW_SCHEMA_KEY, type ParquetFooter, readParquetFooter } from "./parquet-footer.js";
import type { NativeRowGroup } from "./parquet-native/native-batch.js";
import { decodeRowGroup, prepareCodecs } from "./parquet-native/row-group.js";
import { nativePlan } from "./parquet-native/support.js";

// Runs on a compute thread, which owns its own parquet-wasm instance: a wasm trap on corrupt
// data ends this thread only. Opened files are kept per thread (footer parsed once) and
// re-opened when the file's size or mtime changes.
const OPEN_LIMIT = 8;
const open = new Map<string, { key: string; file: Promise<ParquetFile> }>();
const footers = new Map<string, { key: string; footer: ParquetFooter }>();

const statKey = (path: string): string => {
  const st = fs.statSync(path);
  return `${st.size}:${st.mtimeMs}`;
};

async function parquetFile(path: string, hideArrowSchema: boolean): Promise<ParquetFile> {
  const key = `${statKey(path)}:${hideArrowSchema}`;
  const hit = open.get(path);
  if (hit && hit.key === key) {
    open.delete(path);
    open.set(path, hit);
    return hit.file;
  }
  if (hit) void hit.file.then((f) => f.free()).catch(() => {});
  const file = fs
    .openAsBlob(path)
    .then((blob) => ParquetFile.fromFile(hideArrowSchema ? withoutArrowSchema(path, blob) : blob));
  open.set(path, { key, file });
  file.catch(() => open.delete(path));
  while (open.size > OPEN_LIMIT) {
    const [oldest, entry] = open.entries().next().value as [string, { file: Promise<ParquetFile> }];
    open.delete(oldest);
    void entry.file.then((f) => f.free()).catch(() => {});
  }
  return file;
}

const HIDDEN_KEY = Buffer.from("deft:ignored", "latin1");

/**
 * The file as parquet-wasm should see it when its embedded Arrow schema must not steer the
 * decoding (see ParquetFooter.hideArrowSchema): the footer's key is renamed in place (same
 * length, so every offset stays valid) and parquet-wasm maps the Parquet types alone.
 */
function withoutArrowSchema(path: string, blob: Blob): Blob {
  const fd = fs.openSync(path, "r");
  try {
    const size = fs.fstatSync(fd).size;
    const tail = readBytesSync(fd, size - 8, 8);
    const metaLength = new DataView(tail.buffer, tail.byteOffset, 8).getUint32(0, true);
    const start = size - 8 - metaLength;
    const footer = Buffer.from(readBytesSync(fd, start, metaLength));
    const at = footer.indexOf(ARROW_SCHEMA_KEY, 0, "latin1");
    if (at < 0 || HIDDEN_KEY.length !== ARROW_SCHEMA_KEY.length) return blob;
    const pos = start + at;
    return new Blob([blob.slice(0, pos), HIDDEN_KEY, blob.slice(pos + HIDDEN_KEY.length)]);
  } finally {
    fs.closeSync(fd);
  }
}

/** The file's footer, parsed once per thread while the file stays unchanged. */
function footerOf(path: string): ParquetFooter {
  const key = statKey(path);
  const hit = footers.get(path);
  if (hit && hit.key === key) return hit.footer;
  const footer = readParquetFooter(path);
  footers.set(path, { key, footer });
  while (footers.size > OPEN_LIMIT) footers.delete(footers.keys().next().value as string);
  return footer;
}

/**
 * Decodes the task's row groups with the decoder the calling thread chose. `footer`, when
 * the caller has it parsed already (a compute thread running a whole fragment), saves
 * reading it again.
 */
export async function decodeParquetTask(
  task: ParquetDecodeTask,
  footer?: ParquetFooter,
): Promise<DecodeReply> {
  if (task.decoder === "native") {
    const f = footer ?? footerOf(task.path);
    const plan = nativePlan(f, task.columns);
    // A file rewritten since the plan was made may no longer suit the native decoder.
    if (typeof plan !== "string") return decodeNative(task, f, plan);
  }
  const hide = (footer ?? footerOf(task.path)).hideArrowSchema;
  return { decoder: "parquet-wasm", ipc: await decodeWithWasm(task, hide) };
}

/** Reads only the task's column chunks (positional reads) and decodes them row group by row group. */
async function decodeNative(
  task: ParquetDecodeTask,
  footer: ParquetFooter,
  plan: Exclude<ReturnType<typeof nativePlan>, string>,
): Promise<DecodeReply> {
  await prepareCodecs(footer, task.rowGroups, plan);
  const keep = task.codes;
  if (keep) plan = plan.map((c) => (keep.includes(c.name) ? { ...c, codes: true } : c));
  const groups: NativeRowGroup[] = [];
  let remaining = task.limit ?? Number.POSITIVE_INFINITY;
  const filter = task.filter === undefined ? undefined : rowFilterOf(task.filter, plan);
  const fd = fs.openSync(task.path, "r");
  try {
    for (const g of task.rowGroups) {
      if (remaining <= 0) break;
      const group = decodeRowGroup(fd, footer, g, plan, remaining, filter);
      remaining -= group.scanned ?? group.rows;
      groups.push(group);
    }
  } finally {
    fs.closeSync(fd);
  }
  return { decoder: "native", groups };
}

/**
 * Decodes the task's row groups batch by batch, each batch to IPC bytes as soon as it is
 * decoded, so this thread's wasm memory holds one batch and the compressed column chunks,
 * never the task's whole decoded table.
 */
async function decodeWithWasm(
  task: ParquetDecodeTask,
  hideArrowSchema: boolean,
): Promise<Uint8Array[]> {
  const pf = await parquetFile(task.path, hideArrowSchema);
  const stream = await pf.stream({
    columns: task.columns,
    rowGroups: task.rowGroups,
    batchSize: task.batchSize,
    limit: task.limit,
  });
  const reader = stream.getReader() as ReadableStreamDefaultReader<WasmRecordBatch>;
  const ipc: Uint8Array[] = [];
  try {
    while (true) {
      const next = await reader.read();
      if (next.done) break;
      // Copied out of wasm memory into an ArrayBuffer of its own: transferable.
      ipc.push(next.value.intoIPCStream());
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return ipc;
}
