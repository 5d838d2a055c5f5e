// The row layout a window operator computes over: the input rows grouped by partition, each
// partition sorted by the order keys, and the bounds of every partition and of every group of
// peers (rows equal on the order keys).
import type { Data } from "apache-arrow";
import { isFloat, isInt } from "../types/dtype.js";
import { keyKindOf } from "../types/typing-keys.js";
import { keyComparator, type SortOrder, sortIndices } from "./sort.js";
import { sortWithinPartitions } from "./window-partition-sort.js";

export interface WindowLayout {
  n: number;
  /** Sorted position -> input row. */
  perm: Int32Array;
  /** Partition starts in sorted positions, then n (length partitions + 1). */
  bounds: Int32Array;
  /** Per sorted position: the first position of its peer group, and one past its last. */
  peerStart: Int32Array;
  peerEnd: Int32Array;
}

/**
 * The layout of `n` rows in one partition, ordered by `order` columns (none: input order).
 * Stable: ties keep input order. Rows of several partitions are first moved into partition
 * order (kernels/window-partition.ts) and laid out by `partitionedLayout`.
 */
export function windowLayout(
  n: number,
  order: readonly Data[],
  orders: readonly SortOrder[],
  names: readonly string[],
): WindowLayout {
  const perm = order.length && n > 1 ? sortIndices(order, orders, names) : identity(n);
  return withPeers(n, perm, Int32Array.of(0, n), order, orders, names);
}

/**
 * The layout of rows already in partition order (kernels/window-partition.ts): partition `p`
 * holds positions `bounds[p]` to `bounds[p + 1]`. Each partition is sorted on its own, so the
 * sort reads and writes one partition's range at a time. Stable: ties keep their positions'
 * order.
 */
export function partitionedLayout(
  bounds: Int32Array,
  order: readonly Data[],
  orders: readonly SortOrder[],
  names: readonly string[],
): WindowLayout {
  const n = bounds[bounds.length - 1]!;
  const perm = order.length ? sortWithinPartitions(bounds, order, orders, names) : identity(n);
  return withPeers(n, perm, bounds, order, orders, names);
}

/** Per sorted position, the bounds of its group of peers (rows equal on the order keys). */
function withPeers(
  n: number,
  perm: Int32Array,
  bounds: Int32Array,
  order: readonly Data[],
  orders: readonly SortOrder[],
  names: readonly string[],
): WindowLayout {
  const parts = bounds.length - 1;
  const peerStart = new Int32Array(n);
  const peerEnd = new Int32Array(n);
  const cmp = order.length ? peerComparator(order, orders, names, perm) : null;
  for (let p = 0; p < parts; p++) {
    const s = bounds[p]!;
    const e = bounds[p + 1]!;
    if (!cmp) {
      peerStart.fill(s, s, e);
      peerEnd.fill(e, s, e);
      continue;
    }
    let start = s;
    for (let i = s; i < e; i++) {
      if (i > s && cmp(i - 1, i) !== 0) start = i;
      peerStart[i] = start;
    }
    let end = e;
    for (let i = e - 1; i >= s; i--) {
      peerEnd[i] = end;
      if (i > s && peerStart[i] === i) end = i;
    }
  }
  return { n, perm, bounds, peerStart, peerEnd };
}

/**
 * Compares two sorted positions by the order keys. One numeric key without nulls is read once
 * into sorted order (one random read per row instead of two per comparison).
 */
function peerComparator(
  order: readonly Data[],
  orders: readonly SortOrder[],
  names: readonly string[],
  perm: Int32Array,
): (a: number, b: number) => number {
  const key = order[0]!;
  if (order.length === 1 && key.nullCount === 0 && (isInt(key.type) || isFloat(key.type))) {
    const kind = keyKindOf(key.type);
    if (kind === "num" || kind === "float") {
      const a = key.values as ArrayLike<number>;
      const sorted = new Float64Array(perm.length);
      for (let i = 0; i < perm.length; i++) sorted[i] = a[perm[i]!]!;
      // NaN equals NaN here, as in the sort.
      return (x, y) => {
        const p = sorted[x]!;
        const q = sorted[y]!;
        return p === q || (Number.isNaN(p) && Number.isNaN(q)) ? 0 : 1;
      };
    }
  }
  const cmp = keyComparator(order, orders, names);
  return (x, y) => cmp(perm[x]!, perm[y]!);
}

function identity(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}
