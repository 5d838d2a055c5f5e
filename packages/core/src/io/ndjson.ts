import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import {
  type DataType,
  Field,
  List,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Type,
} from "apache-arrow";
import { abortError, type ExecContext } from "../exec/context.js";
import type { ScanRequest, ScanSource } from "../plan/source.js";
import { type TypeLike, toDataType, typeName } from "../types/dtype.js";
import { type ColumnBuilder, makeBuilder } from "./builders.js";
import { checkReadable, FileError, readBytesSync } from "./files.js";
import { parseJsonExact } from "./json-integers.js";
import { selectFields } from "./schema-utils.js";
import { INVALID, parseInteger, textParser } from "./text-values.js";

/** Options of the text readers (NDJSON; CSV adds its own). */
export interface JsonReadOptions {
  /** Types for some or all columns (others are inferred): { age: "int32", when: "timestamp[ms]" }. */
  schema?: Record<string, TypeLike>;
  /** Records sampled to infer types (default 1000). */
  inferRows?: number;
  /** Read only these columns. */
  columns?: string[];
  /** Rows per batch (default 65,536). */
  batchSize?: number;
}

const CHUNK = 1 << 20;

/** Newline-delimited JSON: one object per line; blank lines are skipped. */
export class NdjsonSource implements ScanSource {
  readonly kind = "ndjson";
  readonly usesFilter = false;
  readonly schema: Schema;
  private readonly batchSize: number;

  constructor(
    readonly path: string,
    options: JsonReadOptions = {},
  ) {
    checkReadable("NDJSON", path);
    this.batchSize = options.batchSize ?? 65_536;
    const full = this.inferSchema(options);
    this.schema = options.columns ? selectFields("NDJSON", path, full, options.columns) : full;
  }

  describe(request?: ScanRequest): string {
    let out = `ndjson ${path.basename(this.path)}`;
    if (request?.columns) out += ` columns=[${request.columns.join(", ")}]`;
    if (request?.limit !== undefined) out += ` limit=${request.limit}`;
    return out;
  }

  private inferSchema(options: JsonReadOptions): Schema {
    const limit = options.inferRows ?? 1000;
    const sample: Record<string, unknown>[] = [];
    const fd = fs.openSync(this.path, "r");
    try {
      const decoder = new TextDecoder();
      let text = "";
      let offset = 0;
      let line = 1;
      let eof = false;
      while (sample.length < limit && !eof) {
        const bytes = readBytesSync(fd, offset, CHUNK);
        offset += bytes.length;
        eof = bytes.length < CHUNK;
        text += decoder.decode(bytes, { stream: !eof });
        let start = 0;
        while (sample.length < limit) {
          let nl = text.indexOf("\n", start);
          if (nl < 0) {
            if (!eof) break;
            nl = text.length;
          }
          const obj = this.parseLine(text.slice(start, nl), line++);
          if (obj) sample.push(obj);
          start = nl + 1;
          if (start > text.length) break;
        }
        text = text.slice(start);
      }
    } finally {
      fs.closeSync(fd);
    }
    const given = options.schema ?? {};
    const names: string[] = [];
    const seen = new Set<string>();
    for (const row of sample) {
      for (const k of Object.keys(row)) {
        if (!seen.has(k)) {
          seen.add(k);
          names.push(k);
        }
      }
    }
    for (const k of Object.keys(given)) if (!seen.has(k)) names.push(k);
    if (names.length === 0)
      throw new FileError(
        "NDJSON",
        this.path,
        "has no fields in its first lines; pass { schema } to name them.",
      );
    const fields = names.map((name) => {
      const t = given[name];
      const type =
        t !== undefined
          ? toDataType(t)
          : inferJson(
              this.path,
              name,
              sample.map((r) => r[name]),
            );
      makeBuilder(type);
      return new Field(name, type, true);
    });
    return new Schema(fields);
  }

  private parseLine(text: string, line: number): Record<string, unknown> | null {
    const t = text.endsWith("\r") ? text.slice(0, -1) : text;
    if (t.trim() === "") return null;
    let obj: unknown;
    try {
      obj = parseJsonExact(t);
    } catch (err) {
      throw new FileError(
        "NDJSON",
        this.path,
        `line ${line}: invalid JSON (${(err as Error).message}). Each line must hold one JSON object.`,
      );
    }
    if (obj === null || typeof obj !== "object" || Array.isArray(obj)) {
      throw new FileError(
        "NDJSON",
        this.path,
        `line ${line}: expected a JSON object, got ${Array.isArray(obj) ? "an array" : JSON.stringify(obj)?.slice(0, 50)}.`,
      );
    }
    return obj as Record<string, unknown>;
  }

  async *scan(request: ScanRequest, ctx: ExecContext): AsyncGenerator<RecordBatch> {
    const out = request.columns
      ? selectFields("NDJSON", this.path, this.schema, request.columns)
      : this.schema;
    const builders: ColumnBuilder[] = out.fields.map((f) => makeBuilder(f.type));
    const converters = out.fields.map((f) => jsonConverter(f.type));
    let remaining = request.limit ?? Number.POSITIVE_INFINITY;
    if (remaining <= 0) return;
    let rows = 0;
    const flush = (): RecordBatch => {
      const children = builders.map((b) => b.finish());
      const batch = new RecordBatch(
        out,
        makeData({ type: new Struct(out.fields), length: rows, nullCount: 0, children }),
      );
      rows = 0;
      return batch;
    };
    const fh = await fsp.open(this.path, "r");
    try {
      const decoder = new TextDecoder();
      const buf = new Uint8Array(CHUNK);
      let text = "";
      let line = 1;
      let eof = false;
      while (!eof) {
        if (ctx.signal.aborted) throw abortError(ctx.signal);
        const { bytesRead } = await fh.read(buf, 0, CHUNK, null);
        eof = bytesRead === 0;
        text += decoder.decode(buf.subarray(0, bytesRead), { stream: !eof });
        let start = 0;
        while (true) {
          let nl = text.indexOf("\n", start);
          if (nl < 0) {
            if (!eof || start >= text.length) break;
            nl = text.length;
          }
          const obj = this.parseLine(text.slice(start, nl), line);
          start = nl + 1;
          if (obj) {
            for (let c = 0; c < builders.length; c++) {
              const name = out.fields[c]!.name;
              const raw = obj[name];
              if (raw === null || raw === undefined) builders[c]!.appendNull();
              else {
                const v = converters[c]!(raw);
                if (v === INVALID) {
                  throw new FileError(
                    "NDJSON",
                    this.path,
                    `line ${line}, column "${name}": cannot read ${JSON.stringify(raw)?.slice(0, 100)} as ${typeName(out.fields[c]!.type)}. Pass { schema: { "${name}": "<type>" } } with the right type.`,
                  );
                }
                builders[c]!.append(v);
              }
            }
            rows++;
            if (--remaining <= 0) {
              yield flush();
              return;
            }
            if (rows >= this.batchSize) yield flush();
          }
          line++;
        }
        text = text.slice(start);
      }
      if (rows > 0) yield flush();
    } finally {
      await fh.close();
    }
  }
}

/** Infers a column type from sampled JSON values (nulls ignored); throws on mixed kinds. */
function inferJson(file: string, name: string, values: unknown[]): DataType {
  const present = values.filter((v) => v !== null && v !== undefined);
  if (present.length === 0) return toDataType("utf8");
  // Long integers arrive as bigints (exact); they are numbers like the others.
  const kinds = new Set(
    present.map((v) => (Array.isArray(v) ? "array" : typeof v === "bigint" ? "number" : typeof v)),
  );
  if (kinds.size > 1) {
    throw new FileError(
      "NDJSON",
      file,
      `field "${name}" holds mixed kinds (${[...kinds].join(", ")}) in the first lines. Pass { schema: { "${name}": "utf8" } } or another type.`,
    );
  }
  const kind = [...kinds][0];
  switch (kind) {
    case "number":
      return present.every((v) => typeof v === "bigint" || Number.isInteger(v))
        ? toDataType("int64")
        : toDataType("float64");
    case "boolean":
      return toDataType("bool");
    case "string":
      return toDataType("utf8");
    case "array":
      return new List(
        new Field("item", inferJson(file, `${name}[]`, (present as unknown[][]).flat()), true),
      );
    case "object": {
      const keys: string[] = [];
      for (const o of present as Record<string, unknown>[])
        for (const k of Object.keys(o)) if (!keys.includes(k)) keys.push(k);
      const rows = present as Record<string, unknown>[];
      return new Struct(
        keys.map(
          (k) =>
            new Field(
              k,
              inferJson(
                file,
                `${name}.${k}`,
                rows.map((r) => r[k]),
              ),
              true,
            ),
        ),
      );
    }
    default:
      throw new FileError(
        "NDJSON",
        file,
        `field "${name}" has values of kind ${kind}, which cannot be read.`,
      );
  }
}

type Converter = (v: unknown) => unknown;

/** Checks/converts one JSON value to what the builder for `type` appends (INVALID if not). */
function jsonConverter(type: DataType): Converter {
  const fromText = textParser(type);
  switch (type.typeId) {
    case Type.Int:
      return (v) => {
        if (typeof v === "number") return Number.isInteger(v) ? fromText(String(v)) : INVALID;
        if (typeof v === "bigint") return fromText(String(v));
        // Int64 values beyond 2^53 are written as strings so they survive JSON.
        return typeof v === "string"
          ? parseInteger(v) === INVALID
            ? INVALID
            : fromText(v)
          : INVALID;
      };
    case Type.Float:
      return (v) =>
        typeof v === "number"
          ? v
          : typeof v === "bigint"
            ? Number(v)
            : typeof v === "string"
              ? fromText(v)
              : INVALID;
    case Type.Bool:
      return (v) => (typeof v === "boolean" ? v : INVALID);
    case Type.Utf8:
      return (v) => (typeof v === "string" ? v : INVALID);
    case Type.Date:
    case Type.Timestamp:
      // Strings are ISO dates/times; numbers are taken as already in the column's unit.
      return (v) =>
        (typeof v === "string"
          ? fromText(v)
          : (typeof v === "number" && Number.isInteger(v)) || typeof v === "bigint"
            ? v
            : INVALID) as unknown;
    case Type.List: {
      const item = jsonConverter((type as List).children[0]!.type);
      return (v) => {
        if (!Array.isArray(v)) return INVALID;
        const out = new Array(v.length);
        for (let i = 0; i < v.length; i++) {
          const x = v[i];
          if (x === null || x === undefined) out[i] = null;
          else if ((out[i] = item(x)) === INVALID) return INVALID;
        }
        return out;
      };
    }
    case Type.Struct: {
      const kids = (type as Struct).children.map((f: Field) => ({
        name: f.name,
        conv: jsonConverter(f.type),
      }));
      return (v) => {
        if (v === null || typeof v !== "object" || Array.isArray(v)) return INVALID;
        const src = v as Record<string, unknown>;
        const out: Record<string, unknown> = {};
        for (const k of kids) {
          const x = src[k.name];
          if (x === null || x === undefined) continue;
          if ((out[k.name] = k.conv(x)) === INVALID) return INVALID;
        }
        return out;
      };
    }
    default:
      return () => INVALID;
  }
}
