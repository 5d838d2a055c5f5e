import { Bool, type Data, type DataType, type Decimal, Int32, makeData, Type } from "apache-arrow";
import type { AggFn, LitValue } from "../expr/ast.js";

export type { GroupAccumulator } from "./groupby-state.js";

import { bitmapBytes, copyBits } from "./bits.js";
import { DecimalAcc } from "./groupby-decimal.js";
import { CountDistinctAcc } from "./groupby-distinct.js";
import { ByRowAcc, ListAcc } from "./groupby-rows.js";
import {
  f64Column,
  type GroupAccumulator,
  growF64,
  growI32,
  growU8,
  int64Column,
  isUint64,
  seenBitmap,
  validBit,
} from "./groupby-state.js";
import { type Interpolation, ProductAcc, QuantileAcc, VarAcc } from "./groupby-stats.js";
import { FloatSumAcc, IntSumAcc } from "./groupby-sum.js";
import { ModeAcc, StringAggAcc } from "./groupby-values.js";
import { type KeyKind, type KeyView, keyKindOf, keyView } from "./hash.js";

/** Aggregations of numbers that count a bool as 0 or 1. */
const NUMERIC = new Set<AggFn>(["sum", "mean", "std", "var", "median", "quantile", "product"]);

/**
 * The accumulator computing `fn` over arguments of type `arg` into `out`, the result type the
 * plan resolved (an argument type the typing rules reject never gets here); `args` are the
 * aggregation's own parameters (see the agg node in expr/ast.ts).
 */
export function makeAccumulator(
  fn: AggFn,
  arg: DataType | null,
  out: DataType,
  args: readonly LitValue[] = [],
): GroupAccumulator {
  if (
    arg?.typeId === Type.Decimal &&
    (fn === "sum" || fn === "mean" || fn === "min" || fn === "max")
  )
    return new DecimalAcc(fn, arg as Decimal, out);
  if (NUMERIC.has(fn) && arg?.typeId === Type.Bool) {
    return new BoolAsInt(makeAccumulator(fn, new Int32(), out, args));
  }
  switch (fn) {
    case "countRows":
      return new CountAcc(false);
    case "count":
      return new CountAcc(true);
    case "sum":
      return arg!.typeId === Type.Float ? new FloatSumAcc(false) : new IntSumAcc(out);
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
    case "std":
    case "var":
      return new VarAcc(Number(args[0] ?? 1), fn === "std");
    case "median":
      return new QuantileAcc(0.5, "linear");
    case "quantile":
      return new QuantileAcc(Number(args[0]), (args[1] ?? "linear") as Interpolation);
    case "product":
      return new ProductAcc();
    case "any":
    case "all":
      // Over bools max is any and min is all, nulls skipped (SQL's bool_or / bool_and).
      return new NumMinMaxAcc(fn === "any", new Bool(), "bool");
    case "stringAgg":
      return new StringAggAcc(arg!, String(args[0] ?? ","));
    case "mode":
      return new ModeAcc(arg!);
  }
}

class CountAcc implements GroupAccumulator {
  readonly selects = true;
  readonly stateWidth = 1;
  private c = new Float64Array(0);
  constructor(private readonly nonNull: boolean) {}
  update(gids: Int32Array, arg: Data | null, numGroups: number, sel?: Int32Array): void {
    const c = (this.c = growF64(this.c, numGroups));
    const n = gids.length;
    const valid = this.nonNull && arg ? validBit(arg) : null;
    if (this.nonNull && arg && arg.typeId === Type.Null) return;
    if (!valid) {
      for (let i = 0; i < n; i++) c[gids[i]!]!++;
      return;
    }
    const bo = arg!.offset;
    for (let j = 0; j < n; j++) {
      const b = bo + (sel ? sel[j]! : j);
      if ((valid[b >> 3]! >> (b & 7)) & 1) c[gids[j]!]!++;
    }
  }
  state(numGroups: number): Data[] {
    this.c = growF64(this.c, numGroups);
    return [f64Column(this.c, numGroups)];
  }
  merge(map: Int32Array, state: readonly Data[], numGroups: number): void {
    const c = (this.c = growF64(this.c, numGroups));
    const pc = state[0]!.values as Float64Array;
    for (let r = 0; r < map.length; r++) c[map[r]!]! += pc[r]!;
  }
  finish(numGroups: number): Data {
    this.c = growF64(this.c, numGroups);
    return int64Column(this.c, numGroups);
  }
}

/**
 * min/max over numbers, floats (NaN is greater than every number, as in Polars' and DuckDB's
 * sort order, so max is NaN when a NaN is present) and bools (min = all, max = any).
 */
class NumMinMaxAcc implements GroupAccumulator {
  readonly selects = true;
  readonly stateWidth = 1;
  private v = new Float64Array(0);
  private seen = new Uint8Array(0);
  constructor(
    private readonly isMax: boolean,
    private readonly type: DataType,
    private readonly kind: KeyKind,
  ) {}
  update(gids: Int32Array, arg: Data | null, numGroups: number, sel?: Int32Array): void {
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
    for (let j = 0; j < n; j++) {
      const i = sel ? sel[j]! : j;
      const b = bo + i;
      if (valid && ((valid[b >> 3]! >> (b & 7)) & 1) === 0) continue;
      const x = bool ? (a[b >> 3]! >> (b & 7)) & 1 : a[i]!;
      const g = gids[j]!;
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
  /** The partial minima/maxima; merging them is folding them in like values. */
  state(numGroups: number): Data[] {
    return [this.finish(numGroups)];
  }
  merge(map: Int32Array, state: readonly Data[], numGroups: number): void {
    this.update(map, state[0]!, numGroups);
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
  readonly stateWidth = 1;
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
  state(numGroups: number): Data[] {
    return [this.finish(numGroups)];
  }
  merge(map: Int32Array, state: readonly Data[], numGroups: number): void {
    this.update(map, state[0]!, numGroups);
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

/** sum/mean of bools count trues (Polars): the bits are widened to 0/1 int32 first. */
class BoolAsInt implements GroupAccumulator {
  readonly stateWidth: number;
  constructor(private readonly inner: GroupAccumulator) {
    this.stateWidth = inner.stateWidth;
  }
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
  state(numGroups: number): Data[] {
    return this.inner.state(numGroups);
  }
  merge(map: Int32Array, state: readonly Data[], numGroups: number): void {
    this.inner.merge(map, state, numGroups);
  }
}
