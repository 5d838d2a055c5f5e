import type { Data } from "apache-arrow";
import { hashColumns, type KeyKind, keyView } from "./hash.js";

/** Rows cut into buckets by the hash of their keys: each bucket's rows, ascending. */
export interface HashBuckets {
  /** The rows of bucket 0, then bucket 1, ..., each bucket's rows in ascending order. */
  perm: Int32Array;
  /** Bucket `b` is `perm[starts[b]] ... perm[starts[b + 1] - 1]` (`count + 1` entries). */
  starts: Int32Array;
}

/**
 * The `n` rows of `keys` (their kinds as `keyKindOf` gives them) cut into `count` buckets by
 * the hash of the keys: rows with equal keys land in the same bucket, whatever batch or
 * process they come from, since the hash depends on the key values alone. A null key hashes
 * like any other value (its rows land together).
 */
export function hashBuckets(
  keys: readonly Data[],
  kinds: readonly KeyKind[],
  n: number,
  count: number,
): HashBuckets {
  const of = new Int32Array(n);
  hashColumns(
    keys.map((k, i) => keyView(k, kinds[i]!)),
    n,
    of,
  );
  const starts = new Int32Array(count + 1);
  for (let i = 0; i < n; i++) {
    // `>>> 1` keeps the hash a non-negative int32, so `%` stays in small-integer arithmetic.
    const b = (of[i]! >>> 1) % count;
    of[i] = b;
    starts[b + 1]!++;
  }
  for (let b = 0; b < count; b++) starts[b + 1]! += starts[b]!;
  const perm = new Int32Array(n);
  const at = starts.slice(0, count);
  for (let i = 0; i < n; i++) perm[at[of[i]!]!++] = i;
  return { perm, starts };
}
