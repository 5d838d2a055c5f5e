import { decompress } from "./codecs.js";
import type { ChunkInfo } from "./column-chunk.js";
import { pageV1, pageV2 } from "./column-chunk.js";
import type { ColumnOut } from "./column-output.js";
import { type Dictionary, readDictionary } from "./dictionary.js";
import { corrupt } from "./errors.js";
import {
  DATA_PAGE,
  DATA_PAGE_V2,
  DICTIONARY_PAGE,
  Encoding,
  readPageHeader,
} from "./page-header.js";
import { decodeHybrid } from "./rle-bitpacked.js";

/** A column chunk read as its dictionary and one index into it per row. */
export interface CodedChunk {
  dict: Dictionary;
  codes: Int32Array;
}

/**
 * Reads a column chunk as dictionary codes, without gathering any value: undefined when a
 * data page is not dictionary-encoded or a row is null (the caller then decodes values).
 * `like` gives the shape the dictionary's entries take; every code is checked in range.
 */
export function decodeCodes(
  chunk: Uint8Array,
  info: ChunkInfo,
  like: ColumnOut,
  numRows: number,
): CodedChunk | undefined {
  const codes = new Int32Array(numRows);
  // Levels of a nullable column land here; a page with a null ends the attempt.
  const validity = info.optional ? new Uint8Array((numRows + 7) >>> 3) : null;
  let dict: Dictionary | undefined;
  let rows = 0;
  let pos = 0;
  while (rows < numRows) {
    if (pos >= chunk.length) {
      throw corrupt(`the column chunk ends after ${rows} of its ${numRows} rows`);
    }
    const h = readPageHeader(chunk, pos, chunk.length);
    const body = chunk.subarray(h.bodyStart, h.bodyStart + h.compressedSize);
    const at = pos;
    pos = h.bodyStart + h.compressedSize;
    if (h.type === DICTIONARY_PAGE) {
      if (dict) throw corrupt(`a second dictionary page at byte ${at} of the column chunk`);
      if (h.encoding !== Encoding.PLAIN && h.encoding !== Encoding.PLAIN_DICTIONARY) return;
      const bytes = decompress(info.codec, body, h.uncompressedSize);
      dict = readDictionary(like, bytes, 0, bytes.length, h.numValues);
      continue;
    }
    if (h.type !== DATA_PAGE && h.type !== DATA_PAGE_V2) continue; // index pages
    const n = h.numValues;
    if (rows + n > numRows) {
      throw corrupt(
        `the data page at byte ${at} has ${n} values, past the row group's ${numRows} rows`,
      );
    }
    const dictEncoded =
      h.encoding === Encoding.RLE_DICTIONARY || h.encoding === Encoding.PLAIN_DICTIONARY;
    if (!dict || !dictEncoded) return;
    if (h.type === DATA_PAGE_V2 && h.repLength !== 0) {
      throw corrupt("a data page of a flat column has repetition levels");
    }
    const { bytes, start, valid } =
      h.type === DATA_PAGE
        ? pageV1(h, body, info, validity, rows)
        : pageV2(h, body, info, validity, rows);
    if (valid < n) return;
    if (n > 0) {
      if (start >= bytes.length) throw corrupt("a dictionary-encoded page has no bit width");
      decodeHybrid(bytes, start + 1, bytes.length, bytes[start]!, codes, rows, n);
    }
    rows += n;
  }
  if (!dict) return;
  const size = dict.size;
  for (let i = 0; i < numRows; i++) {
    const c = codes[i]!;
    if (c >>> 0 >= size) {
      throw corrupt(
        `a dictionary index ${c >>> 0} is out of range (the dictionary has ${size} entries)`,
      );
    }
  }
  return { dict, codes };
}

/**
 * The rows whose code is one of `passing` (dictionary entries, ascending or not), ascending;
 * undefined when every row passes.
 */
export function rowsWithCodes(
  codes: Int32Array,
  size: number,
  passing: Int32Array,
): Int32Array | undefined {
  const mask = new Uint8Array(size);
  for (let i = 0; i < passing.length; i++) mask[passing[i]!] = 1;
  let n = 0;
  for (let i = 0; i < codes.length; i++) n += mask[codes[i]!]!;
  if (n === codes.length) return undefined;
  const sel = new Int32Array(n);
  let k = 0;
  for (let i = 0; i < codes.length; i++) {
    if (mask[codes[i]!]) sel[k++] = i;
  }
  return sel;
}
