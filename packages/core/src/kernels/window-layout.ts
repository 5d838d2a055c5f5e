// The row layout a window operator computes over: the input rows grouped by partition (a
// stable counting sort on dense partition ids), each partition sorted by the order keys, and
// the bounds of every partition and of every group of peers (rows equal on the order keys).
import { type Data, Int32, makeData } from "apache-arrow";
import { GroupKeys } from "./groupby-keys.js";
import { keyComparator, type SortOrder, sortIndices } from "./sort.js";
import { takeData } from "./take.js";

/** Rows per partition below which one global sort beats a sort per partition. */
const SMALL_PARTITION = 64;

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
 * The layout of `n` rows partitioned by `partition` columns (none: one partition) and ordered
 * within each partition by `order` columns (none: input order). Stable: ties keep input order.
 */
export function windowLayout(
  n: number,
  partition: readonly Data[],
  order: readonly Data[],
  orders: readonly SortOrder[],
  names: readonly string[],
): WindowLayout {
  let grouped: Int32Array;
  let bounds: Int32Array;
  let gids: Int32Array | null = null;
  if (partition.length && n > 0) {
    gids = new Int32Array(n);
    const keys = new GroupKeys(partition.map((c) => c.type));
    keys.insert(partition, gids);
    const parts = keys.numGroups;
    bounds = new Int32Array(parts + 1);
    for (let i = 0; i < n; i++) bounds[gids[i]! + 1]!++;
    for (let p = 0; p < parts; p++) bounds[p + 1]! += bounds[p]!;
    const at = bounds.slice(0, parts);
    grouped = new Int32Array(n);
    for (let i = 0; i < n; i++) grouped[at[gids[i]!]!++] = i;
  } else {
    grouped = identity(n);
    bounds = Int32Array.of(0, n);
  }
  const parts = bounds.length - 1;
  let perm = grouped;
  if (order.length && n > 1) {
    if (gids && n < parts * SMALL_PARTITION) {
      // Many small partitions: one stable sort by (partition id, order keys).
      const gidCol = makeData({ type: new Int32(), length: n, nullCount: 0, data: gids });
      perm = sortIndices(
        [gidCol, ...order],
        [{ descending: false, nullsFirst: false }, ...orders],
        ["partition", ...names],
      );
    } else {
      perm = new Int32Array(n);
      const byPart = gids ? order.map((c) => takeData(c, grouped)) : [...order];
      for (let p = 0; p < parts; p++) {
        const s = bounds[p]!;
        const len = bounds[p + 1]! - s;
        if (len <= 1) {
          if (len === 1) perm[s] = grouped[s]!;
          continue;
        }
        const cols = byPart.map((c) => (len === n ? c : c.slice(s, len)));
        const local = sortIndices(cols, orders, names);
        for (let i = 0; i < len; i++) perm[s + i] = grouped[s + local[i]!]!;
      }
    }
  }
  const peerStart = new Int32Array(n);
  const peerEnd = new Int32Array(n);
  const cmp = order.length ? keyComparator(order, orders, names) : null;
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
      if (i > s && cmp(perm[i - 1]!, perm[i]!) !== 0) start = i;
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

function identity(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}
