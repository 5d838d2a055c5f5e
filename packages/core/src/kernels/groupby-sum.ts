// Group sums and means: float64 accumulation for floats, exact two-word sums for integers.
import { type Data, type DataType, Float64, type Int64, makeData } from "apache-arrow";
import {
  f64Column,
  type GroupAccumulator,
  growF64,
  growU8,
  isUint64,
  numberReader,
  seenBitmap,
  validBit,
} from "./groupby-state.js";

/** Float sums and means: float64 accumulators; `mean` also counts. All-null groups give null. */
export class FloatSumAcc implements GroupAccumulator {
  readonly selects = true;
  readonly stateWidth = 2;
  private s = new Float64Array(0);
  private c = new Float64Array(0);
  constructor(private readonly mean: boolean) {}
  update(gids: Int32Array, arg: Data | null, numGroups: number, sel?: Int32Array): void {
    const s = (this.s = growF64(this.s, numGroups));
    const c = (this.c = growF64(this.c, numGroups));
    const n = gids.length;
    const data = arg!;
    const valid = validBit(data);
    const { a, w, unsigned } = numberReader(data);
    const bo = data.offset;
    if (sel) {
      for (let j = 0; j < n; j++) {
        const i = sel[j]!;
        if (valid) {
          const b = bo + i;
          if (((valid[b >> 3]! >> (b & 7)) & 1) === 0) continue;
        }
        const g = gids[j]!;
        if (w) {
          const hi = unsigned ? w[2 * i + 1]! >>> 0 : w[2 * i + 1]!;
          s[g]! += hi * 4294967296 + (w[2 * i]! >>> 0);
        } else s[g]! += a[i]!;
        c[g]!++;
      }
      return;
    }
    if (w) {
      for (let i = 0; i < n; i++) {
        if (valid) {
          const b = bo + i;
          if (((valid[b >> 3]! >> (b & 7)) & 1) === 0) continue;
        }
        const hi = unsigned ? w[2 * i + 1]! >>> 0 : w[2 * i + 1]!;
        const g = gids[i]!;
        s[g]! += hi * 4294967296 + (w[2 * i]! >>> 0);
        c[g]!++;
      }
      return;
    }
    if (!valid) {
      for (let i = 0; i < n; i++) {
        const g = gids[i]!;
        s[g]! += a[i]!;
        c[g]!++;
      }
      return;
    }
    for (let i = 0; i < n; i++) {
      const b = bo + i;
      if (((valid[b >> 3]! >> (b & 7)) & 1) === 0) continue;
      const g = gids[i]!;
      s[g]! += a[i]!;
      c[g]!++;
    }
  }
  state(numGroups: number): Data[] {
    this.s = growF64(this.s, numGroups);
    this.c = growF64(this.c, numGroups);
    return [f64Column(this.s, numGroups), f64Column(this.c, numGroups)];
  }
  merge(map: Int32Array, state: readonly Data[], numGroups: number): void {
    const s = (this.s = growF64(this.s, numGroups));
    const c = (this.c = growF64(this.c, numGroups));
    const ps = state[0]!.values as Float64Array;
    const pc = state[1]!.values as Float64Array;
    for (let r = 0; r < map.length; r++) {
      const g = map[r]!;
      s[g]! += ps[r]!;
      c[g]! += pc[r]!;
    }
  }
  finish(numGroups: number): Data {
    return this.finishAs(numGroups, this.mean);
  }
  /** The sums, or the means when `mean` (one accumulator can answer both). */
  finishAs(numGroups: number, mean: boolean): Data {
    const s = growF64(this.s, numGroups);
    const c = growF64(this.c, numGroups);
    const out = new Float64Array(numGroups);
    const seen = new Uint8Array(numGroups);
    for (let g = 0; g < numGroups; g++) {
      if (c[g]! > 0) {
        seen[g] = 1;
        out[g] = mean ? s[g]! / c[g]! : s[g]!;
      }
    }
    return makeData({
      type: new Float64(),
      length: numGroups,
      data: out,
      ...seenBitmap(seen, numGroups),
    });
  }
}

const TWO32 = 4294967296;
/** Rows between carries: each row adds < 2^32 to `lo`, so 2^20 rows keep it below 2^52. */
const CARRY_ROWS = 1 << 20;

/**
 * Exact integer sums without BigInt per row: `lo` gathers low words (or whole <=32-bit
 * values) and `hi` gathers high words, in float64 (exact below 2^53); every 2^20 rows the
 * multiples of 2^32 in `lo` move to `hi`. The result wraps to 64 bits like Polars, as int64
 * or uint64 (`out`, the type the plan resolved).
 */
export class IntSumAcc implements GroupAccumulator {
  readonly selects = true;
  readonly stateWidth = 2;
  constructor(private readonly out: DataType) {}
  private lo = new Float64Array(0);
  private hi = new Float64Array(0);
  private seen = new Uint8Array(0);
  private sinceCarry = 0;
  private grow(numGroups: number): void {
    this.lo = growF64(this.lo, numGroups);
    this.hi = growF64(this.hi, numGroups);
    this.seen = growU8(this.seen, numGroups);
  }
  update(gids: Int32Array, arg: Data | null, numGroups: number, sel?: Int32Array): void {
    this.grow(numGroups);
    const data = arg!;
    for (let start = 0; start < gids.length; start += CARRY_ROWS) {
      const end = Math.min(gids.length, start + CARRY_ROWS);
      if (this.sinceCarry + (end - start) > CARRY_ROWS) this.carry(numGroups);
      this.sinceCarry += end - start;
      this.add(gids, data, start, end, sel);
    }
  }
  private add(gids: Int32Array, data: Data, start: number, end: number, sel?: Int32Array): void {
    const { lo, hi, seen } = this;
    const valid = validBit(data);
    const bo = data.offset;
    const { a, w, unsigned } = numberReader(data);
    for (let j = start; j < end; j++) {
      const i = sel ? sel[j]! : j;
      if (valid) {
        const b = bo + i;
        if (((valid[b >> 3]! >> (b & 7)) & 1) === 0) continue;
      }
      const g = gids[j]!;
      if (w) {
        lo[g]! += w[2 * i]! >>> 0;
        hi[g]! += unsigned ? w[2 * i + 1]! >>> 0 : w[2 * i + 1]!;
      } else lo[g]! += a[i]!;
      seen[g] = 1;
    }
  }
  private carry(numGroups: number): void {
    const { lo, hi } = this;
    for (let g = 0; g < numGroups; g++) {
      const c = Math.floor(lo[g]! / TWO32);
      if (c !== 0) {
        hi[g]! += c;
        lo[g]! -= c * TWO32;
      }
    }
    this.sinceCarry = 0;
  }
  /** lo (in [0, 2^32) after a carry; null where the group has no value) and hi. */
  state(numGroups: number): Data[] {
    this.grow(numGroups);
    this.carry(numGroups);
    return [
      f64Column(this.lo, numGroups, seenBitmap(this.seen, numGroups)),
      f64Column(this.hi, numGroups),
    ];
  }
  merge(map: Int32Array, state: readonly Data[], numGroups: number): void {
    this.grow(numGroups);
    // Each merged lo is below 2^32, like one row's low word: the same carry budget applies.
    if (this.sinceCarry + map.length > CARRY_ROWS) this.carry(numGroups);
    this.sinceCarry += map.length;
    const { lo, hi, seen } = this;
    const plo = state[0]!;
    const pl = plo.values as Float64Array;
    const ph = state[1]!.values as Float64Array;
    const valid = validBit(plo);
    for (let r = 0; r < map.length; r++) {
      if (valid && ((valid[r >> 3]! >> (r & 7)) & 1) === 0) continue;
      const g = map[r]!;
      lo[g]! += pl[r]!;
      hi[g]! += ph[r]!;
      seen[g] = 1;
    }
  }
  finish(numGroups: number): Data {
    this.grow(numGroups);
    this.carry(numGroups);
    const out = new BigInt64Array(numGroups);
    for (let g = 0; g < numGroups; g++) {
      const v = BigInt(this.hi[g]!) * 4294967296n + BigInt(this.lo[g]!);
      out[g] = BigInt.asIntN(64, v);
    }
    // uint64 shares the bit pattern: the same words viewed unsigned.
    const data = isUint64(this.out) ? new BigUint64Array(out.buffer) : out;
    return makeData({
      type: this.out as Int64,
      length: numGroups,
      data,
      ...seenBitmap(this.seen, numGroups),
    } as never);
  }
}
