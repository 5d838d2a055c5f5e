import { decompress } from "./codecs.js";
import type { ColumnOut } from "./column-output.js";
import { type Dictionary, readDictionary } from "./dictionary.js";
import { corrupt } from "./errors.js";
import {
  DATA_PAGE,
  DATA_PAGE_V2,
  DICTIONARY_PAGE,
  Encoding,
  type PageHeader,
  readPageHeader,
} from "./page-header.js";
import { decodeDictionarySelected, decodeValues } from "./page-values.js";
import { Picker } from "./picker.js";
import { decodeBitsHybrid, POPCOUNT } from "./rle-bitpacked.js";
import { scatter } from "./scatter.js";

/** What the decoder needs to know about one flat leaf column, from the footer. */
export interface ChunkInfo {
  /** Parquet physical type name (INT32, BYTE_ARRAY…). */
  physical: string;
  /** Max definition level 1 (nullable) or 0 (required). */
  optional: boolean;
  codec: string;
}

export interface DecodedChunk {
  out: ColumnOut;
  /** Arrow validity bitmap, null when no row is null. */
  validity: Uint8Array | null;
  nullCount: number;
  /** Rows decoded (the row group's, or `maxRows` when a limit cuts it). */
  rows: number;
  /** The chunk's dictionary when every data page indexed into it (else undefined). */
  onlyFrom?: Dictionary;
}

const FIXED_ONLY = new Set([Encoding.DELTA_BINARY_PACKED]);

/** Throws when a page's encoding cannot hold the column's physical type. */
function checkPageEncoding(encoding: number, physical: string): void {
  if (FIXED_ONLY.has(encoding as 5) && physical !== "INT32" && physical !== "INT64") {
    throw corrupt(`a ${physical} page uses DELTA_BINARY_PACKED`);
  }
  if (
    encoding === Encoding.BYTE_STREAM_SPLIT &&
    (physical === "BOOLEAN" || physical === "BYTE_ARRAY")
  ) {
    throw corrupt(`a ${physical} page uses BYTE_STREAM_SPLIT`);
  }
}

/**
 * Decodes the pages of one column chunk (`chunk` holds exactly its bytes) into `out`, which
 * is sized for `numRows` rows. Stops after the page that reaches `maxRows`.
 *
 * With `sel` (ascending row indexes of the row group), only those rows are decoded, into
 * `out` sized for `sel.length` rows: a page holding none of them is not even decompressed,
 * a dictionary page without nulls copies only the picked entries, and any other page is
 * decoded whole into scratch space and picked from there.
 */
export function decodeColumnChunk(
  chunk: Uint8Array,
  info: ChunkInfo,
  out: ColumnOut,
  numRows: number,
  maxRows: number,
  sel?: Int32Array,
): DecodedChunk {
  const target = sel ? sel.length : Math.min(numRows, maxRows);
  const validity = info.optional ? new Uint8Array(((sel ? target : numRows) + 7) >>> 3) : null;
  const picker = sel ? new Picker(out, sel, validity) : undefined;
  let dict: Dictionary | undefined;
  let rows = 0;
  let pos = 0;
  let allDict = true;
  while (picker ? picker.at < target : rows < target) {
    if (pos >= chunk.length) {
      throw corrupt(`the column chunk ends after ${rows} of its ${numRows} rows`);
    }
    const h = readPageHeader(chunk, pos, chunk.length);
    const body = chunk.subarray(h.bodyStart, h.bodyStart + h.compressedSize);
    const at = pos;
    pos = h.bodyStart + h.compressedSize;
    if (h.type === DICTIONARY_PAGE) {
      if (dict) throw corrupt(`a second dictionary page at byte ${at} of the column chunk`);
      if (h.encoding !== Encoding.PLAIN && h.encoding !== Encoding.PLAIN_DICTIONARY) {
        throw corrupt(`the dictionary page is encoded as ${h.encoding}, not PLAIN`);
      }
      const bytes = decompress(info.codec, body, h.uncompressedSize);
      dict = readDictionary(out, bytes, 0, bytes.length, h.numValues);
      continue;
    }
    if (h.type !== DATA_PAGE && h.type !== DATA_PAGE_V2) continue; // index pages
    const n = h.numValues;
    if (rows + n > numRows) {
      throw corrupt(
        `the data page at byte ${at} has ${n} values, past the row group's ${numRows} rows`,
      );
    }
    if (h.type === DATA_PAGE_V2 && h.repLength !== 0) {
      throw corrupt("a data page of a flat column has repetition levels");
    }
    const dictEncoded =
      h.encoding === Encoding.RLE_DICTIONARY || h.encoding === Encoding.PLAIN_DICTIONARY;
    if (!dictEncoded) allDict = false;
    if (picker) {
      if (picker.skip(rows, n)) {
        rows += n;
        continue;
      }
      const levels = picker.pageValidity(n);
      const { bytes, start, valid } =
        h.type === DATA_PAGE ? pageV1(h, body, info, levels, 0) : pageV2(h, body, info, levels, 0);
      checkPageEncoding(h.encoding, info.physical);
      if (dictEncoded && valid === n && dict) {
        decodeDictionarySelected(bytes, start, bytes.length, n, dict, picker, rows);
      } else {
        const scratch = picker.scratchFor(n);
        decodeValues(h.encoding, bytes, start, bytes.length, valid, scratch, 0, dict);
        if (valid < n) scatter(scratch, levels!, 0, n, valid);
        picker.pick(scratch, n, rows);
      }
      picker.done(rows, valid === n);
      rows += n;
      continue;
    }
    const { bytes, start, valid } =
      h.type === DATA_PAGE
        ? pageV1(h, body, info, validity, rows)
        : pageV2(h, body, info, validity, rows);
    checkPageEncoding(h.encoding, info.physical);
    decodeValues(h.encoding, bytes, start, bytes.length, valid, out, rows, dict);
    if (valid < n) scatter(out, validity!, rows, n, valid);
    rows += n;
  }
  const nullCount = validity ? nullsIn(validity, target) : 0;
  return {
    out,
    validity: nullCount > 0 ? validity : null,
    nullCount,
    rows: target,
    onlyFrom: allDict ? dict : undefined,
  };
}

/** Rows of the first `rows` whose bit in `validity` is clear. */
function nullsIn(validity: Uint8Array, rows: number): number {
  let ones = 0;
  const full = rows >>> 3;
  for (let i = 0; i < full; i++) ones += POPCOUNT[validity[i]!]!;
  for (let i = full * 8; i < rows; i++) ones += (validity[i >>> 3]! >>> (i & 7)) & 1;
  return rows - ones;
}

interface PageValues {
  /** The page's values section (decompressed). */
  bytes: Uint8Array;
  start: number;
  /** Non-null values in the page. */
  valid: number;
}

export function pageV1(
  h: PageHeader,
  body: Uint8Array,
  info: ChunkInfo,
  validity: Uint8Array | null,
  rows: number,
): PageValues {
  const bytes = decompress(info.codec, body, h.uncompressedSize);
  if (!validity) return { bytes, start: 0, valid: h.numValues };
  const n = h.numValues;
  if (h.defEncoding === Encoding.RLE) {
    if (bytes.length < 4) throw corrupt("a data page lacks its definition levels");
    const len = (bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16) | (bytes[3]! << 24)) >>> 0;
    if (4 + len > bytes.length) throw corrupt("a data page's definition levels run past the page");
    const [ones] = decodeBitsHybrid(bytes, 4, 4 + len, validity, rows, n);
    return { bytes, start: 4 + len, valid: ones };
  }
  if (h.defEncoding === Encoding.BIT_PACKED) {
    // The deprecated encoding packs levels from the most significant bit.
    const len = (n + 7) >>> 3;
    if (len > bytes.length) throw corrupt("a data page's definition levels run past the page");
    let ones = 0;
    for (let i = 0; i < n; i++) {
      if ((bytes[i >>> 3]! >>> (7 - (i & 7))) & 1) {
        const b = rows + i;
        validity[b >>> 3]! |= 1 << (b & 7);
        ones++;
      }
    }
    return { bytes, start: len, valid: ones };
  }
  throw corrupt(`definition levels are encoded as ${h.defEncoding}, not RLE or BIT_PACKED`);
}

export function pageV2(
  h: PageHeader,
  body: Uint8Array,
  info: ChunkInfo,
  validity: Uint8Array | null,
  rows: number,
): PageValues {
  const n = h.numValues;
  let valid = n;
  if (validity) {
    [valid] = decodeBitsHybrid(body, 0, h.defLength, validity, rows, n);
  } else if (h.defLength !== 0) {
    throw corrupt("a data page of a required column has definition levels");
  }
  if (n - valid !== h.numNulls) {
    throw corrupt(`a data page says it has ${h.numNulls} nulls but its levels have ${n - valid}`);
  }
  const levels = h.defLength + h.repLength;
  const section = body.subarray(levels);
  const size = h.uncompressedSize - levels;
  const bytes = h.isCompressed ? decompress(info.codec, section, size) : section;
  if (!h.isCompressed && section.length !== size) {
    throw corrupt("an uncompressed data page's size differs from its header");
  }
  return { bytes, start: 0, valid };
}
