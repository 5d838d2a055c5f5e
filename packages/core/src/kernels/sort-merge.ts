import type { Data } from "apache-arrow";
import { checkKeyType, type KeyKind, keyView } from "./hash.js";
import { keyComparator, nullAt, orderWords, type SortOrder } from "./sort.js";

/**
 * The k-way merge of sorted runs. `keys` are the key columns of the whole input; each run is
 * a list of row numbers into it in sorted order, and runs cover consecutive row ranges in
 * input order (run r's rows all come before run r+1's). Returns the merged row order.
 * Stable: on equal keys the lower row number goes first, so the result equals one stable
 * sort of the whole input.
 */
export function mergeRuns(
  keys: readonly Data[],
  orders: readonly SortOrder[],
  names: readonly string[],
  runs: readonly Int32Array[],
): Int32Array {
  const live = runs.filter((r) => r.length > 0);
  if (live.length === 1) return live[0]!;
  let total = 0;
  for (const r of live) total += r.length;
  const out = new Int32Array(total);
  if (live.length === 0) return out;
  const k0 = keys[0]!;
  const kind = checkKeyType(k0.type, names[0] ?? "#0", "sort");
  if (keys.length === 1 && kind !== "bytes")
    return mergeOneNumeric(k0, kind, orders[0]!, live, out);
  const cmp = keyComparator(keys, orders, names);
  return merge(live, out, (x, y) => {
    const c = cmp(x, y);
    return c < 0 || (c === 0 && x < y);
  });
}

/** "Row x sorts before row y" (ties by row number). */
type Less = (x: number, y: number) => boolean;

/**
 * One numeric key: compare order-preserving words instead of calling a comparator per step.
 * Nulls are equal to each other and sit at one end of every run, so they are taken out and
 * put back (in row order) before or after the merged values.
 */
function mergeOneNumeric(
  key: Data,
  kind: Exclude<KeyKind, "bytes">,
  order: SortOrder,
  runs: readonly Int32Array[],
  out: Int32Array,
): Int32Array {
  const v = keyView(key, kind);
  const { hi, lo } = orderWords(v, key, order, null);
  const less: Less = hi
    ? (x, y) => {
        const a = hi[x]!;
        const b = hi[y]!;
        if (a !== b) return a < b;
        const c = lo[x]!;
        const d = lo[y]!;
        return c < d || (c === d && x < y);
      }
    : (x, y) => {
        const c = lo[x]!;
        const d = lo[y]!;
        return c < d || (c === d && x < y);
      };
  if (!v.valid) return merge(runs, out, less);
  const values: Int32Array[] = [];
  const nulls: Int32Array[] = [];
  let nullCount = 0;
  for (const run of runs) {
    let z = 0;
    if (order.nullsFirst) while (z < run.length && nullAt(v, run[z]!)) z++;
    else while (z < run.length && nullAt(v, run[run.length - 1 - z]!)) z++;
    nullCount += z;
    const cut = order.nullsFirst ? z : run.length - z;
    const [a, b] = [run.subarray(0, cut), run.subarray(cut)];
    nulls.push(order.nullsFirst ? a : b);
    values.push(order.nullsFirst ? b : a);
  }
  const live = values.filter((r) => r.length > 0);
  const at = order.nullsFirst ? nullCount : 0;
  const merged = out.subarray(at, at + out.length - nullCount);
  if (live.length === 1) merged.set(live[0]!);
  else if (live.length > 1) merge(live, merged, less);
  let o = order.nullsFirst ? 0 : out.length - nullCount;
  for (const part of nulls) {
    out.set(part, o);
    o += part.length;
  }
  return out;
}

function merge(runs: readonly Int32Array[], out: Int32Array, less: Less): Int32Array {
  const k = runs.length;
  const pos = new Int32Array(k);
  // A heap of run ids ordered by each run's next row.
  const heap = new Int32Array(k);
  let size = k;
  for (let r = 0; r < k; r++) heap[r] = r;
  const head = (r: number) => runs[r]![pos[r]!]!;
  const siftDown = (at: number) => {
    const r = heap[at]!;
    const x = head(r);
    for (;;) {
      let child = 2 * at + 1;
      if (child >= size) break;
      if (child + 1 < size && less(head(heap[child + 1]!), head(heap[child]!))) child++;
      if (!less(head(heap[child]!), x)) break;
      heap[at] = heap[child]!;
      at = child;
    }
    heap[at] = r;
  };
  for (let i = (size >> 1) - 1; i >= 0; i--) siftDown(i);
  let o = 0;
  while (size > 0) {
    const r = heap[0]!;
    const run = runs[r]!;
    let p = pos[r]!;
    if (size === 1) {
      out.set(run.subarray(p), o);
      break;
    }
    // Take rows from the front run while they stay ahead of the runner-up's next row.
    const second =
      size === 2 ? heap[1]! : less(head(heap[2]!), head(heap[1]!)) ? heap[2]! : heap[1]!;
    const q = head(second);
    do out[o++] = run[p++]!;
    while (p < run.length && less(run[p]!, q));
    pos[r] = p;
    if (p === run.length) heap[0] = heap[--size]!;
    siftDown(0);
  }
  return out;
}
