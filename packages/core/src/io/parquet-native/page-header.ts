import { corrupt } from "./errors.js";
import { CompactReader, T_FALSE, T_I32, T_STRUCT, T_TRUE } from "./thrift-compact.js";

// Parquet's PageHeader (parquet.thrift), only the fields a flat column decoder needs.

export const DATA_PAGE = 0;
export const INDEX_PAGE = 1;
export const DICTIONARY_PAGE = 2;
export const DATA_PAGE_V2 = 3;

/** Parquet `Encoding` enum values. */
export const Encoding = {
  PLAIN: 0,
  PLAIN_DICTIONARY: 2,
  RLE: 3,
  BIT_PACKED: 4,
  DELTA_BINARY_PACKED: 5,
  DELTA_LENGTH_BYTE_ARRAY: 6,
  DELTA_BYTE_ARRAY: 7,
  RLE_DICTIONARY: 8,
  BYTE_STREAM_SPLIT: 9,
} as const;

export interface PageHeader {
  type: number;
  uncompressedSize: number;
  compressedSize: number;
  /** Values in the page, nulls included (data pages), or dictionary entries. */
  numValues: number;
  /** The values' encoding. */
  encoding: number;
  /** v1: the definition levels' encoding (RLE or BIT_PACKED). */
  defEncoding: number;
  /** v2: nulls in the page. */
  numNulls: number;
  /** v2: byte lengths of the (never compressed) level sections. */
  defLength: number;
  repLength: number;
  /** v2: whether the values section is compressed. */
  isCompressed: boolean;
  /** Where the page's body starts. */
  bodyStart: number;
}

/** Reads the page header at `pos`; `end` bounds the column chunk. */
export function readPageHeader(bytes: Uint8Array, pos: number, end: number): PageHeader {
  const r = new CompactReader(bytes, pos, end);
  const h: PageHeader = {
    type: -1,
    uncompressedSize: -1,
    compressedSize: -1,
    numValues: -1,
    encoding: -1,
    defEncoding: Encoding.RLE,
    numNulls: 0,
    defLength: 0,
    repLength: 0,
    isCompressed: true,
    bodyStart: 0,
  };
  let sub = false;
  r.readStruct((id, type) => {
    if (id <= 3 && type === T_I32) {
      const v = r.zigzag();
      if (id === 1) h.type = v;
      else if (id === 2) h.uncompressedSize = v;
      else h.compressedSize = v;
      return true;
    }
    if (type !== T_STRUCT) return false;
    if (id === 5) {
      sub = true;
      r.readStruct((fid, ft) => {
        if (ft !== T_I32 || fid > 3) return false;
        const v = r.zigzag();
        if (fid === 1) h.numValues = v;
        else if (fid === 2) h.encoding = v;
        else h.defEncoding = v;
        return true;
      });
      return true;
    }
    if (id === 7) {
      sub = true;
      r.readStruct((fid, ft) => {
        if (ft !== T_I32 || fid > 2) return false;
        const v = r.zigzag();
        if (fid === 1) h.numValues = v;
        else h.encoding = v;
        return true;
      });
      return true;
    }
    if (id === 8) {
      sub = true;
      r.readStruct((fid, ft) => {
        if (fid === 7 && (ft === T_TRUE || ft === T_FALSE)) {
          h.isCompressed = ft === T_TRUE;
          return true;
        }
        if (ft !== T_I32 || fid > 6) return false;
        const v = r.zigzag();
        if (fid === 1) h.numValues = v;
        else if (fid === 2) h.numNulls = v;
        else if (fid === 4) h.encoding = v;
        else if (fid === 5) h.defLength = v;
        else if (fid === 6) h.repLength = v;
        return true;
      });
      return true;
    }
    return false;
  });
  h.bodyStart = r.pos;
  if (h.type < 0 || h.compressedSize < 0 || h.uncompressedSize < 0) {
    throw corrupt(`the page header at byte ${pos} lacks its type or sizes`);
  }
  if (h.bodyStart + h.compressedSize > end) {
    throw corrupt(
      `the page at byte ${pos} says it has ${h.compressedSize} bytes but the column chunk ends ${end - h.bodyStart} bytes after its header`,
    );
  }
  const isData = h.type === DATA_PAGE || h.type === DATA_PAGE_V2 || h.type === DICTIONARY_PAGE;
  if (isData && (!sub || h.numValues < 0 || h.encoding < 0)) {
    throw corrupt(`the page header at byte ${pos} lacks its value count or encoding`);
  }
  if (h.defLength < 0 || h.repLength < 0 || h.defLength + h.repLength > h.compressedSize) {
    throw corrupt(`the page at byte ${pos} has level lengths beyond its size`);
  }
  return h;
}
