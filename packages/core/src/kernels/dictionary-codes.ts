import type { Data } from "apache-arrow";

/**
 * A column known to be dictionary-encoded: row i holds `entries` row `codes[i]`. The Parquet
 * scan records this for low-cardinality columns it read from dictionary pages, so a group-by
 * can map each distinct entry to its group once instead of hashing every row's value.
 */
export interface DictionaryCodes {
  /** The dictionary's values (one Data shared by every column cut from the same chunk). */
  entries: Data;
  /** One index into `entries` per row of the column, each within range. */
  codes: Int32Array;
}

// Kept beside the Data rather than in it: the column stays a plain Arrow column for every other
// operator, and a new Data made from it (a slice, a gather) simply has no codes.
const attached = new WeakMap<Data, DictionaryCodes>();

/** Records that `data` (no nulls, one code per row) is `codes` into `entries`; returns `data`. */
export function withCodes(data: Data, codes: DictionaryCodes): Data {
  if (data.nullCount > 0 || codes.codes.length !== data.length) {
    throw new Error("internal: dictionary codes need a column without nulls, one code per row");
  }
  attached.set(data, codes);
  return data;
}

/** The dictionary codes recorded for `data`, if any. */
export function codesOf(data: Data): DictionaryCodes | undefined {
  return attached.get(data);
}
