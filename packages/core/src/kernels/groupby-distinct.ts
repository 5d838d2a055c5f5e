// countDistinct per group: one hash set of (group id, value) pairs for the whole aggregation.
import { type Data, type DataType, Field, Int32, List, makeData } from "apache-arrow";
import { bitmapBytes } from "./bits.js";
import {
  type GroupAccumulator,
  growF64,
  growI32,
  growU8,
  int64Column,
  listGids,
  validBit,
} from "./groupby-state.js";
import { fmix32, type KeyKind, keyKindOf, keyView } from "./hash.js";
import { GroupTable } from "./hash-table.js";
import { takeData } from "./take.js";

const f64 = new Float64Array(1);
const f64w = new Int32Array(f64.buffer);
const GOLDEN = 0x9e3779b1;

/**
 * The hash of a (group, value) pair: integers (and bools) by their 32 bits, floats by their
 * 64 (canonical: the caller turns -0 into 0; every NaN hashes alike). The update loops
 * inline the same arithmetic.
 */
function numHash(g: number, x: number, floats: boolean): number {
  const gm = Math.imul(g, GOLDEN);
  if (!floats) return fmix32((x | 0) ^ gm);
  if (Number.isNaN(x)) return fmix32(0x7ff80000 ^ gm);
  f64[0] = x;
  return fmix32(f64w[0]! ^ fmix32(f64w[1]! ^ gm));
}

/**
 * Open-addressing set of (group, number) pairs in typed arrays: one hash and one probe per
 * row, no per-row allocation. A slot holds its pair itself, interleaved in one array (group
 * + 1, then the value: one cache line per probe, which is what a set of millions of pairs
 * costs), and the pairs are also appended in insertion order for the state. Floats compare
 * as the group-by keys do (-0 equals 0, NaN equals NaN); 64-bit values are two 32-bit words.
 */
class PairSet {
  size = 0;
  /** Pairs in insertion order: group ids, and the values (num) or their words (wide). */
  gid = new Int32Array(1024);
  num = new Float64Array(0);
  words = new Int32Array(0);
  /**
   * Slots, group + 1 = 0 being empty: [group + 1, value] for floats (slotNum) and 32-bit
   * ints (slotWords), [group + 1, lo, hi, hash] for 64-bit values (slotWords).
   */
  private slotNum = new Float64Array(0);
  private slotWords = new Int32Array(0);
  private mask = 2047;

  constructor(
    readonly wide: boolean,
    private readonly floats: boolean,
  ) {
    if (wide) {
      this.words = new Int32Array(2048);
      this.slotWords = new Int32Array(4 * 2048);
    } else {
      this.num = new Float64Array(1024);
      if (floats) this.slotNum = new Float64Array(2 * 2048);
      else this.slotWords = new Int32Array(2 * 2048);
    }
  }

  /** Adds (g, x) with hash h; true when it was not there yet. */
  addNum(g: number, x: number, h: number): boolean {
    return this.floats ? this.addFloat(g, x, h) : this.addInt(g, x, h);
  }

  /** 32-bit values: a slot is [group + 1, x | 0] (x | 0 is one-to-one on 32-bit ints). */
  private addInt(g: number, x: number, h: number): boolean {
    const t = this.slotWords;
    const mask = this.mask;
    const g1 = g + 1;
    const xi = x | 0;
    let s = h & mask;
    for (;;) {
      const e = t[2 * s]!;
      if (e === 0) break;
      if (e === g1 && t[2 * s + 1] === xi) return false;
      s = (s + 1) & mask;
    }
    t[2 * s] = g1;
    t[2 * s + 1] = xi;
    const e = this.append(g); // may replace this.num: index it after
    this.num[e] = x;
    if (this.size * 2 > mask + 1) this.rehash();
    return true;
  }

  private addFloat(g: number, x: number, h: number): boolean {
    const t = this.slotNum;
    const mask = this.mask;
    const g1 = g + 1;
    let s = h & mask;
    for (;;) {
      const e = t[2 * s]!;
      if (e === 0) break;
      if (e === g1) {
        const y = t[2 * s + 1]!;
        if (y === x || (Number.isNaN(y) && Number.isNaN(x))) return false;
      }
      s = (s + 1) & mask;
    }
    t[2 * s] = g1;
    t[2 * s + 1] = x;
    const e = this.append(g); // may replace this.num: index it after
    this.num[e] = x;
    if (this.size * 2 > mask + 1) this.rehash();
    return true;
  }

  addWords(g: number, lo: number, hi: number, h: number): boolean {
    const t = this.slotWords;
    const mask = this.mask;
    const g1 = g + 1;
    let s = h & mask;
    for (;;) {
      const e = t[4 * s]!;
      if (e === 0) break;
      if (e === g1 && t[4 * s + 1] === lo && t[4 * s + 2] === hi) return false;
      s = (s + 1) & mask;
    }
    t[4 * s] = g1;
    t[4 * s + 1] = lo;
    t[4 * s + 2] = hi;
    t[4 * s + 3] = h;
    const e = this.append(g);
    this.words[2 * e] = lo;
    this.words[2 * e + 1] = hi;
    if (this.size * 2 > mask + 1) this.rehash();
    return true;
  }

  private append(g: number): number {
    const e = this.size++;
    if (e === this.gid.length) {
      this.gid = growI32(this.gid, e + 1);
      if (this.wide) this.words = growI32(this.words, 2 * (e + 1));
      else this.num = growF64(this.num, e + 1);
    }
    this.gid[e] = g;
    return e;
  }

  private rehash(): void {
    const cap = (this.mask + 1) * 2;
    const mask = cap - 1;
    if (!this.wide && !this.floats) {
      const old = this.slotWords;
      const t = new Int32Array(2 * cap);
      for (let s = 0; s < old.length; s += 2) {
        const g1 = old[s]!;
        if (g1 === 0) continue;
        let d = numHash(g1 - 1, old[s + 1]!, false) & mask;
        while (t[2 * d] !== 0) d = (d + 1) & mask;
        t[2 * d] = g1;
        t[2 * d + 1] = old[s + 1]!;
      }
      this.slotWords = t;
    } else if (this.wide) {
      const old = this.slotWords;
      const t = new Int32Array(4 * cap);
      for (let s = 0; s < old.length; s += 4) {
        if (old[s] === 0) continue;
        let d = old[s + 3]! & mask;
        while (t[4 * d] !== 0) d = (d + 1) & mask;
        t.set(old.subarray(s, s + 4), 4 * d);
      }
      this.slotWords = t;
    } else {
      const old = this.slotNum;
      const t = new Float64Array(2 * cap);
      for (let s = 0; s < old.length; s += 2) {
        const g1 = old[s]!;
        if (g1 === 0) continue;
        let d = numHash(g1 - 1, old[s + 1]!, this.floats) & mask;
        while (t[2 * d] !== 0) d = (d + 1) & mask;
        t[2 * d] = g1;
        t[2 * d + 1] = old[s + 1]!;
      }
      this.slotNum = t;
    }
    this.mask = mask;
  }

  /** The stored values as a column of `type`, in insertion order. */
  values(type: DataType, kind: KeyKind): Data {
    const n = this.size;
    if (kind === "bool") {
      const bits = new Uint8Array(bitmapBytes(n));
      for (let e = 0; e < n; e++) if (this.num[e]) bits[e >> 3]! |= 1 << (e & 7);
      return makeData({ type, length: n, nullCount: 0, data: bits } as never);
    }
    if (this.wide) {
      const Ctor = (type as unknown as { ArrayType: new (b: ArrayBuffer) => BigInt64Array })
        .ArrayType;
      return makeData({
        type,
        length: n,
        nullCount: 0,
        data: new Ctor(this.words.slice(0, 2 * n).buffer),
      } as never);
    }
    const Ctor = (type as unknown as { ArrayType: new (n: number) => Float64Array }).ArrayType;
    const out = new Ctor(n);
    out.set(this.num.subarray(0, n));
    return makeData({ type, length: n, nullCount: 0, data: out } as never);
  }
}

/**
 * Distinct non-null values per group. Numbers, bools, dates and timestamps go through a
 * PairSet (one hash per row over group and value); strings and binary through a GroupTable
 * over (group, value). The state is one list of distinct values per group, so merging two
 * partitions is inserting one's lists into the other's set.
 */
export class CountDistinctAcc implements GroupAccumulator {
  readonly stateWidth = 1;
  private readonly kind: KeyKind;
  private readonly set: PairSet | null;
  private readonly table: GroupTable | null;
  /** Bytes path: which table entries hold a non-null value. */
  private valid = new Uint8Array(0);
  private c = new Float64Array(0);
  private pids = new Int32Array(0);
  private hs = new Int32Array(0);
  private xs = new Float64Array(0);

  constructor(private readonly type: DataType) {
    this.kind = keyKindOf(type)!;
    if (this.kind === "bytes") {
      this.set = null;
      this.table = new GroupTable([new Int32(), type]);
    } else {
      this.set = new PairSet(this.kind === "i64", this.kind === "float");
      this.table = null;
    }
  }

  update(gids: Int32Array, arg: Data | null, numGroups: number): void {
    const c = (this.c = growF64(this.c, numGroups));
    const data = arg!;
    if (this.table) {
      this.updateBytes(gids, data, c);
      return;
    }
    const set = this.set!;
    const n = gids.length;
    const view = keyView(data, this.kind);
    const valid = validBit(data);
    const bo = data.offset;
    if (this.hs.length < n) {
      this.hs = new Int32Array(n);
      this.xs = new Float64Array(n);
    }
    const hs = this.hs;
    const xs = this.xs;
    // One tight pass per kind for the hashes (and canonical values), then one probing pass.
    const a = view.num;
    switch (this.kind) {
      case "num":
        for (let i = 0; i < n; i++) {
          const x = a[i]!;
          xs[i] = x;
          hs[i] = fmix32((x | 0) ^ Math.imul(gids[i]!, GOLDEN));
        }
        break;
      case "bool":
        for (let i = 0; i < n; i++) {
          const b = bo + i;
          const x = (a[b >> 3]! >> (b & 7)) & 1;
          xs[i] = x;
          hs[i] = fmix32(x ^ Math.imul(gids[i]!, GOLDEN));
        }
        break;
      case "float":
        for (let i = 0; i < n; i++) {
          let x = a[i]!;
          if (x === 0) x = 0;
          const gm = Math.imul(gids[i]!, GOLDEN);
          if (Number.isNaN(x)) hs[i] = fmix32(0x7ff80000 ^ gm);
          else {
            f64[0] = x;
            hs[i] = fmix32(f64w[0]! ^ fmix32(f64w[1]! ^ gm));
          }
          xs[i] = x;
        }
        break;
      default: {
        const w = view.words;
        for (let i = 0; i < n; i++) {
          hs[i] = fmix32(w[2 * i]! ^ fmix32(w[2 * i + 1]! ^ Math.imul(gids[i]!, GOLDEN)));
        }
        for (let i = 0; i < n; i++) {
          const b = bo + i;
          if (valid && ((valid[b >> 3]! >> (b & 7)) & 1) === 0) continue;
          const g = gids[i]!;
          if (set.addWords(g, w[2 * i]!, w[2 * i + 1]!, hs[i]!)) c[g]!++;
        }
        return;
      }
    }
    for (let i = 0; i < n; i++) {
      if (valid) {
        const b = bo + i;
        if (((valid[b >> 3]! >> (b & 7)) & 1) === 0) continue;
      }
      const g = gids[i]!;
      if (set.addNum(g, xs[i]!, hs[i]!)) c[g]!++;
    }
  }

  private updateBytes(gids: Int32Array, data: Data, c: Float64Array): void {
    const table = this.table!;
    const n = gids.length;
    if (this.pids.length < n) this.pids = new Int32Array(n);
    const pids = this.pids.subarray(0, n);
    const gidCol = makeData({ type: new Int32(), length: n, nullCount: 0, data: gids });
    const before = table.numGroups;
    table.insert([gidCol, data], pids);
    const valid = (this.valid = growU8(this.valid, table.numGroups));
    const vb = validBit(data);
    const bo = data.offset;
    for (let i = 0; i < n; i++) {
      const p = pids[i]!;
      // A pair is new exactly when its id is past the ones known before this batch.
      if (p < before || valid[p]) continue;
      if (vb) {
        const b = bo + i;
        if (((vb[b >> 3]! >> (b & 7)) & 1) === 0) continue;
      }
      valid[p] = 1;
      c[gids[i]!]!++;
    }
  }

  finish(numGroups: number): Data {
    this.c = growF64(this.c, numGroups);
    return int64Column(this.c, numGroups);
  }

  /** One list per group of its distinct values (in first-seen order). */
  state(numGroups: number): Data[] {
    let pairGid: Int32Array;
    let values: Data;
    let keep: Uint8Array | null = null;
    if (this.table) {
      const [g, v] = this.table.keys();
      pairGid = g!.values as Int32Array;
      values = v!;
      keep = growU8(this.valid, this.table.numGroups);
    } else {
      pairGid = this.set!.gid.subarray(0, this.set!.size);
      values = this.set!.values(this.type, this.kind);
    }
    const offsets = new Int32Array(numGroups + 1);
    for (let e = 0; e < pairGid.length; e++) if (!keep || keep[e]) offsets[pairGid[e]! + 1]!++;
    for (let g = 0; g < numGroups; g++) offsets[g + 1]! += offsets[g]!;
    const next = offsets.slice(0, numGroups);
    const order = new Int32Array(offsets[numGroups]!);
    for (let e = 0; e < pairGid.length; e++) {
      if (!keep || keep[e]) order[next[pairGid[e]!]!++] = e;
    }
    const child = takeData(values, order);
    const type = new List(new Field("item", this.type, true));
    return [makeData({ type, length: numGroups, nullCount: 0, valueOffsets: offsets, child })];
  }

  merge(map: Int32Array, state: readonly Data[], numGroups: number): void {
    const { gids, child } = listGids(state[0]!, map);
    this.update(gids, child, numGroups);
  }
}
