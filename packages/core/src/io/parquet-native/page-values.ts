import { byteStreamSplit } from "./byte-stream-split.js";
import type { ColumnOut } from "./column-output.js";
import {
  deltaBinaryPacked,
  deltaByteArray,
  deltaByteArrayFixed,
  deltaLengthByteArray,
} from "./delta.js";
import { type Dictionary, gather } from "./dictionary.js";
import { corrupt } from "./errors.js";
import { Encoding } from "./page-header.js";
import type { Picker } from "./picker.js";
import { plainBool, plainBytes, plainFixed, plainFlba } from "./plain.js";
import { decodeBitsHybrid, decodeHybrid, decodeHybridAt } from "./rle-bitpacked.js";

/**
 * A page whose picked rows are fewer than 1 in `PICK_DIRECT` reads their dictionary indices
 * one by one instead of unpacking every index of the page.
 */
const PICK_DIRECT = 4;

/** Scratch space for dictionary indices, reused across the pages of a thread. */
let indices = new Int32Array(1024);

function unsupported(encoding: number, kind: string): never {
  throw corrupt(`a data page uses encoding ${encoding}, which is not valid for a ${kind} column`);
}

/**
 * Decodes the values section of one data page (`k` non-null values in `bytes[pos..end)`,
 * encoded as `encoding`) into `out`, packed from row `r`. With `codes`, a dictionary-encoded
 * page also leaves its (range-checked) indices there from row `r`.
 */
export function decodeValues(
  encoding: number,
  bytes: Uint8Array,
  pos: number,
  end: number,
  k: number,
  out: ColumnOut,
  r: number,
  dict: Dictionary | undefined,
  codes?: Int32Array,
): void {
  switch (encoding) {
    case Encoding.PLAIN:
      switch (out.kind) {
        case "fixed":
          plainFixed(bytes, pos, end, k, out, r);
          return;
        case "bool":
          plainBool(bytes, pos, end, k, out, r);
          return;
        case "bytes":
          plainBytes(bytes, pos, end, k, out, r);
          return;
        case "flba":
          plainFlba(bytes, pos, end, k, out, r);
          return;
      }
      return;
    case Encoding.PLAIN_DICTIONARY:
    case Encoding.RLE_DICTIONARY: {
      if (!dict) throw corrupt("a dictionary-encoded page comes before any dictionary page");
      if (k === 0) return;
      if (pos >= end) throw corrupt("a dictionary-encoded page has no bit width");
      const w = bytes[pos]!;
      if (indices.length < k) indices = new Int32Array(Math.max(k, indices.length * 2));
      decodeHybrid(bytes, pos + 1, end, w, indices, 0, k);
      gather(dict, indices, k, out, r);
      if (codes) codes.set(indices.subarray(0, k), r);
      return;
    }
    case Encoding.RLE: {
      if (out.kind !== "bool") unsupported(encoding, out.kind);
      if (pos + 4 > end) throw corrupt("an RLE boolean page lacks its length");
      const len =
        (bytes[pos]! |
          (bytes[pos + 1]! << 8) |
          (bytes[pos + 2]! << 16) |
          (bytes[pos + 3]! << 24)) >>>
        0;
      if (pos + 4 + len > end) throw corrupt("an RLE boolean page is shorter than its length");
      decodeBitsHybrid(bytes, pos + 4, pos + 4 + len, out.bits, r, k);
      return;
    }
    case Encoding.DELTA_BINARY_PACKED:
      if (out.kind !== "fixed") unsupported(encoding, out.kind);
      deltaBinaryPacked(bytes, pos, end, k, out.data, r, out.words);
      return;
    case Encoding.DELTA_LENGTH_BYTE_ARRAY:
      if (out.kind !== "bytes") unsupported(encoding, out.kind);
      deltaLengthByteArray(bytes, pos, end, k, out, r);
      return;
    case Encoding.DELTA_BYTE_ARRAY:
      if (out.kind === "bytes") deltaByteArray(bytes, pos, end, k, out, r);
      else if (out.kind === "flba") deltaByteArrayFixed(bytes, pos, end, k, out, r);
      else unsupported(encoding, out.kind);
      return;
    case Encoding.BYTE_STREAM_SPLIT:
      if (out.kind !== "fixed" && out.kind !== "flba") unsupported(encoding, out.kind);
      byteStreamSplit(bytes, pos, end, k, out, r);
      return;
    default:
      unsupported(encoding, out.kind);
  }
}

/**
 * A dictionary-encoded page of `k` values and no nulls, rows [r, r + k): decodes its indices
 * and copies the dictionary entries of the picker's selected rows only (and, with `codes`,
 * their indices, from the picker's position).
 */
export function decodeDictionarySelected(
  bytes: Uint8Array,
  pos: number,
  end: number,
  k: number,
  dict: Dictionary,
  picker: Picker,
  r: number,
  codes?: Int32Array,
): void {
  if (k === 0) return;
  if (pos >= end) throw corrupt("a dictionary-encoded page has no bit width");
  const w = bytes[pos]!;
  const m = picker.end - picker.at;
  let picked: Int32Array;
  if (w >= 1 && w <= 24 && m * PICK_DIRECT < k) {
    // Few rows of the page picked: read just their indices.
    if (indices.length < m) indices = new Int32Array(Math.max(m, indices.length * 2));
    decodeHybridAt(bytes, pos + 1, end, w, picker.picked(r), m, indices, k);
    picked = indices;
  } else {
    if (indices.length < k) indices = new Int32Array(Math.max(k, indices.length * 2));
    decodeHybrid(bytes, pos + 1, end, w, indices, 0, k);
    picked = picker.picked(r, indices);
  }
  gather(dict, picked, m, picker.out, picker.at);
  if (codes) codes.set(picked.subarray(0, m), picker.at);
}
