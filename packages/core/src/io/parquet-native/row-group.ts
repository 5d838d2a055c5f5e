import { isUtf8 } from "node:buffer";
import fs from "node:fs";
import { type RecordBatch, type Schema, Type } from "apache-arrow";
import { takeData } from "../../kernels/take.js";
import { makeBatch } from "../../kernels/take-concat.js";
import type { ParquetFooter } from "../parquet-footer.js";
import { prepareCodec } from "./codecs.js";
import {
  type ChunkInfo,
  type DecodedChunk,
  decodeColumnChunk,
  smallDictionary,
} from "./column-chunk.js";
import type { ColumnOut } from "./column-output.js";
import { gather } from "./dictionary.js";
import { decodeCodes, selectByCodes } from "./dictionary-codes.js";
import { CorruptPageError, corrupt } from "./errors.js";
import { columnData, type NativeColumn, type NativeRowGroup } from "./native-batch.js";
import type { NativeColumnPlan, OutShape } from "./support.js";

function allocate(shape: OutShape, rows: number): ColumnOut {
  switch (shape.kind) {
    case "fixed":
      return { kind: "fixed", words: shape.words, data: new Int32Array(rows * shape.words) };
    case "bool":
      return { kind: "bool", bits: new Uint8Array((rows + 7) >>> 3) };
    case "bytes":
      // The first page sizes the buffer (dictionary pages know their output's size).
      return { kind: "bytes", offsets: new Int32Array(rows + 1), data: new Uint8Array(0) };
    case "flba":
      return { kind: "flba", width: shape.width, data: new Uint8Array(rows * shape.width) };
  }
}

/** Reads `length` bytes at `position` of the open file; a short read means truncation. */
function readRange(fd: number, position: number, length: number): Uint8Array {
  const buf = new Uint8Array(length);
  let got = 0;
  while (got < length) {
    const n = fs.readSync(fd, buf, got, length - got, position + got);
    if (n === 0) throw corrupt(`the file ends ${length - got} bytes into a column chunk`);
    got += n;
  }
  return buf;
}

type ChunkMeta = NonNullable<
  ParquetFooter["metadata"]["row_groups"][number]["columns"][number]["meta_data"]
>;

/** A column chunk's bytes (its dictionary page first, when it has one) read from the file. */
function readChunk(fd: number, md: ChunkMeta): Uint8Array {
  const data = Number(md.data_page_offset);
  const dictAt = md.dictionary_page_offset;
  const start = dictAt === undefined ? data : Math.min(data, Number(dictAt));
  return readRange(fd, start, Number(md.total_compressed_size));
}

/** What the page decoders need to know of a planned column's chunk. */
function chunkInfo(col: NativeColumnPlan, md: ChunkMeta): ChunkInfo {
  return {
    physical: col.physical,
    optional: col.optional,
    codec: md.codec,
    codes: keepsCodes(col),
  };
}

/** A filter a scan evaluates while it decodes: on its own columns first, then the rest. */
export interface RowFilter {
  /** Indexes into the plan of the columns the filter reads. */
  columns: readonly number[];
  /** Those columns' fields, in that order. */
  schema: Schema;
  /** The rows of a batch of those columns that pass (ascending). */
  select(batch: RecordBatch): Int32Array;
}

/**
 * Decodes the planned columns of row group `g` (at most `maxRows` rows) from the open file
 * `fd`, reading only those columns' chunks. With a `filter`, its columns are decoded first
 * and the other columns only for the rows that pass; the group then holds those rows
 * (`scanned` says how many it had). A filter that fails to evaluate is left to the Filter
 * above the scan, which raises its error.
 */
export function decodeRowGroup(
  fd: number,
  footer: ParquetFooter,
  g: number,
  plan: readonly NativeColumnPlan[],
  maxRows: number,
  filter?: RowFilter,
): NativeRowGroup {
  const rg = footer.metadata.row_groups[g]!;
  const numRows = Number(rg.num_rows);
  const rows = Math.min(numRows, maxRows);
  const columns: NativeColumn[] = new Array(plan.length);
  let sel: Int32Array | undefined;
  if (filter && rows === numRows) {
    const coded =
      filter.columns.length === 1 ? byDictionary(fd, rg, plan, filter, numRows) : undefined;
    if (coded) {
      columns[filter.columns[0]!] = coded.column;
      sel = coded.sel;
    } else {
      for (const i of filter.columns) columns[i] = decodeColumn(fd, rg, plan[i]!, numRows, rows);
      sel = select(filter, columns, rows);
      if (sel) for (const i of filter.columns) columns[i] = taken(columns[i]!, plan[i]!, sel);
    }
  }
  for (let i = 0; i < plan.length; i++) {
    if (!columns[i]) columns[i] = decodeColumn(fd, rg, plan[i]!, numRows, rows, sel);
  }
  return sel ? { rows: sel.length, columns, scanned: rows } : { rows, columns };
}

/** The rows that pass, or undefined when all do or the filter fails (the Filter above decides). */
function select(
  filter: RowFilter,
  columns: readonly NativeColumn[],
  rows: number,
): Int32Array | undefined {
  const data = filter.columns.map((i, k) => columnData(filter.schema.fields[k]!.type, columns[i]!));
  try {
    const sel = filter.select(makeBatch(filter.schema, data, rows));
    return sel.length === rows ? undefined : sel;
  } catch {
    return undefined;
  }
}

/**
 * A filter on one dictionary-encoded column without nulls, evaluated once per dictionary
 * entry instead of once per row: the rows whose code passes are selected, and only their
 * values are gathered (flights-3m's `delay > 60` reads at most 867 entries, not 272,727 rows).
 * Undefined when the chunk is not all dictionary codes or the filter fails on an entry (then
 * the rows are decoded and filtered as values; an entry no row uses may be what fails).
 */
function byDictionary(
  fd: number,
  rg: ParquetFooter["metadata"]["row_groups"][number],
  plan: readonly NativeColumnPlan[],
  filter: RowFilter,
  numRows: number,
): { column: NativeColumn; sel: Int32Array | undefined } | undefined {
  const col = plan[filter.columns[0]!]!;
  const md = rg.columns[col.chunk]!.meta_data!;
  if (Number(md.num_values) !== numRows) return;
  const nulls = md.statistics?.null_count;
  if (col.optional && nulls !== undefined && Number(nulls) > 0) return;
  try {
    const like = allocate(col.shape, 0);
    const coded = decodeCodes(readChunk(fd, md), chunkInfo(col, md), like, numRows);
    if (!coded) return;
    const { dict, codes } = coded;
    const entries = valuesColumn(col, { out: dict, validity: null, nullCount: 0, rows: dict.size });
    let passing: Int32Array;
    try {
      passing = filter.select(
        makeBatch(filter.schema, [columnData(col.outType, entries)], dict.size),
      );
    } catch {
      return;
    }
    const chosen = selectByCodes(codes, dict.size, passing);
    const sel = chosen?.sel;
    const picked = chosen ? chosen.picked : codes;
    const k = picked.length;
    const out = allocate(col.shape, k);
    gather(dict, picked, k, out, 0);
    // `picked` is scratch space: the codes a column keeps are copied out of it.
    const column = valuesColumn(col, {
      out,
      validity: null,
      nullCount: 0,
      rows: k,
      onlyFrom: dict,
    });
    if (keepsCodes(col) && smallDictionary(dict.size, numRows)) {
      column.dictionary = { codes: picked.slice(), entries };
    }
    return { column, sel };
  } catch (err) {
    if (err instanceof CorruptPageError) err.message = `column "${col.name}": ${err.message}`;
    throw err;
  }
}

/** A decoded column cut to the selected rows. */
function taken(c: NativeColumn, col: NativeColumnPlan, sel: Int32Array): NativeColumn {
  const d = takeData(columnData(col.outType, c), sel);
  return {
    type: c.type,
    length: d.length,
    nullCount: d.nullCount,
    validity: d.nullCount > 0 ? (d.nullBitmap ?? null) : null,
    offsets: (d.valueOffsets as Int32Array | undefined) ?? null,
    values: d.values as ArrayBufferView,
  };
}

function decodeColumn(
  fd: number,
  rg: ParquetFooter["metadata"]["row_groups"][number],
  col: NativeColumnPlan,
  numRows: number,
  rows: number,
  sel?: Int32Array,
): NativeColumn {
  const md = rg.columns[col.chunk]!.meta_data!;
  try {
    if (Number(md.num_values) !== numRows) {
      throw corrupt(`the column chunk has ${md.num_values} values for ${numRows} rows`);
    }
    const bytes = readChunk(fd, md);
    const out = allocate(col.shape, sel ? sel.length : numRows);
    return toColumn(col, decodeColumnChunk(bytes, chunkInfo(col, md), out, numRows, rows, sel));
  } catch (err) {
    if (err instanceof CorruptPageError) err.message = `column "${col.name}": ${err.message}`;
    throw err;
  }
}

/** Loads the codecs the planned columns of these row groups use. */
export async function prepareCodecs(
  footer: ParquetFooter,
  rowGroups: readonly number[],
  plan: readonly NativeColumnPlan[],
): Promise<void> {
  const codecs = new Set<string>();
  for (const g of rowGroups) {
    for (const col of plan)
      codecs.add(footer.metadata.row_groups[g]!.columns[col.chunk]!.meta_data!.codec);
  }
  for (const c of codecs) await prepareCodec(c);
}

/**
 * A string or binary column a group-by keys on keeps the codes of a small dictionary: the
 * group-by then looks up each entry once instead of hashing every row.
 */
function keepsCodes(col: NativeColumnPlan): boolean {
  const t = col.outType.typeId;
  return col.codes === true && col.shape.kind === "bytes" && (t === Type.Utf8 || t === Type.Binary);
}

/** Wraps a decoded chunk's buffers (and its dictionary codes, if kept) as a column. */
function toColumn(col: NativeColumnPlan, d: DecodedChunk): NativeColumn {
  const column = valuesColumn(col, d);
  if (d.codes && d.onlyFrom) {
    const size = d.onlyFrom.size;
    const entries = valuesColumn(col, {
      out: d.onlyFrom,
      validity: null,
      nullCount: 0,
      rows: size,
    });
    column.dictionary = { codes: d.codes, entries };
  }
  return column;
}

/** Wraps a decoded chunk's buffers as the column's Arrow array kinds. */
function valuesColumn(col: NativeColumnPlan, d: DecodedChunk): NativeColumn {
  const type = col.outType;
  const base = { type: String(type), length: d.rows, nullCount: d.nullCount, validity: d.validity };
  const out = d.out;
  switch (out.kind) {
    case "bool":
      return { ...base, offsets: null, values: out.bits };
    case "fixed": {
      const Ctor = type.ArrayType as unknown as {
        new (b: ArrayBuffer, o: number, n: number): ArrayBufferView;
        new (n: number): ArrayBufferView & { set(a: ArrayLike<number>): void };
        BYTES_PER_ELEMENT: number;
      };
      const bytes = out.data.byteLength;
      if (Ctor.BYTES_PER_ELEMENT * 8 >= 32 || out.words === 2) {
        return {
          ...base,
          offsets: null,
          values: new Ctor(out.data.buffer as ArrayBuffer, 0, bytes / Ctor.BYTES_PER_ELEMENT),
        };
      }
      // Int8, Int16, Uint8, Uint16 stored as INT32: narrowed as arrow-rs casts them.
      const narrow = new Ctor(out.data.length);
      narrow.set(out.data);
      return { ...base, offsets: null, values: narrow };
    }
    case "flba": {
      if (type.typeId === Type.Interval)
        return { ...base, offsets: null, values: intervals(out.data) };
      if (type.ArrayType === Uint16Array) {
        return {
          ...base,
          offsets: null,
          values: new Uint16Array(out.data.buffer, 0, out.data.length / 2),
        };
      }
      return { ...base, offsets: null, values: out.data };
    }
    case "bytes": {
      if (col.shape.kind !== "bytes") throw new Error("shape mismatch (a bug in deft)");
      const used = out.offsets[d.rows]!;
      if (col.shape.utf8) {
        // Values copied from a valid dictionary are valid: check the (small) dictionary.
        const dict = d.onlyFrom;
        if (dict?.kind === "bytes")
          checkUtf8(dict.data, dict.offsets, dict.size, dict.offsets[dict.size]!);
        else checkUtf8(out.data, out.offsets, d.rows, used);
      }
      // A buffer grown well past its use is cut to size before it leaves the thread.
      const values =
        out.data.length > used + (used >>> 2) + 4096 ? out.data.slice(0, used) : out.data;
      return { ...base, offsets: out.offsets, values };
    }
  }
}

/**
 * Parquet INTERVAL values (12 bytes: months, days, milliseconds, each an unsigned 32-bit
 * little-endian integer) as Arrow MONTH_DAY_NANO intervals (months and days as int32, then
 * nanoseconds as int64: four 32-bit words per value).
 */
function intervals(bytes: Uint8Array): Int32Array {
  const n = bytes.length / 12;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Int32Array(n * 4);
  const wide = new BigInt64Array(out.buffer);
  for (let i = 0; i < n; i++) {
    out[i * 4] = dv.getUint32(i * 12, true) | 0;
    out[i * 4 + 1] = dv.getUint32(i * 12 + 4, true) | 0;
    wide[i * 2 + 1] = BigInt(dv.getUint32(i * 12 + 8, true)) * 1_000_000n;
  }
  return out;
}

/** Strings must be valid UTF-8, each starting on a character boundary (arrow-rs checks too). */
function checkUtf8(data: Uint8Array, offsets: Int32Array, rows: number, used: number): void {
  if (!isUtf8(data.subarray(0, used))) throw corrupt("a string column holds invalid UTF-8");
  for (let i = 0; i < rows; i++) {
    const s = offsets[i]!;
    if (s < used && (data[s]! & 0xc0) === 0x80 && offsets[i + 1]! > s) {
      throw corrupt(`row ${i} of a string column does not start on a UTF-8 character`);
    }
  }
}
