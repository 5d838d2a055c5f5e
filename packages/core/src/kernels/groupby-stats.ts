// Group variance/standard deviation (mergeable count, mean, M2), product, and exact
// quantiles/median (the state is the group's values).
import { type Data, Field, Float64, List, makeData } from "apache-arrow";
import {
  f64Column,
  type GroupAccumulator,
  growF64,
  growU8,
  listGids,
  numberReader,
  seenBitmap,
  u8Column,
  validBit,
} from "./groupby-state.js";

/** The non-null values of a numeric column as float64, with the group of each. */
function nonNullValues(gids: Int32Array, data: Data): { vals: Float64Array; gids: Int32Array } {
  const n = gids.length;
  const valid = validBit(data);
  const { a, w, unsigned } = numberReader(data);
  const bo = data.offset;
  const vals = new Float64Array(n);
  const g = new Int32Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (valid) {
      const b = bo + i;
      if (((valid[b >> 3]! >> (b & 7)) & 1) === 0) continue;
    }
    if (w) {
      const hi = unsigned ? w[2 * i + 1]! >>> 0 : w[2 * i + 1]!;
      vals[m] = hi * 4294967296 + (w[2 * i]! >>> 0);
    } else vals[m] = a[i]!;
    g[m++] = gids[i]!;
  }
  return { vals: vals.subarray(0, m), gids: g.subarray(0, m) };
}

/**
 * Variance and standard deviation by Welford's update per value and Chan et al.'s pairwise
 * merge of (count, mean, M2) states, so partitions merge without a second pass and without
 * the cancellation of sum-of-squares formulas. The result divides M2 by count - ddof: null
 * when that is not positive (one value has no sample variance).
 */
export class VarAcc implements GroupAccumulator {
  readonly stateWidth = 3;
  private c = new Float64Array(0);
  private mean = new Float64Array(0);
  private m2 = new Float64Array(0);
  constructor(
    private readonly ddof: number,
    private readonly sqrt: boolean,
  ) {}
  private grow(numGroups: number): void {
    this.c = growF64(this.c, numGroups);
    this.mean = growF64(this.mean, numGroups);
    this.m2 = growF64(this.m2, numGroups);
  }
  update(gids: Int32Array, arg: Data | null, numGroups: number): void {
    this.grow(numGroups);
    const { c, mean, m2 } = this;
    const { vals, gids: g } = nonNullValues(gids, arg!);
    for (let i = 0; i < vals.length; i++) {
      const x = vals[i]!;
      const k = g[i]!;
      const n = ++c[k]!;
      const d = x - mean[k]!;
      mean[k]! += d / n;
      m2[k]! += d * (x - mean[k]!);
    }
  }
  state(numGroups: number): Data[] {
    this.grow(numGroups);
    return [
      f64Column(this.c, numGroups),
      f64Column(this.mean, numGroups),
      f64Column(this.m2, numGroups),
    ];
  }
  merge(map: Int32Array, state: readonly Data[], numGroups: number): void {
    this.grow(numGroups);
    const { c, mean, m2 } = this;
    const [pc, pm, pq] = state.map((d) => d.values as Float64Array) as [
      Float64Array,
      Float64Array,
      Float64Array,
    ];
    for (let r = 0; r < map.length; r++) {
      const nb = pc[r]!;
      if (nb === 0) continue;
      const k = map[r]!;
      const na = c[k]!;
      if (na === 0) {
        c[k] = nb;
        mean[k] = pm[r]!;
        m2[k] = pq[r]!;
        continue;
      }
      const n = na + nb;
      const d = pm[r]! - mean[k]!;
      mean[k]! += (d * nb) / n;
      m2[k]! += pq[r]! + ((d * d * na) / n) * nb;
      c[k] = n;
    }
  }
  finish(numGroups: number): Data {
    this.grow(numGroups);
    const out = new Float64Array(numGroups);
    const has = new Uint8Array(numGroups);
    for (let g = 0; g < numGroups; g++) {
      const dof = this.c[g]! - this.ddof;
      if (dof <= 0) continue;
      has[g] = 1;
      // M2 of equal values can come out a hair below zero after merges (NaN stays NaN).
      const m = this.m2[g]!;
      const v = Math.max(0, m) / dof;
      out[g] = this.sqrt ? Math.sqrt(v) : v;
    }
    return f64Column(out, numGroups, seenBitmap(has, numGroups));
  }
}

/** The product of the non-null values as float64; null for a group without any. */
export class ProductAcc implements GroupAccumulator {
  readonly stateWidth = 2;
  private p = new Float64Array(0);
  private seen = new Uint8Array(0);
  private grow(numGroups: number): void {
    const before = this.p.length;
    this.p = growF64(this.p, numGroups);
    if (this.p.length > before) this.p.fill(1, before);
    this.seen = growU8(this.seen, numGroups);
  }
  update(gids: Int32Array, arg: Data | null, numGroups: number): void {
    this.grow(numGroups);
    const { vals, gids: g } = nonNullValues(gids, arg!);
    for (let i = 0; i < vals.length; i++) {
      this.p[g[i]!]! *= vals[i]!;
      this.seen[g[i]!] = 1;
    }
  }
  state(numGroups: number): Data[] {
    this.grow(numGroups);
    return [f64Column(this.p, numGroups), u8Column(this.seen, numGroups)];
  }
  merge(map: Int32Array, state: readonly Data[], numGroups: number): void {
    this.grow(numGroups);
    const pp = state[0]!.values as Float64Array;
    const ps = state[1]!.values as Uint8Array;
    for (let r = 0; r < map.length; r++) {
      if (!ps[r]) continue;
      this.p[map[r]!]! *= pp[r]!;
      this.seen[map[r]!] = 1;
    }
  }
  finish(numGroups: number): Data {
    this.grow(numGroups);
    return f64Column(this.p, numGroups, seenBitmap(this.seen, numGroups));
  }
}

export type Interpolation = "linear" | "nearest" | "lower" | "higher";

/**
 * The q-quantile of sorted values `a[s, e)` (e > s). Linear is DuckDB's quantile_cont: the
 * position q * (n - 1) between its floor and ceiling values; NaN sorts above every number.
 */
export function quantileOf(a: Float64Array, s: number, e: number, q: number, how: Interpolation) {
  const pos = q * (e - s - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  switch (how) {
    case "lower":
      return a[s + lo]!;
    case "higher":
      return a[s + hi]!;
    case "nearest":
      return a[s + Math.round(pos)]!;
    case "linear": {
      const x = a[s + lo]!;
      if (lo === hi) return x;
      return x + (pos - lo) * (a[s + hi]! - x);
    }
  }
}

/**
 * Exact quantiles (median is the 0.5 quantile): the state is every non-null value of each
 * group, as list<float64>; the result sorts each group's values once.
 */
export class QuantileAcc implements GroupAccumulator {
  readonly stateWidth = 1;
  private readonly vals: Float64Array[] = [];
  private readonly gidChunks: Int32Array[] = [];
  constructor(
    private readonly q: number,
    private readonly how: Interpolation,
  ) {}
  update(gids: Int32Array, arg: Data | null): void {
    const { vals, gids: g } = nonNullValues(gids, arg!);
    this.vals.push(vals);
    this.gidChunks.push(g);
  }
  /** Every group's values, contiguous by group (input order within a group). */
  private grouped(numGroups: number): { offsets: Int32Array; values: Float64Array } {
    const offsets = new Int32Array(numGroups + 1);
    for (const g of this.gidChunks) for (let i = 0; i < g.length; i++) offsets[g[i]! + 1]!++;
    for (let g = 0; g < numGroups; g++) offsets[g + 1]! += offsets[g]!;
    const next = offsets.slice(0, numGroups);
    const values = new Float64Array(offsets[numGroups]!);
    this.gidChunks.forEach((g, c) => {
      const v = this.vals[c]!;
      for (let i = 0; i < g.length; i++) values[next[g[i]!]!++] = v[i]!;
    });
    return { offsets, values };
  }
  state(numGroups: number): Data[] {
    const { offsets, values } = this.grouped(numGroups);
    const child = makeData({ type: new Float64(), length: values.length, data: values });
    const type = new List(new Field("item", new Float64(), false));
    return [makeData({ type, length: numGroups, nullCount: 0, valueOffsets: offsets, child })];
  }
  merge(map: Int32Array, state: readonly Data[]): void {
    const { gids, child } = listGids(state[0]!, map);
    this.vals.push(child.values as Float64Array);
    this.gidChunks.push(gids);
  }
  finish(numGroups: number): Data {
    const { offsets, values } = this.grouped(numGroups);
    const out = new Float64Array(numGroups);
    const has = new Uint8Array(numGroups);
    for (let g = 0; g < numGroups; g++) {
      const s = offsets[g]!;
      const e = offsets[g + 1]!;
      if (e === s) continue;
      // A typed array sorts numerically with NaN last: DuckDB's order for quantiles.
      values.subarray(s, e).sort();
      out[g] = quantileOf(values, s, e, this.q, this.how);
      has[g] = 1;
    }
    return f64Column(out, numGroups, seenBitmap(has, numGroups));
  }
}
