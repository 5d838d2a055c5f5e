import { decompress } from "./codecs.js";
import type { ChunkInfo } from "./column-chunk.js";
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
import { decodeBitsHybrid } from "./rle-bitpacked.js";

/** One page of a column chunk, its header checked against the chunk and the row group. */
export interface ChunkPage {
  h: PageHeader;
  /** The page's body as stored (compressed). */
  body: Uint8Array;
  /** Byte offset of the page's header in the chunk. */
  at: number;
  /** Byte offset just past the page: where the next one starts. */
  end: number;
  /** A data page (V1 or V2), as opposed to a dictionary or index page. */
  data: boolean;
}

/**
 * Reads the page at byte `pos` of a column chunk (`chunk` holds exactly its bytes), after
 * `rows` of the row group's `numRows` rows were read: throws when the chunk ends first, or a
 * data page holds rows past the row group or repetition levels (a flat column has none).
 */
function pageAt(chunk: Uint8Array, pos: number, rows: number, numRows: number): ChunkPage {
  if (pos >= chunk.length) {
    throw corrupt(`the column chunk ends after ${rows} of its ${numRows} rows`);
  }
  const h = readPageHeader(chunk, pos, chunk.length);
  const end = h.bodyStart + h.compressedSize;
  const data = h.type === DATA_PAGE || h.type === DATA_PAGE_V2;
  if (data && rows + h.numValues > numRows) {
    throw corrupt(
      `the data page at byte ${pos} has ${h.numValues} values, past the row group's ${numRows} rows`,
    );
  }
  if (h.type === DATA_PAGE_V2 && h.repLength !== 0) {
    throw corrupt("a data page of a flat column has repetition levels");
  }
  return { h, body: chunk.subarray(h.bodyStart, end), at: pos, end, data };
}

/**
 * The chunk's dictionary from its dictionary page `page` (entries shaped like `like`);
 * throws when the chunk already had one (`had`) or the page is not PLAIN.
 */
function dictionaryPage(
  page: ChunkPage,
  codec: string,
  like: ColumnOut,
  had: Dictionary | undefined,
): Dictionary {
  const { h } = page;
  if (had) throw corrupt(`a second dictionary page at byte ${page.at} of the column chunk`);
  if (h.encoding !== Encoding.PLAIN && h.encoding !== Encoding.PLAIN_DICTIONARY) {
    throw corrupt(`the dictionary page is encoded as ${h.encoding}, not PLAIN`);
  }
  const bytes = decompress(codec, page.body, h.uncompressedSize);
  return readDictionary(like, bytes, 0, bytes.length, h.numValues);
}

/**
 * Walks the pages of one column chunk (`chunk` holds exactly its bytes, for a row group of
 * `numRows` rows): `next` returns each data page in turn, reading the dictionary page on the
 * way (its entries shaped like `like`) into `dict`, and stepping over index pages.
 */
export class PageWalk {
  dict: Dictionary | undefined;
  private pos = 0;
  constructor(
    private readonly chunk: Uint8Array,
    private readonly numRows: number,
    private readonly codec: string,
    private readonly like: ColumnOut,
  ) {}

  /** The next data page, `rows` rows of the row group read so far. */
  next(rows: number): ChunkPage {
    for (;;) {
      const page = pageAt(this.chunk, this.pos, rows, this.numRows);
      this.pos = page.end;
      if (page.h.type === DICTIONARY_PAGE) {
        this.dict = dictionaryPage(page, this.codec, this.like, this.dict);
      } else if (page.data) {
        return page;
      }
    }
  }
}

/** Whether a data page's values index into the chunk's dictionary. */
export function dictionaryEncoded(h: PageHeader): boolean {
  return h.encoding === Encoding.RLE_DICTIONARY || h.encoding === Encoding.PLAIN_DICTIONARY;
}

/**
 * Decompresses a data page (V1 or V2) and reads its definition levels into `validity` at
 * row `rows` (when the column is nullable).
 */
export function pageValues(
  page: ChunkPage,
  info: ChunkInfo,
  validity: Uint8Array | null,
  rows: number,
): PageValues {
  return page.h.type === DATA_PAGE
    ? pageV1(page.h, page.body, info, validity, rows)
    : pageV2(page.h, page.body, info, validity, rows);
}

interface PageValues {
  /** The page's values section (decompressed). */
  bytes: Uint8Array;
  start: number;
  /** Non-null values in the page. */
  valid: number;
}

function pageV1(
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

function pageV2(
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
