import type { Data } from "apache-arrow";
import { compareBytes } from "./groupby-rows.js";
import { checkKeyType, type KeyView, keyView } from "./hash.js";
import { radixSortIndices } from "./sort-radix.js";

export interface SortOrder {
  descending: boolean;
  nullsFirst: boolean;
}

export type Cmp = (a: number, b: number) => number;

/**
 * The row order that sorts `columns` (one per key): stable, per-key descending and null
 * placement, NaN greater than every number (Polars, DuckDB). With `limit` only the first
 * `limit` rows of that order are returned, found with a bounded heap instead of a full sort.
 */
export function sortIndices(
  columns: readonly Data[],
  orders: readonly SortOrder[],
  names: readonly string[],
  limit?: number,
): Int32Array {
  const n = columns[0]?.length ?? 0;
  const views = columns.map((c, k) =>
    keyView(c, checkKeyType(c.type, names[k] ?? `#${k}`, "sort")),
  );
  const k = limit === undefined ? n : Math.max(0, Math.min(limit, n));
  if (k === 0) return new Int32Array(0);
  const v = views[0]!;
  if (views.length === 1 && v.kind !== "bytes" && k * 8 > n) {
    const all = radixSort(v, columns[0]!, orders[0]!);
    return k < n ? all.slice(0, k) : all;
  }
  const cmp = comparator(views, columns, orders);
  if (k * 8 <= n) return topK(n, k, cmp);
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  // Ties fall back to the row number, so the order is stable whatever sort V8 uses.
  idx.sort((a, b) => cmp(a, b) || a - b);
  return k < n ? idx.slice(0, k) : idx;
}

/** The row comparator of `sortIndices` (without the row-number tie break). */
export function keyComparator(
  columns: readonly Data[],
  orders: readonly SortOrder[],
  names: readonly string[],
): Cmp {
  const views = columns.map((c, k) =>
    keyView(c, checkKeyType(c.type, names[k] ?? `#${k}`, "sort")),
  );
  return comparator(views, columns, orders);
}

export function nullAt(v: KeyView, i: number): boolean {
  if (!v.valid) return false;
  const b = v.bitOffset + i;
  return ((v.valid[b >> 3]! >> (b & 7)) & 1) === 0;
}

function valueCmp(v: KeyView, data: Data): Cmp {
  switch (v.kind) {
    case "num": {
      const a = v.num;
      return (x, y) => a[x]! - a[y]!;
    }
    case "float": {
      const a = v.num;
      return (x, y) => {
        const p = a[x]!;
        const q = a[y]!;
        if (p < q) return -1;
        if (p > q) return 1;
        if (p === q) return 0;
        // At least one NaN: NaN sorts after every number.
        return (Number.isNaN(p) ? 1 : 0) - (Number.isNaN(q) ? 1 : 0);
      };
    }
    case "bool": {
      const a = v.num;
      const o = v.bitOffset;
      return (x, y) =>
        ((a[(o + x) >> 3]! >> ((o + x) & 7)) & 1) - ((a[(o + y) >> 3]! >> ((o + y) & 7)) & 1);
    }
    case "i64": {
      const w = v.words;
      const flip =
        (data.type as unknown as { isSigned?: boolean }).isSigned === false ? 0x80000000 : 0;
      return (x, y) => {
        const h = (w[2 * x + 1]! ^ flip) - (w[2 * y + 1]! ^ flip);
        if (h !== 0) return h;
        return (w[2 * x]! >>> 0) - (w[2 * y]! >>> 0);
      };
    }
    case "bytes": {
      const o = v.offsets;
      const b = v.bytes;
      return (x, y) => compareBytes(b, o[x]!, o[x + 1]!, b, o[y]!, o[y + 1]!);
    }
  }
}

function comparator(
  views: readonly KeyView[],
  columns: readonly Data[],
  orders: readonly SortOrder[],
): Cmp {
  const cmps = views.map((v, k) => {
    const vc = valueCmp(v, columns[k]!);
    const sign = orders[k]!.descending ? -1 : 1;
    const nullSign = orders[k]!.nullsFirst ? -1 : 1;
    if (!v.valid) return sign === 1 ? vc : (x: number, y: number) => -vc(x, y);
    return (x: number, y: number) => {
      const nx = nullAt(v, x);
      const ny = nullAt(v, y);
      if (nx || ny) return nx && ny ? 0 : nx ? nullSign : -nullSign;
      return sign * vc(x, y);
    };
  });
  if (cmps.length === 1) return cmps[0]!;
  return (x, y) => {
    for (let k = 0; k < cmps.length; k++) {
      const c = cmps[k]!(x, y);
      if (c !== 0) return c;
    }
    return 0;
  };
}

/** The first k rows in sort order via a max-heap of size k (O(n log k)), then sorted. */
function topK(n: number, k: number, cmp: Cmp): Int32Array {
  // "a after b" in the final order; ties broken by row number keep the result stable.
  const after = (a: number, b: number) => {
    const c = cmp(a, b);
    return c > 0 || (c === 0 && a > b);
  };
  const heap = new Int32Array(k);
  let size = 0;
  const siftUp = (pos: number) => {
    const x = heap[pos]!;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      if (!after(x, heap[parent]!)) break;
      heap[pos] = heap[parent]!;
      pos = parent;
    }
    heap[pos] = x;
  };
  const siftDown = (pos: number) => {
    const x = heap[pos]!;
    for (;;) {
      let child = 2 * pos + 1;
      if (child >= size) break;
      if (child + 1 < size && after(heap[child + 1]!, heap[child]!)) child++;
      if (!after(heap[child]!, x)) break;
      heap[pos] = heap[child]!;
      pos = child;
    }
    heap[pos] = x;
  };
  for (let i = 0; i < n; i++) {
    if (size < k) {
      heap[size] = i;
      siftUp(size++);
    } else if (after(heap[0]!, i)) {
      heap[0] = i;
      siftDown(0);
    }
  }
  return heap.sort((a, b) => cmp(a, b) || a - b);
}

const f64 = new Float64Array(1);
const f64w = new Uint32Array(f64.buffer);

/**
 * Order-preserving unsigned words of one non-string key for rows `rows[j]` (every row when
 * null): comparing (hi, lo) as unsigned numbers gives the sort order, descending included.
 * Values of null rows are meaningless (callers place nulls themselves).
 */
export function orderWords(
  v: KeyView,
  data: Data,
  order: SortOrder,
  rows: Int32Array | null,
): { hi: Uint32Array | null; lo: Uint32Array } {
  const m = rows ? rows.length : v.length;
  const lo = new Uint32Array(m);
  let hi: Uint32Array | null = null;
  const inv = order.descending ? 0xffffffff : 0;
  switch (v.kind) {
    case "num": {
      const a = v.num;
      const signed = !(
        a instanceof Uint32Array ||
        a instanceof Uint16Array ||
        a instanceof Uint8Array
      );
      const flip = signed ? 0x80000000 : 0;
      for (let j = 0; j < m; j++) lo[j] = (a[rows ? rows[j]! : j]! ^ flip ^ inv) >>> 0;
      break;
    }
    case "bool": {
      const a = v.num;
      for (let j = 0; j < m; j++) {
        const b = v.bitOffset + (rows ? rows[j]! : j);
        lo[j] = (((a[b >> 3]! >> (b & 7)) & 1) ^ inv) >>> 0;
      }
      break;
    }
    case "float": {
      const a = v.num;
      hi = new Uint32Array(m);
      for (let j = 0; j < m; j++) {
        let x = a[rows ? rows[j]! : j]!;
        if (Number.isNaN(x)) x = Number.NaN;
        else if (x === 0) x = 0;
        f64[0] = x;
        const h = f64w[1]!;
        const l = f64w[0]!;
        // IEEE order trick: flip all bits of negatives, only the sign bit of positives.
        if (h & 0x80000000) {
          hi[j] = (~h ^ inv) >>> 0;
          lo[j] = (~l ^ inv) >>> 0;
        } else {
          hi[j] = (h ^ 0x80000000 ^ inv) >>> 0;
          lo[j] = (l ^ inv) >>> 0;
        }
      }
      break;
    }
    case "i64": {
      const w = v.words;
      const flip =
        (data.type as unknown as { isSigned?: boolean }).isSigned === false ? 0 : 0x80000000;
      hi = new Uint32Array(m);
      for (let j = 0; j < m; j++) {
        const r = rows ? rows[j]! : j;
        hi[j] = (w[2 * r + 1]! ^ flip ^ inv) >>> 0;
        lo[j] = (w[2 * r]! ^ inv) >>> 0;
      }
      break;
    }
    case "bytes":
      throw new Error("orderWords: strings use the comparator path");
  }
  return { hi, lo };
}

/** Single non-string key: nulls split off, the rest radix-sorted on order-preserving bits. */
function radixSort(v: KeyView, data: Data, order: SortOrder): Int32Array {
  const n = v.length;
  const nonNull = new Int32Array(n);
  const nulls = new Int32Array(Math.max(data.nullCount, 0));
  let m = 0;
  let z = 0;
  for (let i = 0; i < n; i++) {
    if (nullAt(v, i)) nulls[z++] = i;
    else nonNull[m++] = i;
  }
  const idx = nonNull.subarray(0, m);
  const { hi, lo } = orderWords(v, data, order, idx);
  const sorted = radixSortIndices(idx.slice(), hi, lo);
  const out = new Int32Array(n);
  if (order.nullsFirst) {
    out.set(nulls.subarray(0, z), 0);
    out.set(sorted, z);
  } else {
    out.set(sorted, 0);
    out.set(nulls.subarray(0, z), m);
  }
  return out;
}
