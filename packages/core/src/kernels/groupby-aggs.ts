import {
  type Data,
  type DataType,
  Field,
  Float64,
  Int32,
  Int64,
  List,
  makeData,
  Type,
} from "apache-arrow";
import type { AggFn } from "../expr/ast.js";
import { typeName } from "../types/dtype.js";
import { bitmapBytes, copyBits } from "./bits.js";
import { ByRowAcc, ListAcc } from "./groupby-rows.js";
import { type KeyKind, type KeyView, keyKindOf, keyView } from "./hash.js";
import { GroupTable } from "./hash-table.js";

/**
 * One aggregation's running state over all groups. `update` folds in one batch given each
 * row's group id; state lives in growable typed arrays indexed by group id.
 */
export interface GroupAccumulator {
  update(gids: Int32Array, arg: Data | null, numGroups: number): void;
  finish(numGroups: number): Data;
}

/** Output type of an aggregation (see docs/relational.md for the choices). */
export function aggOutputType(fn: AggFn, arg: DataType | null, what = "aggregation"): DataType {
  const need = (): DataType => {
    if (!arg) throw new TypeError(`${fn}() needs an argument column.`);
    return arg;
  };
  switch (fn) {
    case "countRows":
    case "count":
    case "countDistinct":
      return new Int64();
    case "mean":
      numericArg(fn, need(), what);
      return new Float64();
    case "sum": {
      const t = numericArg(fn, need(), what);
      return t.typeId === Type.Float ? new Float64() : new Int64();
    }
    case "min":
    case "max":
      if (!keyKindOf(need())) {
        throw new TypeError(
          `${fn}() of ${what}: type ${typeName(need())} has no order; use it on numbers, bools, strings, dates or timestamps.`,
        );
      }
      return need();
    case "first":
    case "last":
      return need();
    case "list":
      return new List(new Field("item", need(), true));
  }
}

const isUint64 = (t: DataType): boolean =>
  t.typeId === Type.Int && (t as Int64).bitWidth === 64 && !(t as Int64).isSigned;

function numericArg(fn: AggFn, t: DataType, what: string): DataType {
  if (t.typeId !== Type.Int && t.typeId !== Type.Float && t.typeId !== Type.Bool) {
    throw new TypeError(
      `${fn}() of ${what}: type ${typeName(t)} is not numeric; cast it first (e.g. .cast("float64")).`,
    );
  }
  if (t.typeId === Type.Float && keyKindOf(t) === null) {
    throw new TypeError(
      `${fn}() of ${what}: float16 is not supported; cast it to float32 or float64.`,
    );
  }
  return t;
}

export function makeAccumulator(fn: AggFn, arg: DataType | null): GroupAccumulator {
  if ((fn === "sum" || fn === "mean") && arg?.typeId === Type.Bool) {
    return new BoolAsInt(makeAccumulator(fn, new Int32()));
  }
  switch (fn) {
    case "countRows":
      return new CountAcc(false);
    case "count":
      return new CountAcc(true);
    case "sum":
      return arg!.typeId === Type.Float ? new FloatSumAcc(false) : new IntSumAcc();
    case "mean":
      return new FloatSumAcc(true);
    case "min":
    case "max": {
      const kind = keyKindOf(arg!)!;
      if (kind === "bytes") return new ByRowAcc(fn, arg!);
      if (kind === "i64") return new I64MinMaxAcc(fn === "max", arg!);
      return new NumMinMaxAcc(fn === "max", arg!, kind);
    }
    case "first":
    case "last":
      return new ByRowAcc(fn, arg!);
    case "list":
      return new ListAcc(arg!);
    case "countDistinct":
      return new CountDistinctAcc(arg!);
  }
}

export function growF64(
  a: Float64Array<ArrayBuffer>,
  n: number,
  fill = 0,
): Float64Array<ArrayBuffer> {
  if (n <= a.length) return a;
  const next = new Float64Array(Math.max(n, a.length * 2, 16));
  next.set(a);
  if (fill !== 0) next.fill(fill, a.length);
  return next;
}
export function growU8(a: Uint8Array<ArrayBuffer>, n: number): Uint8Array<ArrayBuffer> {
  if (n <= a.length) return a;
  const next = new Uint8Array(Math.max(n, a.length * 2, 16));
  next.set(a);
  return next;
}
export function growI32(a: Int32Array<ArrayBuffer>, n: number, fill = 0): Int32Array<ArrayBuffer> {
  if (n <= a.length) return a;
  const next = new Int32Array(Math.max(n, a.length * 2, 16));
  next.set(a);
  if (fill !== 0) next.fill(fill, a.length);
  return next;
}

/** A validity bitmap from a byte-per-group "has a value" array (null when all have one). */
function seenBitmap(
  seen: Uint8Array,
  n: number,
): { nullBitmap: Uint8Array | null; nullCount: number } {
  const bm = new Uint8Array(bitmapBytes(n));
  let nulls = 0;
  for (let g = 0; g < n; g++) {
    if (seen[g]) bm[g >> 3]! |= 1 << (g & 7);
    else nulls++;
  }
  return nulls ? { nullBitmap: bm, nullCount: nulls } : { nullBitmap: null, nullCount: 0 };
}

const validBit = (d: Data): Uint8Array | null => (d.nullCount > 0 ? d.nullBitmap! : null);

function int64Column(counts: Float64Array, n: number): Data {
  const out = new BigInt64Array(n);
  for (let g = 0; g < n; g++) out[g] = BigInt(counts[g]!);
  return makeData({ type: new Int64(), length: n, nullCount: 0, data: out });
}

class CountAcc implements GroupAccumulator {
  private c = new Float64Array(0);
  constructor(private readonly nonNull: boolean) {}
  update(gids: Int32Array, arg: Data | null, numGroups: number): void {
    const c = (this.c = growF64(this.c, numGroups));
    const n = gids.length;
    const valid = this.nonNull && arg ? validBit(arg) : null;
    if (this.nonNull && arg && arg.typeId === Type.Null) return;
    if (!valid) {
      for (let i = 0; i < n; i++) c[gids[i]!]!++;
      return;
    }
    const bo = arg!.offset;
    for (let i = 0; i < n; i++) {
      const b = bo + i;
      if ((valid[b >> 3]! >> (b & 7)) & 1) c[gids[i]!]!++;
    }
  }
  finish(numGroups: number): Data {
    this.c = growF64(this.c, numGroups);
    return int64Column(this.c, numGroups);
  }
}

/** Values of a numeric column as JS numbers (int64 through its two words). */
function numberReader(arg: Data): {
  a: ArrayLike<number>;
  w: Int32Array | null;
  unsigned: boolean;
} {
  const values = arg.values as ArrayBufferView & ArrayLike<number>;
  if (keyKindOf(arg.type) === "i64") {
    return {
      a: values,
      w: new Int32Array(values.buffer, values.byteOffset, arg.length * 2),
      unsigned: isUint64(arg.type),
    };
  }
  return { a: values, w: null, unsigned: false };
}

/** Float sums and means: float64 accumulators; `mean` also counts. All-null groups give null. */
class FloatSumAcc implements GroupAccumulator {
  private s = new Float64Array(0);
  private c = new Float64Array(0);
  constructor(private readonly mean: boolean) {}
  update(gids: Int32Array, arg: Data | null, numGroups: number): void {
    const s = (this.s = growF64(this.s, numGroups));
    const c = (this.c = growF64(this.c, numGroups));
    const n = gids.length;
    const data = arg!;
    const valid = validBit(data);
    const { a, w, unsigned } = numberReader(data);
    const bo = data.offset;
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
  finish(numGroups: number): Data {
    const s = growF64(this.s, numGroups);
    const c = growF64(this.c, numGroups);
    const out = new Float64Array(numGroups);
    const seen = new Uint8Array(numGroups);
    for (let g = 0; g < numGroups; g++) {
      if (c[g]! > 0) {
        seen[g] = 1;
        out[g] = this.mean ? s[g]! / c[g]! : s[g]!;
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
 * multiples of 2^32 in `lo` move to `hi`. The result wraps to 64 bits like Polars.
 */
class IntSumAcc implements GroupAccumulator {
  private lo = new Float64Array(0);
  private hi = new Float64Array(0);
  private seen = new Uint8Array(0);
  private sinceCarry = 0;
  update(gids: Int32Array, arg: Data | null, numGroups: number): void {
    this.lo = growF64(this.lo, numGroups);
    this.hi = growF64(this.hi, numGroups);
    this.seen = growU8(this.seen, numGroups);
    const data = arg!;
    for (let start = 0; start < gids.length; start += CARRY_ROWS) {
      const end = Math.min(gids.length, start + CARRY_ROWS);
      if (this.sinceCarry + (end - start) > CARRY_ROWS) this.carry(numGroups);
      this.sinceCarry += end - start;
      this.add(gids, data, start, end);
    }
  }
  private add(gids: Int32Array, data: Data, start: number, end: number): void {
    const { lo, hi, seen } = this;
    const valid = validBit(data);
    const bo = data.offset;
    const { a, w, unsigned } = numberReader(data);
    for (let i = start; i < end; i++) {
      if (valid) {
        const b = bo + i;
        if (((valid[b >> 3]! >> (b & 7)) & 1) === 0) continue;
      }
      const g = gids[i]!;
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
  finish(numGroups: number): Data {
    this.lo = growF64(this.lo, numGroups);
    this.hi = growF64(this.hi, numGroups);
    this.seen = growU8(this.seen, numGroups);
    this.carry(numGroups);
    const out = new BigInt64Array(numGroups);
    for (let g = 0; g < numGroups; g++) {
      const v = BigInt(this.hi[g]!) * 4294967296n + BigInt(this.lo[g]!);
      out[g] = BigInt.asIntN(64, v);
    }
    return makeData({
      type: new Int64(),
      length: numGroups,
      data: out,
      ...seenBitmap(this.seen, numGroups),
    } as never);
  }
}

/**
 * min/max over numbers, floats (NaN is greater than every number, as in Polars' and DuckDB's
 * sort order, so max is NaN when a NaN is present) and bools (min = all, max = any).
 */
class NumMinMaxAcc implements GroupAccumulator {
  private v = new Float64Array(0);
  private seen = new Uint8Array(0);
  constructor(
    private readonly isMax: boolean,
    private readonly type: DataType,
    private readonly kind: KeyKind,
  ) {}
  update(gids: Int32Array, arg: Data | null, numGroups: number): void {
    const v = (this.v = growF64(this.v, numGroups));
    const seen = (this.seen = growU8(this.seen, numGroups));
    const data = arg!;
    const view: KeyView = keyView(data, this.kind);
    const valid = view.valid;
    const bo = view.bitOffset;
    const a = view.num;
    const bool = this.kind === "bool";
    const n = gids.length;
    const isMax = this.isMax;
    for (let i = 0; i < n; i++) {
      const b = bo + i;
      if (valid && ((valid[b >> 3]! >> (b & 7)) & 1) === 0) continue;
      const x = bool ? (a[b >> 3]! >> (b & 7)) & 1 : a[i]!;
      const g = gids[i]!;
      if (!seen[g]) {
        seen[g] = 1;
        v[g] = x;
      } else if (isMax) {
        if (x > v[g]! || Number.isNaN(x)) v[g] = x;
      } else if (x < v[g]! || Number.isNaN(v[g]!)) {
        if (!Number.isNaN(x)) v[g] = x;
      }
    }
  }
  finish(numGroups: number): Data {
    const v = growF64(this.v, numGroups);
    const seen = growU8(this.seen, numGroups);
    const nulls = seenBitmap(seen, numGroups);
    if (this.kind === "bool") {
      const bits = new Uint8Array(bitmapBytes(numGroups));
      for (let g = 0; g < numGroups; g++) if (v[g]) bits[g >> 3]! |= 1 << (g & 7);
      return makeData({ type: this.type, length: numGroups, data: bits, ...nulls } as never);
    }
    const Ctor = (this.type as unknown as { ArrayType: new (n: number) => Float64Array }).ArrayType;
    const out = new Ctor(numGroups);
    out.set(v.subarray(0, numGroups));
    return makeData({ type: this.type, length: numGroups, data: out, ...nulls } as never);
  }
}

/** min/max of 64-bit integers and timestamps, comparing (high signed, low unsigned) words. */
class I64MinMaxAcc implements GroupAccumulator {
  private w = new Int32Array(0);
  private seen = new Uint8Array(0);
  private readonly unsigned: boolean;
  constructor(
    private readonly isMax: boolean,
    private readonly type: DataType,
  ) {
    this.unsigned = isUint64(type);
  }
  update(gids: Int32Array, arg: Data | null, numGroups: number): void {
    const w = (this.w = growI32(this.w, numGroups * 2));
    const seen = (this.seen = growU8(this.seen, numGroups));
    const view = keyView(arg!, "i64");
    const a = view.words;
    const valid = view.valid;
    const bo = view.bitOffset;
    const sign = this.isMax ? 1 : -1;
    const flip = this.unsigned ? 0x80000000 : 0;
    for (let i = 0; i < gids.length; i++) {
      const b = bo + i;
      if (valid && ((valid[b >> 3]! >> (b & 7)) & 1) === 0) continue;
      const g = gids[i]!;
      const h = a[2 * i + 1]!;
      const l = a[2 * i]!;
      if (seen[g]) {
        const ch = (h ^ flip) - (w[2 * g + 1]! ^ flip);
        const cmp = ch !== 0 ? ch : (l >>> 0) - (w[2 * g]! >>> 0);
        if (cmp * sign <= 0) continue;
      }
      seen[g] = 1;
      w[2 * g] = l;
      w[2 * g + 1] = h;
    }
  }
  finish(numGroups: number): Data {
    const w = growI32(this.w, numGroups * 2).slice(0, numGroups * 2);
    const Ctor = (this.type as unknown as { ArrayType: new (b: ArrayBuffer) => BigInt64Array })
      .ArrayType;
    const seen = growU8(this.seen, numGroups);
    return makeData({
      type: this.type,
      length: numGroups,
      data: new Ctor(w.buffer),
      ...seenBitmap(seen, numGroups),
    } as never);
  }
}

/** Distinct non-null values per group: a hash table over (group id, value) pairs. */
class CountDistinctAcc implements GroupAccumulator {
  private readonly pairs: GroupTable;
  private seen = new Uint8Array(0);
  private c = new Float64Array(0);
  private pids = new Int32Array(0);
  constructor(type: DataType) {
    this.pairs = new GroupTable([new Int32(), type]);
  }
  update(gids: Int32Array, arg: Data | null, numGroups: number): void {
    const c = (this.c = growF64(this.c, numGroups));
    const n = gids.length;
    if (this.pids.length < n) this.pids = new Int32Array(n);
    const pids = this.pids.subarray(0, n);
    const gidCol = makeData({ type: new Int32(), length: n, nullCount: 0, data: gids });
    this.pairs.insert([gidCol, arg!], pids);
    const seen = (this.seen = growU8(this.seen, this.pairs.numGroups));
    const valid = validBit(arg!);
    const bo = arg!.offset;
    for (let i = 0; i < n; i++) {
      if (valid) {
        const b = bo + i;
        if (((valid[b >> 3]! >> (b & 7)) & 1) === 0) continue;
      }
      const p = pids[i]!;
      if (!seen[p]) {
        seen[p] = 1;
        c[gids[i]!]!++;
      }
    }
  }
  finish(numGroups: number): Data {
    this.c = growF64(this.c, numGroups);
    return int64Column(this.c, numGroups);
  }
}

/** sum/mean of bools count trues (Polars): the bits are widened to 0/1 int32 first. */
class BoolAsInt implements GroupAccumulator {
  constructor(private readonly inner: GroupAccumulator) {}
  update(gids: Int32Array, arg: Data | null, numGroups: number): void {
    const data = arg!;
    const n = data.length;
    const bits = data.values as Uint8Array;
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const b = data.offset + i;
      out[i] = (bits[b >> 3]! >> (b & 7)) & 1;
    }
    const widened = makeData({
      type: new Int32(),
      length: n,
      nullCount: data.nullCount,
      nullBitmap: data.nullCount > 0 ? copyBits(data.nullBitmap!, data.offset, n) : null,
      data: out,
    });
    this.inner.update(gids, widened, numGroups);
  }
  finish(numGroups: number): Data {
    return this.inner.finish(numGroups);
  }
}
