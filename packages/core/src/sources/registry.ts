import fs from "node:fs";
import path from "node:path";
import { type RecordBatch, RecordBatchStreamWriter, tableFromIPC } from "apache-arrow";
import { IpcSource } from "../io/ipc.js";
import { openCsvFiles, openJsonFiles, openParquetFiles } from "../io/open-files.js";
import {
  arrayAt,
  badPlan,
  decodeSchema,
  encodeSchema,
  fromBase64,
  type Json,
  type JsonObject,
  numberAt,
  objectAt,
  stringAt,
  toBase64,
} from "../plan/json/values.js";
import { PlanError } from "../plan/resolve.js";
import type { ScanSource, SourceDescriptor, SourceFormatName } from "../plan/source.js";
import { typeName } from "../types/dtype.js";
import { BroadcastSource } from "./broadcast.js";
import { MemorySource } from "./memory.js";
import { narrowLargeTypes } from "./narrow.js";
import { RangeSource } from "./range.js";
import { ShuffleSource } from "./shuffle.js";

/** The most Arrow IPC bytes an in-memory table may take inside a plan's JSON. */
export const MAX_INLINE_BYTES = 16 * 1024 * 1024;
const INLINE_LIMIT_TEXT = "16 MiB";

type Of<F extends SourceFormatName> = Extract<SourceDescriptor, { format: F }>;

/** How one format opens its descriptor and writes it as JSON (and reads it back). */
interface SourceFormat<D extends SourceDescriptor> {
  open(desc: D): ScanSource;
  /** The descriptor's `options` as JSON; throws a PlanError when they cannot travel. */
  encodeOptions(desc: D): JsonObject;
  decode(paths: string[], options: JsonObject, where: string): D;
}

/** Reader options are plain data except column types, which may be DataType objects. */
function textOptions(options: object): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(options)) {
    if (v === undefined) continue;
    if (k === "schema" && v && typeof v === "object") {
      const types: JsonObject = {};
      for (const [col, t] of Object.entries(v as Record<string, unknown>))
        types[col] = typeof t === "string" ? t : typeName(t as never);
      out[k] = types;
    } else out[k] = v as Json;
  }
  return out;
}

const somePaths = (paths: string[], where: string): string[] => {
  if (paths.length === 0) throw badPlan(where, "expected at least one path, got none");
  return paths;
};

const onePath = (paths: string[], where: string): [string] => {
  if (paths.length !== 1) throw badPlan(where, `expected one path, got ${paths.length}`);
  return [paths[0]!];
};

/** Batches as Arrow IPC streams of at most 64K rows each, stopping once past the bound. */
function inlineBatches(desc: Of<"memory">): string[] {
  const out: string[] = [];
  let bytes = 0;
  const chunk = 65_536;
  const rows = desc.batches.reduce((n, b) => n + b.numRows, 0);
  const pieces: RecordBatch[] = [];
  for (const b of desc.batches)
    for (let at = 0; at < b.numRows; at += chunk) pieces.push(b.slice(at, at + chunk));
  for (const piece of pieces) {
    const ipc = RecordBatchStreamWriter.writeAll([piece]).toUint8Array(true);
    bytes += ipc.byteLength;
    if (bytes > MAX_INLINE_BYTES) {
      throw new PlanError(
        `an in-memory table of ${rows} rows is more than ${INLINE_LIMIT_TEXT} as Arrow IPC, the most a plan's JSON may carry inline. Write it to a file first (await df.writeParquet("table.parquet")) and build the plan on readParquet("table.parquet").`,
      );
    }
    out.push(toBase64(ipc));
  }
  return out;
}

const FORMATS: { [F in SourceFormatName]: SourceFormat<Of<F>> } = {
  parquet: {
    open: (d) => openParquetFiles(d.paths, d.options),
    encodeOptions: (d) => textOptions(d.options),
    decode: (paths, options) => ({ format: "parquet", paths, options }),
  },
  ipc: {
    open: (d) => new IpcSource(d.paths[0]),
    encodeOptions: () => ({}),
    decode: (paths, _options, where) => ({
      format: "ipc",
      paths: onePath(paths, where),
      options: {},
    }),
  },
  csv: {
    open: (d) => openCsvFiles(d.paths, d.options),
    encodeOptions: (d) => textOptions(d.options),
    decode: (paths, options, where) => ({ format: "csv", paths: somePaths(paths, where), options }),
  },
  ndjson: {
    open: (d) => openJsonFiles(d.paths, d.options),
    encodeOptions: (d) => textOptions(d.options),
    decode: (paths, options, where) => ({
      format: "ndjson",
      paths: somePaths(paths, where),
      options,
    }),
  },
  memory: {
    open: (d) => new MemorySource(d.schema, d.batches),
    encodeOptions: (d) => ({ schema: encodeSchema(d.schema), ipc: inlineBatches(d) }),
    decode: (_paths, options, where) => ({
      format: "memory",
      paths: [],
      options: {},
      schema: decodeSchema(options.schema, `${where}.schema`),
      batches: arrayAt(options.ipc, `${where}.ipc`).flatMap(
        (b, i) => tableFromIPC(fromBase64(stringAt(b, `${where}.ipc[${i}]`))).batches,
      ),
    }),
  },
  range: {
    open: (d) => new RangeSource(d.options.start, d.options.end, d.options.step),
    encodeOptions: (d) => ({ ...d.options }),
    decode: (_paths, o, where) => ({
      format: "range",
      paths: [],
      options: {
        start: numberAt(o.start, `${where}.start`),
        end: numberAt(o.end, `${where}.end`),
        step: numberAt(o.step, `${where}.step`),
      },
    }),
  },
  broadcast: {
    open: (d) => new BroadcastSource(d.schema, d.options.slot),
    encodeOptions: (d) => ({ slot: d.options.slot, schema: encodeSchema(d.schema) }),
    decode: (_paths, o, where) => ({
      format: "broadcast",
      paths: [],
      options: { slot: numberAt(o.slot, `${where}.slot`) },
      schema: decodeSchema(o.schema, `${where}.schema`),
    }),
  },
  shuffle: {
    open: (d) => new ShuffleSource(d.schema, d.paths),
    encodeOptions: (d) => ({ schema: encodeSchema(d.schema) }),
    decode: (paths, o, where) => ({
      format: "shuffle",
      paths,
      options: {},
      schema: decodeSchema(o.schema, `${where}.schema`),
    }),
  },
  object: {
    open: (d) => {
      throw new PlanError(
        `a "${d.options.kind}" source given to DataFrame.fromSource can only be read in the process that made it.`,
      );
    },
    encodeOptions: (d) => {
      throw new PlanError(
        `the "${d.options.kind}" source was given to DataFrame.fromSource as a ScanSource object, which cannot be written as JSON. Build the plan on readParquet/readCsv/readJson/readArrow, DataFrame.range or an in-memory table instead.`,
      );
    },
    decode: (_paths, _o, where) => {
      throw badPlan(where, `an "object" source cannot be read from JSON`);
    },
  },
};

const formatOf = <F extends SourceFormatName>(d: Of<F>): SourceFormat<Of<F>> =>
  FORMATS[d.format as F] as SourceFormat<Of<F>>;

/** The descriptor as JSON: `{ format, paths, options }`, file paths made absolute. */
export function encodeDescriptor(desc: SourceDescriptor): JsonObject {
  return {
    format: desc.format,
    paths: desc.paths.map((p) => path.resolve(p)),
    options: formatOf(desc).encodeOptions(desc),
  };
}

export function decodeDescriptor(j: Json | undefined, where: string): SourceDescriptor {
  const o = objectAt(j, where);
  const format = stringAt(o.format, `${where}.format`);
  if (!Object.hasOwn(FORMATS, format)) {
    throw badPlan(
      `${where}.format`,
      `unknown source format "${format}" (known: ${Object.keys(FORMATS).join(", ")})`,
    );
  }
  const paths = arrayAt(o.paths ?? [], `${where}.paths`).map((p, i) =>
    stringAt(p, `${where}.paths[${i}]`),
  );
  const options = objectAt(o.options ?? {}, `${where}.options`);
  return FORMATS[format as SourceFormatName].decode(paths, options, `${where}.options`);
}

// Opened sources, so a plan's footers and headers are read once: by descriptor object (the
// same node, or its copies made by optimizer rules), and for files also by content of the
// descriptor while the files are unchanged (plans decoded from JSON again and again).
const opened = new WeakMap<SourceDescriptor, ScanSource>();
const byKey = new Map<string, { stamp: string; source: ScanSource }>();
const KEYED_LIMIT = 64;

/** Whether the descriptor names files (its rows are those of the files it lists). */
export const isFileDescriptor = (d: SourceDescriptor): boolean =>
  d.format === "parquet" || d.format === "ipc" || d.format === "csv" || d.format === "ndjson";

function stampOf(paths: readonly string[]): string | undefined {
  try {
    return paths
      .map((p) => {
        const s = fs.statSync(p);
        return `${s.ino}:${s.size}:${s.mtimeMs}`;
      })
      .join("|");
  } catch {
    return undefined;
  }
}

/** Keeps a file source under its content key, for plans decoded again while files stay as they are. */
function remember(desc: SourceDescriptor, source: ScanSource): void {
  if (!isFileDescriptor(desc)) return;
  const stamp = stampOf(desc.paths);
  if (stamp === undefined) return;
  const key = JSON.stringify(encodeDescriptor(desc));
  byKey.delete(key);
  byKey.set(key, { stamp, source });
  if (byKey.size > KEYED_LIMIT) byKey.delete(byKey.keys().next().value as string);
}

function byContent(desc: SourceDescriptor): ScanSource | undefined {
  if (!isFileDescriptor(desc)) return undefined;
  const hit = byKey.get(JSON.stringify(encodeDescriptor(desc)));
  return hit && hit.stamp === stampOf(desc.paths) ? hit.source : undefined;
}

/** The live source of a descriptor (large string types read as utf8/binary), opened once. */
export function openSource(desc: SourceDescriptor): ScanSource {
  let source = opened.get(desc) ?? byContent(desc);
  if (!source) {
    source = narrowLargeTypes(formatOf(desc).open(desc));
    remember(desc, source);
  }
  opened.set(desc, source);
  return source;
}

/** Records the source a reader already opened for its descriptor (so it is not opened again). */
export function adoptSource(desc: SourceDescriptor, source: ScanSource): ScanSource {
  const narrowed = narrowLargeTypes(source);
  opened.set(desc, narrowed);
  remember(desc, narrowed);
  return narrowed;
}
