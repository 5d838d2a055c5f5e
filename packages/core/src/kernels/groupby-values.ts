// Aggregations over all of a group's values, kept as the list aggregation keeps them (state:
// list<T> in input order): mode (the most frequent value) and stringAgg (joined strings).
import { type Data, type DataType, Type } from "apache-arrow";
import { compareBytes, ListAcc } from "./groupby-rows.js";
import type { GroupAccumulator } from "./groupby-state.js";
import { keyKindOf, keyView } from "./hash.js";
import { takeData } from "./take.js";
import { valuesOf } from "./to-js.js";
import { buildUtf8 } from "./utf8.js";

/** Row order of a key column's values (nulls excluded by the caller): a key type's order. */
function comparator(data: Data): (i: number, j: number) => number {
  const kind = keyKindOf(data.type)!;
  const v = keyView(data, kind);
  switch (kind) {
    case "num": {
      const a = v.num;
      return (i, j) => a[i]! - a[j]!;
    }
    case "float": {
      // -0 equals 0; NaN equals NaN and is above every number.
      const a = v.num;
      return (i, j) => {
        const x = a[i]!;
        const y = a[j]!;
        if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : 1;
        if (Number.isNaN(y)) return -1;
        return x < y ? -1 : x > y ? 1 : 0;
      };
    }
    case "i64": {
      const w = v.words;
      const flip = data.type.typeId === Type.Int && !(data.type as { isSigned?: boolean }).isSigned;
      return (i, j) => {
        const hi = flip
          ? (w[2 * i + 1]! >>> 0) - (w[2 * j + 1]! >>> 0)
          : w[2 * i + 1]! - w[2 * j + 1]!;
        return hi !== 0 ? hi : (w[2 * i]! >>> 0) - (w[2 * j]! >>> 0);
      };
    }
    case "bool": {
      const a = v.num as Uint8Array;
      const bit = (i: number) => (a[(v.bitOffset + i) >> 3]! >> ((v.bitOffset + i) & 7)) & 1;
      return (i, j) => bit(i) - bit(j);
    }
    case "bytes": {
      const o = v.offsets;
      const b = v.bytes;
      return (i, j) => compareBytes(b, o[i]!, o[i + 1]!, b, o[j]!, o[j + 1]!);
    }
  }
}

/**
 * mode: the most frequent non-null value of each group; of values tied for most frequent,
 * the smallest (in the type's order, NaN above every number), so the result never depends on
 * the input order or the number of threads. Null for a group without values.
 */
export class ModeAcc implements GroupAccumulator {
  readonly stateWidth = 1;
  private readonly values: ListAcc;
  constructor(type: DataType) {
    this.values = new ListAcc(type);
  }
  update(gids: Int32Array, arg: Data | null): void {
    this.values.update(gids, arg);
  }
  state(numGroups: number): Data[] {
    return this.values.state(numGroups);
  }
  merge(map: Int32Array, state: readonly Data[]): void {
    this.values.merge(map, state);
  }
  finish(numGroups: number): Data {
    const lists = this.values.finish(numGroups);
    const offs = lists.valueOffsets as Int32Array;
    const child = lists.children[0]!;
    const cmp = comparator(child);
    const valid = child.nullCount > 0 ? child.nullBitmap! : null;
    const idx = new Int32Array(numGroups).fill(-1);
    for (let g = 0; g < numGroups; g++) {
      const rows: number[] = [];
      for (let k = offs[g]!; k < offs[g + 1]!; k++) {
        const b = child.offset + k;
        if (!valid || (valid[b >> 3]! >> (b & 7)) & 1) rows.push(k);
      }
      rows.sort(cmp);
      let best = -1;
      let bestCount = 0;
      for (let s = 0; s < rows.length; ) {
        let e = s + 1;
        while (e < rows.length && cmp(rows[s]!, rows[e]!) === 0) e++;
        // Strictly more: the first (smallest) of tied values wins.
        if (e - s > bestCount) {
          best = rows[s]!;
          bestCount = e - s;
        }
        s = e;
      }
      idx[g] = best;
    }
    return takeData(child, idx);
  }
}

/** stringAgg: the group's non-null strings joined by a separator, in input order. */
export class StringAggAcc implements GroupAccumulator {
  readonly stateWidth = 1;
  private readonly values: ListAcc;
  constructor(
    type: DataType,
    private readonly separator: string,
  ) {
    this.values = new ListAcc(type);
  }
  update(gids: Int32Array, arg: Data | null): void {
    this.values.update(gids, arg);
  }
  state(numGroups: number): Data[] {
    return this.values.state(numGroups);
  }
  merge(map: Int32Array, state: readonly Data[]): void {
    this.values.merge(map, state);
  }
  finish(numGroups: number): Data {
    const lists = this.values.finish(numGroups);
    const offs = lists.valueOffsets as Int32Array;
    const strs = valuesOf(lists.children[0]!) as (string | null)[];
    const out = new Array<string | null>(numGroups);
    for (let g = 0; g < numGroups; g++) {
      const parts: string[] = [];
      for (let k = offs[g]!; k < offs[g + 1]!; k++) if (strs[k] !== null) parts.push(strs[k]!);
      out[g] = parts.length ? parts.join(this.separator) : null;
    }
    return buildUtf8(out);
  }
}
