import fs from "node:fs";
import {
  Binary,
  Bool,
  type DataType,
  DateDay,
  Decimal,
  Field,
  FixedSizeBinary,
  Float16,
  Float32,
  Float64,
  Int8,
  Int16,
  Int32,
  Int64,
  IntervalMonthDayNano,
  List,
  Map_,
  Null,
  RecordBatchReader,
  Schema,
  Struct,
  Time,
  Timestamp,
  TimeUnit,
  Type,
  Uint8,
  Uint16,
  Uint32,
  Uint64,
  Utf8,
} from "apache-arrow";
import { type FileMetaData, parquetMetadata, type SchemaElement } from "hyparquet";
import { FileError, readBytesSync } from "./files.js";
import { hasDictionary, plainArrowType } from "./parquet-arrow-types.js";

/** What a scan needs to know about one Parquet file, read synchronously from its footer. */
export interface ParquetFooter {
  path: string;
  size: number;
  metadata: FileMetaData;
  schema: Schema;
  /**
   * The file embeds an Arrow schema parquet-wasm cannot decode to (a dictionary, or a type
   * apache-arrow cannot read): parquet-wasm is given the file without it and decodes from
   * the Parquet types alone.
   */
  hideArrowSchema: boolean;
}

// Statistics keep their raw physical values (timestamps as bigint in the column's unit, dates
// as day numbers) so pruning compares like with like.
const RAW_PARSERS = {
  timestampFromMilliseconds: (v: bigint) => v,
  timestampFromMicroseconds: (v: bigint) => v,
  timestampFromNanoseconds: (v: bigint) => v,
  dateFromDays: (d: number) => d,
};

/** Reads and parses the footer of a Parquet file with blocking reads (plan-build time). */
export function readParquetFooter(file: string): ParquetFooter {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch (err) {
    throw new FileError(
      "Parquet",
      file,
      `cannot be opened (${(err as NodeJS.ErrnoException).code ?? err}).`,
      { cause: err },
    );
  }
  try {
    const size = fs.fstatSync(fd).size;
    const corrupt = (why: string): FileError =>
      new FileError(
        "Parquet",
        file,
        `is not a valid Parquet file (${why}). Is it truncated or another format?`,
      );
    if (size < 12) throw corrupt(`only ${size} bytes`);
    const tail = readBytesSync(fd, size - 8, 8);
    const view = new DataView(tail.buffer, tail.byteOffset, 8);
    if (view.getUint32(4, true) !== 0x31524150) throw corrupt("no PAR1 magic at the end");
    const metaLength = view.getUint32(0, true);
    if (metaLength + 12 > size)
      throw corrupt(`footer length ${metaLength} exceeds the file size ${size}`);
    const footer = readBytesSync(fd, size - 8 - metaLength, metaLength + 8);
    let metadata: FileMetaData;
    try {
      metadata = parquetMetadata(footer, { parsers: RAW_PARSERS, geoparquet: false });
    } catch (err) {
      throw corrupt(`unreadable footer: ${(err as Error).message}`);
    }
    checkChunksInside(file, metadata, size - 8 - metaLength);
    const embedded = arrowSchemaFromMetadata(metadata);
    const schema = embedded.schema ?? parquetToArrowSchema(file, metadata.schema);
    return { path: file, size, metadata, schema, hideArrowSchema: embedded.unusable };
  } finally {
    fs.closeSync(fd);
  }
}

/** Every column chunk must lie before the footer, else the file was cut or spliced. */
function checkChunksInside(file: string, metadata: FileMetaData, dataEnd: number): void {
  metadata.row_groups.forEach((rg, g) => {
    for (const chunk of rg.columns) {
      const md = chunk.meta_data;
      if (!md) continue;
      const start = Number(md.dictionary_page_offset ?? md.data_page_offset);
      const end = Math.max(start, Number(md.data_page_offset)) + Number(md.total_compressed_size);
      if (
        start < 4 ||
        Math.min(start, Number(md.data_page_offset)) + Number(md.total_compressed_size) > dataEnd ||
        end < start
      ) {
        throw new FileError(
          "Parquet",
          file,
          `is truncated or corrupt: row group ${g}, column "${md.path_in_schema.join(".")}" lies outside the file's data (bytes ${start}..${end}, data ends at ${dataEnd}).`,
        );
      }
    }
  });
}

/** The key under which Arrow-based writers embed the Arrow schema in a Parquet footer. */
export const ARROW_SCHEMA_KEY = "ARROW:schema";

/**
 * Writers built on Arrow (arrow-rs, pyarrow, polars) store the Arrow schema in the footer as
 * base64 IPC. parquet-wasm honours it when decoding (e.g. LargeUtf8, time zones, durations),
 * so we use it too when apache-arrow can read it, with its types as deft reads them (views
 * as plain types, dictionaries as their values, see plainArrowType); otherwise the Parquet
 * schema is mapped by hand below. `unusable`: parquet-wasm must not see the embedded schema
 * (it holds a dictionary, on which parquet-wasm traps, or apache-arrow cannot read it).
 */
function arrowSchemaFromMetadata(metadata: FileMetaData): {
  schema?: Schema;
  unusable: boolean;
} {
  const entry = metadata.key_value_metadata?.find((kv) => kv.key === ARROW_SCHEMA_KEY);
  if (!entry?.value) return { unusable: false };
  try {
    const msg = Buffer.from(entry.value, "base64");
    // The value is one encapsulated IPC message; add an end-of-stream marker and read it.
    const bytes = new Uint8Array(msg.length + 8);
    bytes.set(msg, 0);
    bytes.set([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0], msg.length);
    const reader = RecordBatchReader.from(bytes);
    reader.open();
    const fields = reader.schema.fields;
    if (fields.length === 0) return { unusable: true };
    const unusable = fields.some((f) => hasDictionary(f.type));
    const plain = fields.map((f) => {
      // Parquet's INTERVAL reads as MONTH_DAY_NANO whatever Arrow unit the writer had (an
      // arrow-rs DAY_TIME column is stored as the same 12 bytes): one type for the decoder.
      const type =
        f.type.typeId === Type.Interval ? new IntervalMonthDayNano() : plainArrowType(f.type);
      return type === f.type ? f : new Field(f.name, type, f.nullable, f.metadata);
    });
    return { schema: new Schema(plain), unusable };
  } catch {
    return { unusable: true };
  }
}

interface Cursor {
  i: number;
}

/** Maps a flattened Parquet schema (depth-first SchemaElements) to an Arrow schema. */
export function parquetToArrowSchema(file: string, elements: SchemaElement[]): Schema {
  const root = elements[0];
  if (!root) throw new FileError("Parquet", file, "has an empty schema.");
  const cursor: Cursor = { i: 1 };
  const fields: Field[] = [];
  for (let c = 0; c < (root.num_children ?? 0); c++) fields.push(readField(file, elements, cursor));
  return new Schema(fields);
}

function readField(file: string, els: SchemaElement[], cur: Cursor): Field {
  const el = els[cur.i++];
  if (!el) throw new FileError("Parquet", file, "has a truncated schema.");
  const nullable = el.repetition_type !== "REPEATED" && el.repetition_type !== "REQUIRED";
  if (isPrimitive(el)) {
    const type = primitiveType(file, el);
    // A repeated field outside a LIST group is the legacy encoding of a list.
    if (el.repetition_type === "REPEATED")
      return new Field(el.name, new List(new Field(el.name, type, false)), false);
    return new Field(el.name, type, nullable, extensionOf(el));
  }
  const annotation = el.logical_type?.type ?? el.converted_type;
  if (annotation === "LIST")
    return new Field(el.name, new List(readListElement(file, els, cur, el.name)), nullable);
  if (annotation === "MAP" || annotation === "MAP_KEY_VALUE") {
    const entries = els[cur.i++]!;
    const kv = readChildren(file, els, cur, entries.num_children ?? 0);
    return new Field(
      el.name,
      new Map_(new Field(entries.name, new Struct(kv as Field<never>[]), false)),
      nullable,
    );
  }
  const struct = new Struct(readChildren(file, els, cur, el.num_children ?? 0));
  if (el.repetition_type === "REPEATED")
    return new Field(el.name, new List(new Field(el.name, struct, false)), false);
  return new Field(el.name, struct, nullable);
}

/**
 * Parquet logical types that Arrow represents as an extension over a storage type: the
 * canonical extension's name goes in the field's metadata (the values are the storage's).
 */
function extensionOf(el: SchemaElement): Map<string, string> | undefined {
  const lt = el.logical_type?.type;
  if (lt === "UUID") return new Map([["ARROW:extension:name", "arrow.uuid"]]);
  if (lt === "JSON" || el.converted_type === "JSON")
    return new Map([["ARROW:extension:name", "arrow.json"]]);
  return undefined;
}

const isPrimitive = (el: SchemaElement): boolean =>
  el.type !== undefined || el.num_children === undefined;

function readChildren(file: string, els: SchemaElement[], cur: Cursor, n: number): Field[] {
  const out: Field[] = [];
  for (let c = 0; c < n; c++) out.push(readField(file, els, cur));
  return out;
}

/** The element of a LIST group, following the Parquet spec's backward-compatibility rules. */
function readListElement(file: string, els: SchemaElement[], cur: Cursor, listName: string): Field {
  const rep = els[cur.i];
  if (!rep)
    throw new FileError("Parquet", file, `list "${listName}" has no element in its schema.`);
  if (isPrimitive(rep)) {
    cur.i++;
    return new Field(rep.name, primitiveType(file, rep), false);
  }
  const legacy = rep.name === "array" || rep.name === `${listName}_tuple`;
  if (rep.num_children === 1 && !legacy) {
    cur.i++;
    return readField(file, els, cur);
  }
  cur.i++;
  return new Field(
    rep.name,
    new Struct(readChildren(file, els, cur, rep.num_children ?? 0)),
    false,
  );
}

const UNIT: Record<string, TimeUnit> = {
  MILLIS: TimeUnit.MILLISECOND,
  MICROS: TimeUnit.MICROSECOND,
  NANOS: TimeUnit.NANOSECOND,
};

/** The Arrow type arrow-rs (parquet-wasm) decodes a primitive Parquet column to. */
export function primitiveType(file: string, el: SchemaElement): DataType {
  const lt = el.logical_type;
  const ct = el.converted_type;
  switch (el.type) {
    case "BOOLEAN":
      return new Bool();
    case "INT32":
      if (lt?.type === "INTEGER") return intType(lt.bitWidth, lt.isSigned);
      if (lt?.type === "DATE" || ct === "DATE") return new DateDay();
      if (lt?.type === "DECIMAL" || ct === "DECIMAL") return decimal(el);
      if (lt?.type === "TIME" || ct === "TIME_MILLIS") return new Time(TimeUnit.MILLISECOND, 32);
      if (ct?.startsWith("UINT_")) return intType(Number(ct.slice(5)), false);
      if (ct?.startsWith("INT_")) return intType(Number(ct.slice(4)), true);
      if (lt?.type === "NULL") return new Null();
      return new Int32();
    case "INT64":
      if (lt?.type === "INTEGER") return intType(lt.bitWidth, lt.isSigned);
      if (lt?.type === "TIMESTAMP")
        return new Timestamp(UNIT[lt.unit]!, lt.isAdjustedToUTC ? "UTC" : null);
      if (ct === "TIMESTAMP_MILLIS") return new Timestamp(TimeUnit.MILLISECOND, "UTC");
      if (ct === "TIMESTAMP_MICROS") return new Timestamp(TimeUnit.MICROSECOND, "UTC");
      if (lt?.type === "TIME") return new Time(UNIT[lt.unit]!, 64);
      if (ct === "TIME_MICROS") return new Time(TimeUnit.MICROSECOND, 64);
      if (lt?.type === "DECIMAL" || ct === "DECIMAL") return decimal(el);
      if (ct === "UINT_64") return new Uint64();
      return new Int64();
    case "INT96":
      return new Timestamp(TimeUnit.NANOSECOND);
    case "FLOAT":
      return new Float32();
    case "DOUBLE":
      return new Float64();
    case "BYTE_ARRAY":
      if (lt?.type === "DECIMAL" || ct === "DECIMAL") return decimal(el);
      if (lt?.type === "STRING" || lt?.type === "ENUM" || lt?.type === "JSON") return new Utf8();
      if (ct === "UTF8" || ct === "ENUM" || ct === "JSON") return new Utf8();
      return new Binary();
    case "FIXED_LEN_BYTE_ARRAY":
      if (lt?.type === "DECIMAL" || ct === "DECIMAL") return decimal(el);
      if (lt?.type === "FLOAT16") return new Float16();
      // INTERVAL (months, days, milliseconds) as Arrow's MONTH_DAY_NANO: nothing is lost.
      if (ct === "INTERVAL" && el.type_length === 12) return new IntervalMonthDayNano();
      return new FixedSizeBinary(el.type_length ?? 0);
    default:
      throw new FileError(
        "Parquet",
        file,
        `column "${el.name}" has an unsupported physical type ${el.type}.`,
      );
  }
}

function intType(bits: number, signed: boolean): DataType {
  switch (bits) {
    case 8:
      return signed ? new Int8() : new Uint8();
    case 16:
      return signed ? new Int16() : new Uint16();
    case 32:
      return signed ? new Int32() : new Uint32();
    default:
      return signed ? new Int64() : new Uint64();
  }
}

/** Decimals decode to Arrow Decimal128 (precision <= 38) or Decimal256, as arrow-rs does. */
function decimal(el: SchemaElement): DataType {
  const lt = el.logical_type;
  const precision = lt?.type === "DECIMAL" ? lt.precision : (el.precision ?? 38);
  const scale = lt?.type === "DECIMAL" ? lt.scale : (el.scale ?? 0);
  return new Decimal(scale, precision, precision > 38 ? 256 : 128);
}
