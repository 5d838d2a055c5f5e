import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import {
  type DataType,
  Field,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Time,
  Timestamp,
  TimeUnit,
} from "apache-arrow";
import { abortError, type ExecContext } from "../exec/context.js";
import type { ScanRequest, ScanSource } from "../plan/source.js";
import { toDataType, typeName } from "../types/dtype.js";
import { type ColumnBuilder, makeBuilder } from "./builders.js";
import { CsvSyntaxError, CsvTokenizer } from "./csv-tokenizer.js";
import { checkReadable, FileError, readBytesSync } from "./files.js";
import type { JsonReadOptions } from "./ndjson.js";
import { selectFields } from "./schema-utils.js";
import {
  INVALID,
  parseBool,
  parseDate,
  parseFloatText,
  parseInteger,
  parseTime,
  parseTimestampParts,
  textParser,
} from "./text-values.js";

export interface CsvReadOptions extends JsonReadOptions {
  /** Field separator, one character (default ","). */
  delimiter?: string;
  /** Quote character (default '"'). */
  quote?: string;
  /** Whether the first record names the columns (default true; else column_1, column_2, …). */
  header?: boolean;
  /** Field texts read as null (default [""]). */
  nullValues?: string[];
}

const CHUNK = 1 << 20;

/**
 * A CSV file. The header and a sample are read (blocking) when the source is built, so the
 * schema is known at once; the scan streams the file in 1 MiB chunks and builds columns
 * directly into typed arrays and offsets + bytes.
 */
export class CsvSource implements ScanSource {
  readonly kind = "csv";
  readonly usesFilter = false;
  readonly schema: Schema;
  private readonly delim: number;
  private readonly quote: number;
  private readonly nulls: Set<string>;
  private readonly header: boolean;
  private readonly batchSize: number;

  constructor(
    readonly path: string,
    options: CsvReadOptions = {},
  ) {
    checkReadable("CSV", path);
    const delimiter = options.delimiter ?? ",";
    const quote = options.quote ?? '"';
    if (delimiter.length !== 1 || quote.length !== 1)
      throw new TypeError(`readCsv: delimiter and quote must be one character each.`);
    this.delim = delimiter.charCodeAt(0);
    this.quote = quote.charCodeAt(0);
    this.nulls = new Set(options.nullValues ?? [""]);
    this.header = options.header ?? true;
    this.batchSize = options.batchSize ?? 65_536;
    const full = this.inferSchema(options);
    this.schema = options.columns ? selectFields("CSV", path, full, options.columns) : full;
  }

  describe(request?: ScanRequest): string {
    let out = `csv ${path.basename(this.path)}`;
    if (request?.columns) out += ` columns=[${request.columns.join(", ")}]`;
    if (request?.limit !== undefined) out += ` limit=${request.limit}`;
    return out;
  }

  /** All columns of the file (the schema may be a projection of them). */
  private fileColumns: string[] = [];

  private inferSchema(options: CsvReadOptions): Schema {
    const fd = fs.openSync(this.path, "r");
    const sample: string[][] = [];
    const limit = (options.inferRows ?? 1000) + (this.header ? 1 : 0);
    try {
      const tok = new CsvTokenizer(this.delim, this.quote);
      const decoder = new TextDecoder();
      let text = "";
      let offset = 0;
      let eof = false;
      while (sample.length < limit && !eof) {
        const bytes = readBytesSync(fd, offset, CHUNK);
        offset += bytes.length;
        eof = bytes.length < CHUNK;
        text += decoder.decode(bytes, { stream: !eof });
        const pos = this.tokenizeFrom(tok, text, 0, eof, () => {
          sample.push(tok.fields.slice(0, tok.count));
          return sample.length < limit;
        });
        text = text.slice(pos);
      }
    } finally {
      fs.closeSync(fd);
    }
    if (sample.length === 0)
      throw new FileError(
        "CSV",
        this.path,
        "is empty: it has no header line. Pass { header: false } for a file without one, or check the path.",
      );
    const width = sample[0]!.length;
    const names = this.header
      ? sample.shift()!.map((n, i) => n.trim() || `column_${i + 1}`)
      : Array.from({ length: width }, (_, i) => `column_${i + 1}`);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup)
      throw new FileError(
        "CSV",
        this.path,
        `has two columns named "${dup}" in its header. Rename one, or pass { header: false }.`,
      );
    this.fileColumns = names;
    const given = options.schema ?? {};
    for (const name of Object.keys(given)) {
      if (!names.includes(name))
        throw new FileError(
          "CSV",
          this.path,
          `schema names column "${name}", which the header does not have. Columns: ${names.join(", ")}.`,
        );
    }
    const fields = names.map((name, c) => {
      const t = given[name];
      const type =
        t !== undefined
          ? toDataType(t)
          : inferColumn(
              sample
                .map((r) => r[c])
                .filter((v): v is string => v !== undefined && !this.nulls.has(v)),
            );
      makeBuilder(type); // throws early for types text cannot hold
      return new Field(name, type, true);
    });
    return new Schema(fields);
  }

  async *scan(request: ScanRequest, ctx: ExecContext): AsyncGenerator<RecordBatch> {
    const out = request.columns
      ? selectFields("CSV", this.path, this.schema, request.columns)
      : this.schema;
    const fieldIndex = out.fields.map((f) => this.fileColumns.indexOf(f.name));
    const builders: ColumnBuilder[] = out.fields.map((f) => makeBuilder(f.type));
    const parsers = out.fields.map((f) => textParser(f.type));
    const width = this.fileColumns.length;
    let remaining = request.limit ?? Number.POSITIVE_INFINITY;
    if (remaining <= 0) return;
    const tok = new CsvTokenizer(this.delim, this.quote);
    let skipHeader = this.header;
    let rows = 0;
    const onRecord = (line: number): boolean => {
      if (skipHeader) {
        skipHeader = false;
        return true;
      }
      if (tok.count !== width) {
        throw new FileError(
          "CSV",
          this.path,
          `line ${line} has ${tok.count} fields but the header has ${width}. Check the delimiter ("${String.fromCharCode(this.delim)}") and the quoting on that line.`,
        );
      }
      for (let c = 0; c < builders.length; c++) {
        const k = fieldIndex[c]!;
        const text = tok.fields[k]!;
        const b = builders[c]!;
        if (!tok.quoted[k] && this.nulls.has(text)) {
          b.appendNull();
          continue;
        }
        const v = parsers[c]!(text);
        if (v === INVALID) {
          const f = out.fields[c]!;
          throw new FileError(
            "CSV",
            this.path,
            `line ${line}, column "${f.name}": cannot read ${JSON.stringify(text.slice(0, 100))} as ${typeName(f.type)}. Pass { schema: { "${f.name}": "utf8" } } (or the right type), or add the text to nullValues.`,
          );
        }
        b.append(v);
      }
      rows++;
      remaining--;
      return rows < this.batchSize && remaining > 0;
    };
    const fh = await fsp.open(this.path, "r");
    try {
      const decoder = new TextDecoder();
      const buf = new Uint8Array(CHUNK);
      let text = "";
      let eof = false;
      while (!eof) {
        if (ctx.signal.aborted) throw abortError(ctx.signal);
        const { bytesRead } = await fh.read(buf, 0, CHUNK, null);
        eof = bytesRead === 0;
        text += decoder.decode(buf.subarray(0, bytesRead), { stream: !eof });
        let pos = 0;
        while (true) {
          pos = this.tokenizeFrom(tok, text, pos, eof, onRecord);
          if (rows >= this.batchSize || (remaining <= 0 && rows > 0)) {
            yield this.flush(out, builders, rows);
            rows = 0;
            if (remaining <= 0) return;
            continue;
          }
          break;
        }
        text = text.slice(pos);
      }
      if (rows > 0) yield this.flush(out, builders, rows);
    } finally {
      await fh.close();
    }
  }

  private tokenizeFrom(
    tok: CsvTokenizer,
    text: string,
    pos: number,
    final: boolean,
    onRecord: (line: number) => boolean,
  ): number {
    try {
      return tok.parse(text, pos, final, onRecord);
    } catch (err) {
      if (err instanceof CsvSyntaxError)
        throw new FileError(
          "CSV",
          this.path,
          `line ${err.line}: ${err.detail}. Check the quote character.`,
        );
      throw err;
    }
  }

  private flush(schema: Schema, builders: ColumnBuilder[], rows: number): RecordBatch {
    const children = builders.map((b) => b.finish());
    return new RecordBatch(
      schema,
      makeData({ type: new Struct(schema.fields), length: rows, nullCount: 0, children }),
    );
  }
}

/**
 * The narrowest type that reads every sampled value: bool, int64, float64, date, time64[us],
 * timestamp, utf8, as DuckDB's sniffer picks them: digits with a leading zero ("02134", a zip
 * code) or a leading "+" stay text; integers may have spaces on either side, floats only
 * before; nan is a float but inf and infinity stay text.
 */
export function inferColumn(values: string[]): DataType {
  if (values.length === 0) return toDataType("utf8");
  if (values.every((v) => parseBool(v) !== INVALID)) return toDataType("bool");
  if (values.some((v) => /^\s*(0\d|\+)/.test(v))) return temporalOrText(values);
  if (
    values.every((v) => typeof parseInteger(v) === "number" || typeof parseInteger(v) === "bigint")
  ) {
    return values.every((v) => {
      const n = parseInteger(v);
      return typeof n === "number" || (n !== INVALID && n <= 9223372036854775807n);
    })
      ? toDataType("int64")
      : toDataType("float64");
  }
  if (values.every(floatSample)) return toDataType("float64");
  return temporalOrText(values);
}

/** A sampled value that makes a float column (DuckDB's sniffer reads inf as text). */
function floatSample(v: string): boolean {
  return !/\s$/.test(v) && !/inf/i.test(v) && parseFloatText(v) !== INVALID;
}

function temporalOrText(values: string[]): DataType {
  if (values.every((v) => parseDate(v) !== INVALID)) return toDataType("date");
  // Times of day, as DuckDB's TIME: microseconds (a finer fraction stays text rather than
  // losing digits).
  if (
    values.every((v) => {
      const t = parseTime(v);
      return t !== INVALID && t.fractionDigits <= 6;
    })
  ) {
    return new Time(TimeUnit.MICROSECOND, 64);
  }
  let digits = 0;
  let zoned = false;
  const ok = values.every((v) => {
    const p = parseTimestampParts(v);
    if (p === INVALID) return false;
    digits = Math.max(digits, p.fractionDigits);
    zoned ||= p.zoned;
    return true;
  });
  if (ok)
    return new Timestamp(
      digits > 6 ? TimeUnit.NANOSECOND : digits > 3 ? TimeUnit.MICROSECOND : TimeUnit.MILLISECOND,
      zoned ? "UTC" : null,
    );
  return toDataType("utf8");
}
