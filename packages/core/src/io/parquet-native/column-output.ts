import { corrupt } from "./errors.js";

// What a column chunk decodes into: one preallocated buffer per row group and column, filled
// page by page. A page writes its non-null values packed at its first row; the scatter step
// (scatter.ts) then spreads them over the page's rows where its definition levels say.

/** 4- or 8-byte values (INT32, INT64, FLOAT, DOUBLE) as 32-bit words, bits copied verbatim. */
export interface FixedOut {
  kind: "fixed";
  /** Words per value: 1 or 2. */
  words: number;
  data: Int32Array;
}

/** BOOLEAN values as an Arrow bitmap (LSB first). */
export interface BoolOut {
  kind: "bool";
  bits: Uint8Array;
}

/** BYTE_ARRAY values as Arrow offsets (Int32) and one data buffer that grows as needed. */
export interface BytesOut {
  kind: "bytes";
  offsets: Int32Array;
  data: Uint8Array;
}

/** FIXED_LEN_BYTE_ARRAY values, `width` bytes each. */
export interface FlbaOut {
  kind: "flba";
  width: number;
  data: Uint8Array;
}

export type ColumnOut = FixedOut | BoolOut | BytesOut | FlbaOut;

/** Grows `out.data` so that `need` bytes fit (doubling, so appends stay linear). */
export function reserveBytes(out: BytesOut, need: number): void {
  if (need <= out.data.length) return;
  if (need > 0x7fffffff) {
    throw corrupt(
      "a column chunk's strings exceed 2 GiB, more than one Arrow batch can hold; write smaller row groups",
    );
  }
  const next = new Uint8Array(Math.min(0x7fffffff, Math.max(need, out.data.length * 2, 1024)));
  next.set(out.data);
  out.data = next;
}
