import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import {
  makeData,
  RecordBatch,
  RecordBatchFileWriter,
  RecordBatchReader,
  RecordBatchStreamWriter,
  type Schema,
  Struct,
} from "apache-arrow";
import { abortError, type ExecContext } from "../exec/context.js";
import type { ScanRequest, ScanSource } from "../plan/source.js";
import { checkReadable, FileError, readBytesSync } from "./files.js";
import { plainBatch, plainSchema } from "./plain-batches.js";
import { projectBatch, selectFields } from "./schema-utils.js";
import {
  type FormatWriter,
  type WriteOptions,
  type WriteResult,
  writeBatches,
} from "./write-batches.js";

const MAGIC = "ARROW1";

/**
 * An Arrow IPC file (random-access "file" format) or stream. The schema is read from the
 * first message at plan time; batches are read lazily (the file format through random access,
 * the stream format front to back).
 */
export class IpcSource implements ScanSource {
  readonly kind = "ipc";
  readonly usesFilter = false;
  /** The columns as deft reads them: views and dictionaries as plain types. */
  readonly schema: Schema;
  /** The schema the file declares. */
  readonly fileSchema: Schema;
  readonly format: "file" | "stream";

  constructor(readonly path: string) {
    checkReadable("Arrow IPC", path);
    const { schema, format } = readIpcSchema(path);
    this.fileSchema = schema;
    this.schema = plainSchema(schema);
    this.format = format;
  }

  describe(request?: ScanRequest): string {
    let out = `ipc ${path.basename(this.path)} (${this.format} format)`;
    if (request?.columns) out += ` columns=[${request.columns.join(", ")}]`;
    if (request?.limit !== undefined) out += ` limit=${request.limit}`;
    return out;
  }

  async *scan(request: ScanRequest, ctx: ExecContext): AsyncGenerator<RecordBatch> {
    const out = request.columns
      ? selectFields("Arrow IPC", this.path, this.schema, request.columns)
      : this.schema;
    let remaining = request.limit ?? Number.POSITIVE_INFINITY;
    if (remaining <= 0) return;
    const fh = await fsp.open(this.path, "r");
    let reader: Awaited<ReturnType<typeof RecordBatchReader.from>> | undefined;
    try {
      try {
        reader =
          this.format === "file"
            ? await RecordBatchReader.from(fh)
            : await RecordBatchReader.from(
                fs.createReadStream(this.path, { highWaterMark: 1 << 20 }),
              );
      } catch (err) {
        throw new FileError("Arrow IPC", this.path, `cannot be read: ${(err as Error).message}`, {
          cause: err,
        });
      }
      const it = reader[Symbol.asyncIterator]();
      while (true) {
        if (ctx.signal.aborted) throw abortError(ctx.signal);
        let next: IteratorResult<RecordBatch>;
        try {
          next = await it.next();
        } catch (err) {
          throw new FileError(
            "Arrow IPC",
            this.path,
            `is corrupt or truncated: ${(err as Error).message}`,
            { cause: err },
          );
        }
        if (next.done) return;
        let batch = projectBatch(plainBatch(next.value, this.schema), out);
        if (batch.numRows > remaining) batch = batch.slice(0, remaining);
        remaining -= batch.numRows;
        yield batch;
        if (remaining <= 0) return;
      }
    } finally {
      await reader?.cancel().catch(() => {});
      await fh.close().catch(() => {});
    }
  }
}

/** Reads the schema with blocking reads: from the footer (file format) or first message (stream). */
function readIpcSchema(file: string): { schema: Schema; format: "file" | "stream" } {
  const fd = fs.openSync(file, "r");
  try {
    const size = fs.fstatSync(fd).size;
    const head = readBytesSync(fd, 0, 8);
    const isFile = Buffer.from(head.subarray(0, 6)).toString("latin1") === MAGIC;
    // A file's schema is read from its footer; when apache-arrow cannot read that alone (the
    // footer lists dictionary batches, as polars' files do), from the stream a file embeds
    // after its 8-byte magic; apache-arrow's own files with dictionaries embed no valid
    // stream, so for those the whole file is read.
    const attempts: (() => Uint8Array)[] = isFile
      ? [
          () => footerOnlyFile(file, fd, size),
          () => firstMessage(file, fd, 8),
          () => fs.readFileSync(file),
        ]
      : [() => firstMessage(file, fd, 0)];
    let first: unknown;
    for (const attempt of attempts) {
      try {
        return { schema: schemaOf(attempt()), format: isFile ? "file" : "stream" };
      } catch (err) {
        if (err instanceof FileError) throw err;
        first ??= err;
      }
    }
    throw new FileError(
      "Arrow IPC",
      file,
      `has an unreadable schema (corrupt or truncated?): ${(first as Error).message}`,
      { cause: first },
    );
  } finally {
    fs.closeSync(fd);
  }
}

function schemaOf(bytes: Uint8Array): Schema {
  const reader = RecordBatchReader.from(bytes);
  reader.open();
  if (!reader.schema) throw new Error("no schema message");
  return reader.schema;
}

/** A file made of the magic and the footer only: enough for apache-arrow to read the schema. */
function footerOnlyFile(file: string, fd: number, size: number): Uint8Array {
  const tail = readBytesSync(fd, Math.max(0, size - 10), 10);
  if (tail.length < 10 || Buffer.from(tail.subarray(4)).toString("latin1") !== MAGIC) {
    throw new FileError(
      "Arrow IPC",
      file,
      "is truncated: the Arrow file footer is missing. Was the write interrupted?",
    );
  }
  const footerLen = new DataView(tail.buffer, tail.byteOffset, 10).getInt32(0, true);
  if (footerLen <= 0 || footerLen + 18 > size)
    throw new FileError("Arrow IPC", file, "has a corrupt footer length.");
  const footer = readBytesSync(fd, size - 10 - footerLen, footerLen);
  const out = new Uint8Array(8 + footerLen + 10);
  out.set(Buffer.from(`${MAGIC}\0\0`, "latin1"), 0);
  out.set(footer, 8);
  out.set(tail, 8 + footerLen);
  return out;
}

/** The stream's schema message (at `at`) followed by an end-of-stream marker. */
function firstMessage(file: string, fd: number, at: number): Uint8Array {
  const prefix = readBytesSync(fd, at, 8);
  if (prefix.length < 4)
    throw new FileError("Arrow IPC", file, "is empty or truncated (no schema message).");
  const view = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength);
  // Modern messages start with 0xFFFFFFFF then the length; legacy ones with the length.
  let metaLen = view.getInt32(0, true);
  let headerLen = 4;
  if (metaLen === -1 && prefix.length === 8) {
    metaLen = view.getInt32(4, true);
    headerLen = 8;
  }
  if (metaLen <= 0 || metaLen > 64 << 20) {
    throw new FileError(
      "Arrow IPC",
      file,
      "is not an Arrow IPC file or stream (no schema message at the start).",
    );
  }
  const msg = readBytesSync(fd, at, headerLen + metaLen);
  if (msg.length < headerLen + metaLen)
    throw new FileError("Arrow IPC", file, "is truncated in its schema message.");
  const bytes = new Uint8Array(msg.length + 8);
  bytes.set(msg, 0);
  bytes.set([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0], msg.length);
  return bytes;
}

export interface ArrowWriteOptions extends WriteOptions {
  /** "file" (default; random access, `.arrow`) or "stream" (`.arrows`). */
  format?: "file" | "stream";
}

/** Writes batches as an Arrow IPC file (or stream), streaming, atomically. */
export async function writeArrowBatches(
  batches: AsyncIterable<RecordBatch> | Iterable<RecordBatch>,
  schema: Schema,
  target: string,
  options: ArrowWriteOptions = {},
  signal?: AbortSignal,
): Promise<WriteResult> {
  const format = options.format ?? "file";
  if (format !== "file" && format !== "stream") {
    throw new TypeError(`writeArrow: format must be "file" or "stream", got "${format}".`);
  }
  const open = (file: string, s: Schema) => openIpcWriter(file, s, format);
  return writeBatches(
    "Arrow IPC",
    format === "file" ? "arrow" : "arrows",
    batches,
    schema,
    target,
    options,
    signal,
    open,
  );
}

async function openIpcWriter(
  file: string,
  schema: Schema,
  format: "file" | "stream",
): Promise<FormatWriter> {
  const fh = await fsp.open(file, "w");
  const writer = format === "file" ? new RecordBatchFileWriter() : new RecordBatchStreamWriter();
  writer.reset(undefined, schema);
  // The writer queues encoded bytes; a pump drains them to disk as they appear. write() waits
  // until the pump has gone idle, so at most one batch's bytes are ever queued.
  let busy = false;
  let idle: (() => void)[] = [];
  const pump = (async () => {
    for await (const chunk of writer) {
      busy = true;
      await fh.write(chunk);
      busy = false;
      // Woken waiters re-check `busy`: a queued next chunk is picked up before setImmediate.
      setImmediate(() => {
        const w = idle;
        idle = [];
        for (const f of w) f();
      });
    }
  })();
  let failed: unknown = null;
  pump.catch((err) => {
    failed = err;
    for (const f of idle) f();
  });
  let closed = false;
  return {
    async write(batch) {
      if (failed) throw failed;
      // apache-arrow's writer ends the file at a batch whose schema object differs from the
      // one it began with (field metadata, nullability): every batch carries the writer's.
      writer.write(
        batch.schema === schema
          ? batch
          : new RecordBatch(
              schema,
              makeData({
                type: new Struct(schema.fields),
                length: batch.numRows,
                nullCount: 0,
                children: batch.data.children,
              }),
            ),
      );
      await new Promise<void>((r) => setImmediate(r));
      while (busy && !failed) await new Promise<void>((r) => idle.push(r));
      if (failed) throw failed;
    },
    async finish() {
      writer.finish();
      writer.close();
      await pump;
      closed = true;
      await fh.close();
    },
    async abort() {
      if (closed) return;
      closed = true;
      writer.abort();
      await pump.catch(() => {});
      await fh.close().catch(() => {});
    },
  };
}
