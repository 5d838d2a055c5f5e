// Sorting rows that are already grouped by partition, one partition at a time, so every pass
// stays inside one partition's range. One number-like key sorts by a radix sort of 8-bit
// digits over its order-preserving words (sort.ts's orderWords); other keys by comparison.
import type { Data } from "apache-arrow";
import { checkKeyType, keyView } from "./hash.js";
import { keyComparator, nullAt, orderWords, type SortOrder } from "./sort.js";

/** Below this many rows a partition is sorted by insertion. */
const SMALL = 24;

/**
 * Sorted position -> position, each partition `[bounds[p], bounds[p + 1])` sorted on its own by
 * the `order` columns: stable, nulls placed per key, NaN greater than every number.
 */
export function sortWithinPartitions(
  bounds: Int32Array,
  order: readonly Data[],
  orders: readonly SortOrder[],
  names: readonly string[],
): Int32Array {
  const n = bounds[bounds.length - 1]!;
  const perm = new Int32Array(n);
  const key = order[0]!;
  const view = keyView(key, checkKeyType(key.type, names[0] ?? "#0", "sort"));
  if (order.length === 1 && view.kind !== "bytes") {
    const { hi, lo } = orderWords(view, key, orders[0]!, null);
    const nulls = key.nullCount > 0 ? (i: number) => nullAt(view, i) : null;
    sortByWords(bounds, hi, lo, nulls, orders[0]!.nullsFirst, perm);
    return perm;
  }
  const cmp = keyComparator(order, orders, names);
  for (let p = 0; p + 1 < bounds.length; p++) {
    const s = bounds[p]!;
    const e = bounds[p + 1]!;
    const part = perm.subarray(s, e);
    for (let i = s; i < e; i++) perm[i] = i;
    // Ties fall back to the position, so the order is stable whatever sort V8 uses.
    part.sort((a, b) => cmp(a, b) || a - b);
  }
  return perm;
}

function sortByWords(
  bounds: Int32Array,
  hi: Uint32Array | null,
  lo: Uint32Array,
  isNull: ((i: number) => boolean) | null,
  nullsFirst: boolean,
  perm: Int32Array,
): void {
  let largest = 0;
  for (let p = 0; p + 1 < bounds.length; p++)
    largest = Math.max(largest, bounds[p + 1]! - bounds[p]!);
  const a = new Int32Array(largest);
  const b = new Int32Array(largest);
  const digits = hi ? 8 : 4;
  const hist = new Int32Array(256 * digits);
  for (let p = 0; p + 1 < bounds.length; p++) {
    const s = bounds[p]!;
    const e = bounds[p + 1]!;
    // Non-null positions into `a`, in order; nulls counted and placed after the sort.
    let m = 0;
    let z = 0;
    for (let i = s; i < e; i++) {
      if (isNull?.(i)) z++;
      else a[m++] = i;
    }
    const sorted = m <= SMALL ? insertion(a, m, hi, lo) : radix(a, b, m, hi, lo, hist, digits);
    let at = nullsFirst ? s + z : s;
    for (let i = 0; i < m; i++) perm[at++] = sorted[i]!;
    if (z > 0) {
      at = nullsFirst ? s : s + m;
      for (let i = s; i < e; i++) if (isNull!(i)) perm[at++] = i;
    }
  }
}

/** Stable insertion sort of `idx[0..m)` by (hi, lo). */
function insertion(
  idx: Int32Array,
  m: number,
  hi: Uint32Array | null,
  lo: Uint32Array,
): Int32Array {
  for (let i = 1; i < m; i++) {
    const x = idx[i]!;
    const xh = hi ? hi[x]! : 0;
    const xl = lo[x]!;
    let j = i - 1;
    while (j >= 0) {
      const y = idx[j]!;
      const yh = hi ? hi[y]! : 0;
      if (yh < xh || (yh === xh && lo[y]! <= xl)) break;
      idx[j + 1] = y;
      j--;
    }
    idx[j + 1] = x;
  }
  return idx;
}

/**
 * Stable LSD radix sort of `a[0..m)` by (hi, lo), 8 bits a pass; a digit that is the same for
 * every row is skipped. Returns whichever of `a` and `b` holds the result.
 */
function radix(
  a: Int32Array,
  b: Int32Array,
  m: number,
  hi: Uint32Array | null,
  lo: Uint32Array,
  hist: Int32Array,
  digits: number,
): Int32Array {
  hist.fill(0);
  for (let i = 0; i < m; i++) {
    const l = lo[a[i]!]!;
    hist[l & 0xff]!++;
    hist[256 + ((l >>> 8) & 0xff)]!++;
    hist[512 + ((l >>> 16) & 0xff)]!++;
    hist[768 + (l >>> 24)]!++;
    if (hi) {
      const h = hi[a[i]!]!;
      hist[1024 + (h & 0xff)]!++;
      hist[1280 + ((h >>> 8) & 0xff)]!++;
      hist[1536 + ((h >>> 16) & 0xff)]!++;
      hist[1792 + (h >>> 24)]!++;
    }
  }
  let src = a;
  let dst = b;
  for (let d = 0; d < digits; d++) {
    const base = d * 256;
    let constant = false;
    let sum = 0;
    for (let v = 0; v < 256; v++) {
      const c = hist[base + v]!;
      if (c === m) constant = true;
      hist[base + v] = sum;
      sum += c;
    }
    if (constant) continue;
    const words = d < 4 ? lo : hi!;
    const shift = (d & 3) * 8;
    for (let i = 0; i < m; i++) {
      const x = src[i]!;
      dst[hist[base + ((words[x]! >>> shift) & 0xff)]!++] = x;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  return src;
}
