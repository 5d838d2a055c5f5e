import fs from "node:fs";
import { ParquetFile, type RecordBatch as WasmRecordBatch } from "parquet-wasm";
import type { DecodeReply, ParquetDecodeTask } from "../exec/threads/protocol.js";

// Runs on a compute thread, which owns its own parquet-wasm instance: a wasm trap on corrupt
// data ends this thread only. Opened files are kept per thread (footer parsed once) and
// re-opened when the file's size or mtime changes.
const OPEN_LIMIT = 8;
const open = new Map<string, { key: string; file: Promise<ParquetFile> }>();

async function parquetFile(path: string): Promise<ParquetFile> {
  const st = fs.statSync(path);
  const key = `${st.size}:${st.mtimeMs}`;
  const hit = open.get(path);
  if (hit && hit.key === key) {
    open.delete(path);
    open.set(path, hit);
    return hit.file;
  }
  if (hit) void hit.file.then((f) => f.free()).catch(() => {});
  const file = fs.openAsBlob(path).then((blob) => ParquetFile.fromFile(blob));
  open.set(path, { key, file });
  file.catch(() => open.delete(path));
  while (open.size > OPEN_LIMIT) {
    const [oldest, entry] = open.entries().next().value as [string, { file: Promise<ParquetFile> }];
    open.delete(oldest);
    void entry.file.then((f) => f.free()).catch(() => {});
  }
  return file;
}

/**
 * Decodes the task's row groups batch by batch, each batch to IPC bytes as soon as it is
 * decoded, so this thread's wasm memory holds one batch and the compressed column chunks,
 * never the task's whole decoded table.
 */
export async function decodeParquetTask(task: ParquetDecodeTask): Promise<DecodeReply> {
  const pf = await parquetFile(task.path);
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
  return { ipc };
}
