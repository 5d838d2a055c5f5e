import { dictionaryEncoded, PageWalk, pageValues } from "./chunk-pages.js";
import type { ColumnOut } from "./column-output.js";
import type { Dictionary } from "./dictionary.js";
import { corrupt } from "./errors.js";
import { Encoding } from "./page-header.js";
import { decodeDictionarySelected, decodeValues } from "./page-values.js";
import { Picker } from "./picker.js";
import { POPCOUNT } from "./rle-bitpacked.js";
import { scatter } from "./scatter.js";

/** What the decoder needs to know about one flat leaf column, from the footer. */
export interface ChunkInfo {
  /** Parquet physical type name (INT32, BYTE_ARRAY…). */
  physical: string;
  /** Max definition level 1 (nullable) or 0 (required). */
  optional: boolean;
  codec: string;
  /** Keep each row's dictionary index when the chunk allows (see `DecodedChunk.codes`). */
  codes?: boolean;
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
  /**
   * With `onlyFrom`, no nulls and a small dictionary (`smallDictionary`), when asked for
   * (`ChunkInfo.codes`): each row's index into it.
   */
  codes?: Int32Array;
}

/** Whether a chunk with a dictionary of `size` entries for `numRows` rows keeps its codes. */
export const smallDictionary = (size: number, numRows: number): boolean =>
  size <= 1 << 16 && size * 8 <= numRows;

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
  const walk = new PageWalk(chunk, numRows, info.codec, out);
  let rows = 0;
  let allDict = true;
  // Codes are kept while every page so far was dictionary-encoded without nulls.
  let coding = info.codes === true;
  let codes: Int32Array | undefined;
  while (picker ? picker.at < target : rows < target) {
    const page = walk.next(rows);
    const dict = walk.dict;
    const h = page.h;
    const n = h.numValues;
    const dictEncoded = dictionaryEncoded(h);
    if (!dictEncoded) allDict = false;
    if (picker) {
      if (picker.skip(rows, n)) {
        rows += n;
        continue;
      }
      const levels = picker.pageValidity(n);
      const { bytes, start, valid } = pageValues(page, info, levels, 0);
      checkPageEncoding(h.encoding, info.physical);
      if (dictEncoded && valid === n && dict) {
        if (coding) codes ??= new Int32Array(target);
        decodeDictionarySelected(bytes, start, bytes.length, n, dict, picker, rows, codes);
      } else {
        coding = false;
        codes = undefined;
        const scratch = picker.scratchFor(n);
        decodeValues(h.encoding, bytes, start, bytes.length, valid, scratch, 0, dict);
        if (valid < n) scatter(scratch, levels!, 0, n, valid);
        picker.pick(scratch, n, rows);
      }
      picker.done(rows, valid === n);
      rows += n;
      continue;
    }
    const { bytes, start, valid } = pageValues(page, info, validity, rows);
    checkPageEncoding(h.encoding, info.physical);
    if (!dictEncoded || valid < n) {
      coding = false;
      codes = undefined;
    } else if (coding) codes ??= new Int32Array(numRows); // pages may run past `maxRows`
    decodeValues(h.encoding, bytes, start, bytes.length, valid, out, rows, dict, codes);
    if (valid < n) scatter(out, validity!, rows, n, valid);
    rows += n;
  }
  const dict = walk.dict;
  const nullCount = validity ? nullsIn(validity, target) : 0;
  return {
    out,
    validity: nullCount > 0 ? validity : null,
    nullCount,
    rows: target,
    onlyFrom: allDict ? dict : undefined,
    codes:
      codes && allDict && dict && smallDictionary(dict.size, numRows)
        ? codes.subarray(0, target)
        : undefined,
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
