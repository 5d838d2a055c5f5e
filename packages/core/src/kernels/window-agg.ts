// Aggregations over window frames, one pass each. Frames only move forward (window-frame.ts),
// so sums, means and counts slide by adding the rows that enter and subtracting the rows that
// leave (a compensated float sum, with NaN and infinities counted apart so they leave again),
// min and max keep a monotonic deque of candidate rows, countDistinct a count per value.
import { type Data, type DataType, Float64, Int64, makeData, Type, Uint64 } from "apache-arrow";
import type { AggFn } from "../expr/ast.js";
import { bitmapBytes } from "./bits.js";
import { numberReader } from "./groupby-state.js";
import { keyComparator } from "./sort.js";
import { takeData } from "./take.js";
import { valuesOf } from "./to-js.js";
import type { FrameBounds } from "./window-frame.js";

/** One row's validity bit in `data` (null bitmap and offset applied). */
const validReader = (data: Data): ((r: number) => boolean) => {
  const bm = data.nullCount > 0 ? data.nullBitmap : null;
  const bo = data.offset;
  return bm ? (r) => ((bm[(bo + r) >> 3]! >> ((bo + r) & 7)) & 1) === 1 : () => true;
};

/** `fn` of `arg` over each row's frame, in input row order. */
export function windowAggregate(
  fn: AggFn,
  arg: Data | null,
  out: DataType,
  perm: Int32Array,
  frames: FrameBounds,
): Data {
  const n = perm.length;
  switch (fn) {
    case "countRows": {
      const c = new Float64Array(n);
      for (let i = 0; i < n; i++) c[perm[i]!] = frames.end[i]! - frames.start[i]!;
      return int64From(c, null);
    }
    case "count": {
      const ok = validReader(arg!);
      const prefix = new Int32Array(n + 1);
      for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i]! + (ok(perm[i]!) ? 1 : 0);
      const c = new Float64Array(n);
      for (let i = 0; i < n; i++) c[perm[i]!] = prefix[frames.end[i]!]! - prefix[frames.start[i]!]!;
      return int64From(c, null);
    }
    case "sum":
    case "mean":
      return slidingSum(fn === "mean", arg!, out, perm, frames);
    case "min":
    case "max":
      return takeData(arg!, slidingExtreme(fn === "max", arg!, perm, frames));
    case "first":
    case "last": {
      const idx = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const s = frames.start[i]!;
        const e = frames.end[i]!;
        idx[perm[i]!] = s < e ? perm[fn === "first" ? s : e - 1]! : -1;
      }
      return takeData(arg!, idx);
    }
    case "countDistinct":
      return slidingDistinct(arg!, perm, frames);
    default:
      throw new Error(`internal: ${fn}() has no window kernel`);
  }
}

/** The argument in sorted order as numbers, with a validity byte per row. */
function sortedNumbers(arg: Data, perm: Int32Array): { v: Float64Array; ok: Uint8Array } {
  const n = perm.length;
  const v = new Float64Array(n);
  const ok = new Uint8Array(n);
  const valid = validReader(arg);
  if (arg.typeId === Type.Bool) {
    const bits = arg.values as Uint8Array;
    const o = arg.offset;
    for (let i = 0; i < n; i++) {
      const r = perm[i]!;
      if (!valid(r)) continue;
      ok[i] = 1;
      v[i] = (bits[(o + r) >> 3]! >> ((o + r) & 7)) & 1;
    }
    return { v, ok };
  }
  const { a, w, unsigned } = numberReader(arg);
  for (let i = 0; i < n; i++) {
    const r = perm[i]!;
    if (!valid(r)) continue;
    ok[i] = 1;
    v[i] = w
      ? (unsigned ? w[2 * r + 1]! >>> 0 : w[2 * r + 1]!) * 4294967296 + (w[2 * r]! >>> 0)
      : a[r]!;
  }
  return { v, ok };
}

function slidingSum(
  mean: boolean,
  arg: Data,
  out: DataType,
  perm: Int32Array,
  frames: FrameBounds,
): Data {
  const n = perm.length;
  const { v, ok } = sortedNumbers(arg, perm);
  const res = new Float64Array(n);
  const has = new Uint8Array(n);
  // Neumaier-compensated running sum of the finite values; NaN and infinities counted. (The
  // updates are written out in both loops: a closure over these counters is several times
  // slower per row.)
  let sum = 0;
  let comp = 0;
  let cnt = 0;
  let nan = 0;
  let pos = 0;
  let neg = 0;
  let lo = 0;
  let hi = 0;
  const { start, end } = frames;
  for (let i = 0; i < n; i++) {
    const a = start[i]!;
    const b = end[i]!;
    if (a >= hi) {
      sum = comp = cnt = nan = pos = neg = 0;
      lo = hi = a;
    }
    for (; hi < b; hi++) {
      if (!ok[hi]) continue;
      const y = v[hi]!;
      cnt++;
      if (y - y !== 0) {
        if (Number.isNaN(y)) nan++;
        else if (y > 0) pos++;
        else neg++;
        continue;
      }
      const t = sum + y;
      comp += Math.abs(sum) >= Math.abs(y) ? sum - t + y : y - t + sum;
      sum = t;
    }
    for (; lo < a; lo++) {
      if (!ok[lo]) continue;
      const y = -v[lo]!;
      cnt--;
      if (y - y !== 0) {
        if (Number.isNaN(y)) nan--;
        else if (y < 0) pos--;
        else neg--;
      } else {
        const t = sum + y;
        comp += Math.abs(sum) >= Math.abs(y) ? sum - t + y : y - t + sum;
        sum = t;
      }
      if (cnt === 0) sum = comp = 0;
    }
    if (cnt === 0) continue;
    const r = perm[i]!;
    has[r] = 1;
    const total = nan || (pos && neg) ? Number.NaN : pos ? Infinity : neg ? -Infinity : sum + comp;
    res[r] = mean ? total / cnt : total;
  }
  if (out.typeId === Type.Int) return int64From(res, has, out);
  return makeData({ type: new Float64(), length: n, ...nulls(has), data: res });
}

/** Validity from a byte per row (1 = valid). */
function nulls(has: Uint8Array): { nullCount: number; nullBitmap: Uint8Array | null } {
  const n = has.length;
  const bm = new Uint8Array(bitmapBytes(n));
  let missing = 0;
  for (let i = 0; i < n; i++) {
    if (has[i]) bm[i >> 3]! |= 1 << (i & 7);
    else missing++;
  }
  return missing ? { nullCount: missing, nullBitmap: bm } : { nullCount: 0, nullBitmap: null };
}

/** Whole numbers held as float64 written as int64 (or uint64) words, without BigInts. */
function int64From(x: Float64Array, has: Uint8Array | null, type: DataType = new Int64()): Data {
  const n = x.length;
  const words = new Int32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    const hi = Math.floor(v / 4294967296);
    words[2 * i] = (v - hi * 4294967296) | 0;
    words[2 * i + 1] = hi | 0;
  }
  const unsigned = type instanceof Uint64 || (type as { isSigned?: boolean }).isSigned === false;
  const data = unsigned ? new BigUint64Array(words.buffer) : new BigInt64Array(words.buffer);
  const validity = has ? nulls(has) : { nullCount: 0, nullBitmap: null };
  return makeData({ type: unsigned ? new Uint64() : new Int64(), length: n, ...validity, data });
}

/** Per row, the input row holding its frame's min (or max), or -1 when the frame has none. */
function slidingExtreme(
  max: boolean,
  arg: Data,
  perm: Int32Array,
  frames: FrameBounds,
): Int32Array {
  const n = perm.length;
  const valid = validReader(arg);
  const cmp = keyComparator([arg], [{ descending: false, nullsFirst: false }], ["value"]);
  // worse(x, y): row x can never again be the answer once row y (later) is in the frame.
  const worse = max
    ? (x: number, y: number) => cmp(x, y) <= 0
    : (x: number, y: number) => cmp(x, y) >= 0;
  const dq = new Int32Array(n);
  let head = 0;
  let tail = 0;
  let hi = 0;
  const idx = new Int32Array(n);
  const { start, end } = frames;
  for (let i = 0; i < n; i++) {
    const a = start[i]!;
    const b = end[i]!;
    if (a >= hi) {
      head = tail = 0;
      hi = a;
    }
    for (; hi < b; hi++) {
      const r = perm[hi]!;
      if (!valid(r)) continue;
      while (tail > head && worse(perm[dq[tail - 1]!]!, r)) tail--;
      dq[tail++] = hi;
    }
    while (head < tail && dq[head]! < a) head++;
    idx[perm[i]!] = head < tail ? perm[dq[head]!]! : -1;
  }
  return idx;
}

function slidingDistinct(arg: Data, perm: Int32Array, frames: FrameBounds): Data {
  const n = perm.length;
  const raw = valuesOf(arg);
  const key = (r: number): unknown => {
    const x = raw[r];
    if (x instanceof Uint8Array) return `b${x.join(",")}`;
    return x instanceof Date ? x.getTime() : x;
  };
  const counts = new Map<unknown, number>();
  const res = new Float64Array(n);
  let lo = 0;
  let hi = 0;
  const { start, end } = frames;
  for (let i = 0; i < n; i++) {
    const a = start[i]!;
    const b = end[i]!;
    if (a >= hi) {
      counts.clear();
      lo = hi = a;
    }
    for (; hi < b; hi++) {
      const k = key(perm[hi]!);
      if (k !== null) counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    for (; lo < a; lo++) {
      const k = key(perm[lo]!);
      if (k === null) continue;
      const c = counts.get(k)! - 1;
      if (c === 0) counts.delete(k);
      else counts.set(k, c);
    }
    res[perm[i]!] = counts.size;
  }
  return int64From(res, null);
}
