import { dictionaryEncoded, PageWalk, pageValues } from "./chunk-pages.js";
import type { ChunkInfo } from "./column-chunk.js";
import type { ColumnOut } from "./column-output.js";
import type { Dictionary } from "./dictionary.js";
import { corrupt } from "./errors.js";
import { decodeHybrid } from "./rle-bitpacked.js";

// Scratch space reused across the row groups a thread decodes: fresh megabyte-sized arrays
// cost a page fault per 4 KB on first write, more than the loops that fill them.
let codeSpace = new Int32Array(0);
let selSpace = new Int32Array(0);
let pickSpace = new Int32Array(0);

function grown(a: Int32Array<ArrayBuffer>, n: number): Int32Array<ArrayBuffer> {
  return a.length >= n ? a : new Int32Array(Math.max(n, a.length * 2));
}

/**
 * A column chunk read as its dictionary and one index into it per row. `codes` (and what
 * `selectByCodes` returns) is scratch space, valid until the next call on the same thread: keep
 * a copy of whatever must outlive the row group.
 */
export interface CodedChunk {
  dict: Dictionary;
  codes: Int32Array;
}

/**
 * Reads a column chunk as dictionary codes, without gathering any value: undefined when a
 * data page is not dictionary-encoded or a row is null (the caller then decodes values).
 * `like` gives the shape the dictionary's entries take. Codes are not yet checked against
 * the dictionary's size: `selectByCodes` does that as it reads them.
 */
export function decodeCodes(
  chunk: Uint8Array,
  info: ChunkInfo,
  like: ColumnOut,
  numRows: number,
): CodedChunk | undefined {
  codeSpace = grown(codeSpace, numRows);
  const codes = codeSpace.subarray(0, numRows);
  // Levels of a nullable column land here; a page with a null ends the attempt.
  const validity = info.optional ? new Uint8Array((numRows + 7) >>> 3) : null;
  const walk = new PageWalk(chunk, numRows, info.codec, like);
  let rows = 0;
  while (rows < numRows) {
    const page = walk.next(rows);
    const n = page.h.numValues;
    if (!walk.dict || !dictionaryEncoded(page.h)) return;
    const { bytes, start, valid } = pageValues(page, info, validity, rows);
    if (valid < n) return;
    if (n > 0) {
      if (start >= bytes.length) throw corrupt("a dictionary-encoded page has no bit width");
      decodeHybrid(bytes, start + 1, bytes.length, bytes[start]!, codes, rows, n);
    }
    rows += n;
  }
  const dict = walk.dict;
  if (!dict) return;
  return { dict, codes };
}

/**
 * The rows whose code is one of `passing` (dictionary entries, in any order) and their codes,
 * both ascending by row, in one branch-free pass that also checks every code lies within the
 * dictionary's `size`; undefined when every row passes.
 */
export function selectByCodes(
  codes: Int32Array,
  size: number,
  passing: Int32Array,
): { sel: Int32Array; picked: Int32Array } | undefined {
  const mask = new Uint8Array(size);
  for (let i = 0; i < passing.length; i++) mask[passing[i]!] = 1;
  const n = codes.length;
  selSpace = grown(selSpace, n);
  pickSpace = grown(pickSpace, n);
  const sel = selSpace;
  const picked = pickSpace;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const c = codes[i]!;
    if (c >>> 0 >= size) {
      throw corrupt(
        `a dictionary index ${c >>> 0} is out of range (the dictionary has ${size} entries)`,
      );
    }
    sel[k] = i;
    picked[k] = c;
    k += mask[c]!;
  }
  if (k === n) return undefined;
  return { sel: sel.subarray(0, k), picked: picked.subarray(0, k) };
}
