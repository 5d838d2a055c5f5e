import { type Data, type DataType, makeData, type RecordBatch, type Schema } from "apache-arrow";
import { withCodes } from "../../kernels/dictionary-codes.js";
import { makeBatch } from "../../kernels/take-concat.js";

// A decoded row group as plain buffers and a few numbers: what a compute thread sends back
// (the buffers transferred, never copied) and what the receiving side wraps as Arrow data.

/** One column of a decoded row group: the buffers of an Arrow Data of type `type`. */
export interface NativeColumn {
  /** The Arrow type's name, as `String(type)` prints it (checked against the footer's). */
  type: string;
  length: number;
  nullCount: number;
  validity: Uint8Array | null;
  /** Utf8/Binary offsets. */
  offsets: Int32Array | null;
  /** The values, as a typed array of the Arrow type's own array kind. */
  values: ArrayBufferView;
  /** For a column read from a small dictionary, without nulls: row i is `entries` row `codes[i]`. */
  dictionary?: { codes: Int32Array; entries: NativeColumn };
}

/** The requested columns of one row group, in request order. */
export interface NativeRowGroup {
  rows: number;
  /** The row group's rows before the scan's filter, when one was evaluated while decoding. */
  scanned?: number;
  columns: NativeColumn[];
}

/** The buffers to transfer for `groups` (each ArrayBuffer once). */
export function transferList(groups: readonly NativeRowGroup[]): ArrayBuffer[] {
  const seen = new Set<ArrayBuffer>();
  for (const g of groups) {
    for (const c of g.columns) {
      const d = c.dictionary;
      const buffers = [c.validity, c.offsets, c.values];
      if (d) buffers.push(d.codes, d.entries.offsets, d.entries.values);
      for (const b of buffers) if (b) seen.add(b.buffer as ArrayBuffer);
    }
  }
  return [...seen];
}

/** The Arrow data of one decoded column, typed as `type` (whose name the column carries). */
export function columnData(type: DataType, c: NativeColumn): Data {
  return makeData({
    type,
    length: c.length,
    nullCount: c.nullCount,
    nullBitmap: c.validity ?? undefined,
    data: c.values,
    valueOffsets: c.offsets ?? undefined,
  } as never) as Data;
}

/**
 * A decoded row group as batches of at most `batchSize` rows (zero-copy slices); a column that
 * came with dictionary codes carries them (`codesOf`), sliced alike.
 */
export function* rowGroupBatches(
  schema: Schema,
  group: NativeRowGroup,
  batchSize: number,
): Generator<RecordBatch> {
  const cols = group.columns.map((c, i) => columnData(schema.fields[i]!.type, c));
  const coded = group.columns.map((c, i) => {
    const d = c.dictionary;
    return d && { entries: columnData(schema.fields[i]!.type, d.entries), codes: d.codes };
  });
  const cut = (at: number, n: number) =>
    cols.map((d, i) => {
      const c = coded[i];
      const part = at === 0 && n === d.length ? d : d.slice(at, n);
      return c
        ? withCodes(part, { entries: c.entries, codes: c.codes.subarray(at, at + n) })
        : part;
    });
  if (group.rows <= batchSize) {
    yield makeBatch(schema, cut(0, group.rows), group.rows);
    return;
  }
  for (let at = 0; at < group.rows; at += batchSize) {
    const n = Math.min(batchSize, group.rows - at);
    yield makeBatch(schema, cut(at, n), n);
  }
}
