// Frame bounds per row: the half-open range [start, end) of sorted positions each row's frame
// covers. Both bounds never decrease along the sorted rows (frames move forward within a
// partition, and partitions follow each other), which is what lets every aggregation slide
// with O(1) work per row (window-agg.ts).
import type { Data } from "apache-arrow";
import type { WindowFrame } from "../expr/ast.js";
import { numberReader } from "./groupby-state.js";
import type { WindowLayout } from "./window-layout.js";

export interface FrameBounds {
  start: Int32Array;
  end: Int32Array;
}

/**
 * The bounds of `frame` over `layout`. A rows frame counts positions; a range frame with
 * offsets 0 or "unbounded" goes by peers; one with other offsets compares the values of the
 * single numeric order key `key` (descending flips the direction). Rows whose key is null or
 * NaN have only their peers for a bounded side; other rows never reach them.
 */
export function frameBounds(
  layout: WindowLayout,
  frame: WindowFrame,
  key: Data | null,
  descending: boolean,
): FrameBounds {
  const { n, bounds, peerStart, peerEnd } = layout;
  const start = new Int32Array(n);
  const end = new Int32Array(n);
  const parts = bounds.length - 1;
  const lo = frame.start;
  const hi = frame.end;
  const byValue =
    frame.unit === "range" &&
    ((typeof lo === "number" && lo !== 0) || (typeof hi === "number" && hi !== 0));
  if (byValue) {
    rangeByValue(layout, lo, hi, sortedKeys(key!, layout.perm, descending), start, end);
    return { start, end };
  }
  for (let p = 0; p < parts; p++) {
    const s = bounds[p]!;
    const e = bounds[p + 1]!;
    for (let i = s; i < e; i++) {
      if (frame.unit === "rows") {
        start[i] = lo === "unbounded" ? s : clamp(i + lo, s, e);
        end[i] = hi === "unbounded" ? e : clamp(i + hi + 1, s, e);
      } else {
        start[i] = lo === "unbounded" ? s : peerStart[i]!;
        end[i] = hi === "unbounded" ? e : peerEnd[i]!;
      }
    }
  }
  return { start, end };
}

const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(v, hi));

/** The order key in sorted order as numbers (negated when descending); NaN for null. */
function sortedKeys(key: Data, perm: Int32Array, descending: boolean): Float64Array {
  const { a, w, unsigned } = numberReader(key);
  const valid = key.nullCount > 0 ? key.nullBitmap : null;
  const bo = key.offset;
  const sign = descending ? -1 : 1;
  const out = new Float64Array(perm.length);
  for (let i = 0; i < perm.length; i++) {
    const r = perm[i]!;
    if (valid && ((valid[(bo + r) >> 3]! >> ((bo + r) & 7)) & 1) === 0) {
      out[i] = Number.NaN;
      continue;
    }
    const v = w
      ? (unsigned ? w[2 * r + 1]! >>> 0 : w[2 * r + 1]!) * 4294967296 + (w[2 * r]! >>> 0)
      : a[r]!;
    out[i] = sign * v;
  }
  return out;
}

function rangeByValue(
  layout: WindowLayout,
  lo: number | "unbounded",
  hi: number | "unbounded",
  v: Float64Array,
  start: Int32Array,
  end: Int32Array,
): void {
  const { bounds, peerStart, peerEnd } = layout;
  for (let p = 0; p + 1 < bounds.length; p++) {
    const s = bounds[p]!;
    const e = bounds[p + 1]!;
    // The numbers form one run of the partition; nulls and NaN sit before or after it.
    let ns = s;
    while (ns < e && Number.isNaN(v[ns]!)) ns = peerEnd[ns]!;
    let ne = ns;
    while (ne < e && !Number.isNaN(v[ne]!)) ne++;
    let a = ns;
    let b = ns;
    for (let i = s; i < e; i++) {
      if (i < ns || i >= ne) {
        start[i] = lo === "unbounded" ? s : peerStart[i]!;
        end[i] = hi === "unbounded" ? e : peerEnd[i]!;
        continue;
      }
      const x = v[i]!;
      if (lo === "unbounded") start[i] = s;
      else {
        const t = x + lo;
        while (a < ne && v[a]! < t) a++;
        start[i] = a;
      }
      if (hi === "unbounded") end[i] = e;
      else {
        const t = x + hi;
        if (b < a) b = a;
        while (b < ne && v[b]! <= t) b++;
        end[i] = b;
      }
    }
  }
}
