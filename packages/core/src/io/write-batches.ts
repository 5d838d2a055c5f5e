import { randomBytes } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { type Data, makeData, RecordBatch, type Schema, Struct } from "apache-arrow";
import { abortError } from "../exec/context.js";
import { takeData } from "../kernels/take.js";
import { valuesOf } from "../kernels/to-js.js";
import type { FileKind } from "./files.js";

/** Options every writer takes. */
export interface WriteOptions {
  /** Hive-style partitioning: one sub-directory per distinct value (`col=value/part-00000.ext`). */
  partitionBy?: string[];
  /** Start a new part file after this many rows (the target is then a directory). */
  maxRowsPerFile?: number;
}

/** What a write produced. `path` is the target; `paths` the files written (one or more). */
export interface WriteResult {
  /** The target path as given: the file, or the directory of part files. */
  path: string;
  /** Every file written (just `path` for a single file; the part files otherwise). */
  paths: string[];
  /** Rows written, over all files. */
  rows: number;
  /** Bytes on disk, over all files. */
  bytes: number;
}

/** One open output file of some format. `finish` flushes and closes; `abort` just closes. */
export interface FormatWriter {
  write(batch: RecordBatch): Promise<void>;
  finish(): Promise<void>;
  abort(): Promise<void>;
}

export type OpenFormatWriter = (file: string, schema: Schema) => Promise<FormatWriter>;

/**
 * True when a write's target is a directory of part files: `partitionBy` or `maxRowsPerFile`
 * is set, or the path ends with a separator (`out/`: one `part-00000` file, or more).
 */
export function writesParts(target: string, options: WriteOptions): boolean {
  return (
    (options.partitionBy?.length ?? 0) > 0 ||
    options.maxRowsPerFile !== undefined ||
    target.endsWith("/") ||
    target.endsWith(path.sep)
  );
}

const tempSuffix = (): string => `.deft-tmp-${process.pid}-${randomBytes(4).toString("hex")}`;

/**
 * Streams `batches` into one file or a directory of part files, atomically: everything is
 * written under a temporary name beside the target and renamed into place only when the whole
 * input was written. On any failure (the source throws, the signal aborts, the disk fills) the
 * temporary output is removed and an existing target is left as it was.
 */
export async function writeBatches(
  kind: FileKind,
  ext: string,
  batches: AsyncIterable<RecordBatch> | Iterable<RecordBatch>,
  schema: Schema,
  target: string,
  options: WriteOptions,
  signal: AbortSignal | undefined,
  open: OpenFormatWriter,
): Promise<WriteResult> {
  const { partitionBy, maxRowsPerFile } = options;
  if (maxRowsPerFile !== undefined && (!Number.isInteger(maxRowsPerFile) || maxRowsPerFile < 1)) {
    throw new RangeError(`maxRowsPerFile must be a positive integer, got ${maxRowsPerFile}.`);
  }
  for (const c of partitionBy ?? []) {
    if (!schema.fields.some((f) => f.name === c)) {
      throw new Error(
        `partitionBy: no column "${c}". Columns: ${schema.fields.map((f) => f.name).join(", ")}.`,
      );
    }
  }
  const dirMode = writesParts(target, options);
  const parent = path.dirname(path.resolve(target));
  await fsp.mkdir(parent, { recursive: true });
  const existing = await fsp.stat(target).catch(() => undefined);
  if (dirMode && existing && !existing.isDirectory()) {
    throw new Error(
      `Cannot write part files to "${target}": it exists and is a file. Remove it or choose a directory path.`,
    );
  }
  if (!dirMode && existing?.isDirectory()) {
    throw new Error(
      `Cannot write ${kind} file "${target}": it is a directory. Give a file path, or end the path with "/" (or use partitionBy/maxRowsPerFile) to write part files into it.`,
    );
  }
  const temp = path.join(parent, `.${path.basename(path.resolve(target))}${tempSuffix()}`);
  const sink = new PartSink(temp, ext, schema, open, dirMode, partitionBy ?? [], maxRowsPerFile);
  let rows = 0;
  try {
    if (dirMode) await fsp.mkdir(temp);
    for await (const batch of batches) {
      if (signal?.aborted) throw abortError(signal);
      rows += batch.numRows;
      await sink.write(batch);
    }
    if (signal?.aborted) throw abortError(signal);
    await sink.finish();
  } catch (err) {
    await sink.abort();
    await fsp.rm(temp, { recursive: true, force: true });
    throw err;
  }
  const bytes = await sink.totalBytes();
  const finals = sink.files.map((f) =>
    dirMode ? path.join(target, path.relative(temp, f)) : target,
  );
  await moveIntoPlace(temp, path.resolve(target), dirMode && existing !== undefined);
  return { path: target, paths: finals, rows, bytes };
}

/** Moves the finished temp file/dir onto the target; an old directory is swapped out first. */
export async function moveIntoPlace(temp: string, target: string, oldDir: boolean): Promise<void> {
  if (!oldDir) {
    await fsp.rename(temp, target);
    return;
  }
  const old = `${target}${tempSuffix()}-old`;
  await fsp.rename(target, old);
  try {
    await fsp.rename(temp, target);
  } catch (err) {
    await fsp.rename(old, target);
    await fsp.rm(temp, { recursive: true, force: true });
    throw err;
  }
  await fsp.rm(old, { recursive: true, force: true });
}

interface OpenPart {
  writer: FormatWriter;
  rows: number;
}

/** Routes batches to part files: by partition key, rolling to a new part after maxRows. */
class PartSink {
  readonly files: string[] = [];
  private readonly parts = new Map<string, OpenPart>();
  private readonly counters = new Map<string, number>();

  constructor(
    private readonly root: string,
    private readonly ext: string,
    private readonly schema: Schema,
    private readonly open: OpenFormatWriter,
    private readonly dirMode: boolean,
    private readonly partitionBy: string[],
    private readonly maxRows: number | undefined,
  ) {}

  async write(batch: RecordBatch): Promise<void> {
    if (batch.numRows === 0) {
      if (!this.dirMode) await (await this.part("")).writer.write(batch);
      return;
    }
    if (this.partitionBy.length === 0) return this.writeTo("", batch);
    for (const [key, rows] of partitionRows(batch, this.partitionBy)) {
      await this.writeTo(key, rows === null ? batch : takeBatch(batch, rows));
    }
  }

  private async writeTo(key: string, batch: RecordBatch): Promise<void> {
    let offset = 0;
    while (offset < batch.numRows) {
      const part = await this.part(key);
      const room = this.maxRows === undefined ? batch.numRows - offset : this.maxRows - part.rows;
      const n = Math.min(room, batch.numRows - offset);
      await part.writer.write(
        offset === 0 && n === batch.numRows ? batch : batch.slice(offset, offset + n),
      );
      part.rows += n;
      offset += n;
      if (this.maxRows !== undefined && part.rows >= this.maxRows) {
        this.parts.delete(key);
        await part.writer.finish();
      }
    }
  }

  private async part(key: string): Promise<OpenPart> {
    const open = this.parts.get(key);
    if (open) return open;
    let file = this.root;
    if (this.dirMode) {
      const n = this.counters.get(key) ?? 0;
      this.counters.set(key, n + 1);
      const dir = path.join(this.root, key);
      await fsp.mkdir(dir, { recursive: true });
      file = path.join(dir, `part-${String(n).padStart(5, "0")}.${this.ext}`);
    }
    const part = { writer: await this.open(file, this.schema), rows: 0 };
    this.files.push(file);
    this.parts.set(key, part);
    return part;
  }

  async finish(): Promise<void> {
    // A single-file write of an empty input still produces a valid (empty) file.
    if (!this.dirMode && this.files.length === 0) await this.part("");
    for (const [key, part] of this.parts) {
      this.parts.delete(key);
      await part.writer.finish();
    }
  }

  async abort(): Promise<void> {
    for (const part of this.parts.values()) await part.writer.abort().catch(() => {});
    this.parts.clear();
  }

  async totalBytes(): Promise<number> {
    let total = 0;
    for (const f of this.files) total += fs.statSync(f).size;
    return total;
  }
}

/** Hive-style directory name for a value: `col=value`, nulls as __HIVE_DEFAULT_PARTITION__. */
function partitionDir(column: string, value: unknown): string {
  const text =
    value === null || value === undefined
      ? "__HIVE_DEFAULT_PARTITION__"
      : value instanceof Date
        ? value.toISOString()
        : String(value);
  return `${encodeURIComponent(column)}=${encodeURIComponent(text)}`;
}

/** Row indices per partition key (null when the whole batch has one key). */
function partitionRows(batch: RecordBatch, columns: string[]): Map<string, Int32Array | null> {
  const keys = columns.map((c) => {
    const data = batch.getChild(c)!.data;
    const values = data.flatMap((d: Data) => valuesOf(d));
    return { column: c, values };
  });
  const n = batch.numRows;
  const rowsByKey = new Map<string, number[]>();
  const keyOf = (i: number) => keys.map((k) => partitionDir(k.column, k.values[i])).join("/");
  for (let i = 0; i < n; i++) {
    const key = keyOf(i);
    let rows = rowsByKey.get(key);
    if (!rows) rowsByKey.set(key, (rows = []));
    rows.push(i);
  }
  const out = new Map<string, Int32Array | null>();
  if (rowsByKey.size === 1) out.set(rowsByKey.keys().next().value as string, null);
  else for (const [k, rows] of rowsByKey) out.set(k, Int32Array.from(rows));
  return out;
}

function takeBatch(batch: RecordBatch, rows: Int32Array): RecordBatch {
  const children = batch.data.children.map((c) => takeData(c, rows));
  return new RecordBatch(
    batch.schema,
    makeData({
      type: new Struct(batch.schema.fields),
      length: rows.length,
      nullCount: 0,
      children,
    }),
  );
}
