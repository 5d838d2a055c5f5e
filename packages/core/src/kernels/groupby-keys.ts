import { type Data, type DataType, Type } from "apache-arrow";
import { codesOf, type DictionaryCodes } from "./dictionary-codes.js";
import { keyKindOf, keyView } from "./hash.js";
import { GroupTable, KeyStore } from "./hash-table.js";
import { takeData } from "./take.js";

/**
 * Largest key range (max - min + 1) the dense path indexes directly: 8M slots = 32 MB (the
 * order keys of TPC-H at scale factor 1 span 6M).
 */
export const DENSE_MAX_RANGE = 1 << 23;

/**
 * Maps key columns to dense group ids in first-seen order. A single integer key whose values
 * span a small range is indexed directly (one array load per row, no hashing: the 10M-row,
 * 1000-group case); anything else, or a range that outgrows the limit, uses the hash table
 * (keeping the ids already handed out). A single key column the scan read as dictionary codes
 * looks each dictionary entry up in the hash table once, at its first row, and maps every other
 * row through its code: the same ids, in the same first-seen order, as hashing every row.
 */
export class GroupKeys {
  private table: GroupTable | null = null;
  private dense: DenseIntKeys | DenseInt64Keys | null = null;
  /** Per dictionary seen: group id + 1 of each entry (0: no row of it seen yet). */
  private readonly entryGroups = new WeakMap<Data, Int32Array>();
  private readonly one = new Int32Array(1);

  constructor(readonly types: readonly DataType[]) {
    const t = types[0];
    const kind = t && keyKindOf(t);
    if (types.length === 1 && t && t.typeId === Type.Int && kind === "num") {
      this.dense = new DenseIntKeys(t);
    } else if (types.length === 1 && t && t.typeId === Type.Int && kind === "i64") {
      this.dense = new DenseInt64Keys(t);
    } else this.table = new GroupTable(types);
  }

  get numGroups(): number {
    return this.dense ? this.dense.numGroups : this.table!.numGroups;
  }

  /**
   * Fills `out` (one id per row, or per row of `sel`: ascending row numbers) and creates groups
   * for keys not seen before.
   */
  insert(columns: readonly Data[], out: Int32Array, sel?: Int32Array): void {
    const coded = this.table && columns.length === 1 ? codesOf(columns[0]!) : undefined;
    if (coded) {
      this.insertCodes(coded, out, sel);
      return;
    }
    if (sel) columns = columns.map((c) => takeData(c, sel));
    if (this.dense) {
      if (this.dense.insert(columns[0]!, out)) return;
      // The range got too wide: move the groups seen so far into a hash table, same ids.
      const table = new GroupTable(this.types);
      const keys = this.dense.keys();
      table.insert(keys, new Int32Array(keys[0]!.length));
      this.dense = null;
      this.table = table;
    }
    this.table!.insert(columns, out);
  }

  keys(): Data[] {
    return this.dense ? this.dense.keys() : this.table!.keys();
  }

  private insertCodes({ entries, codes }: DictionaryCodes, out: Int32Array, sel?: Int32Array) {
    let map = this.entryGroups.get(entries);
    if (!map) {
      map = new Int32Array(entries.length);
      this.entryGroups.set(entries, map);
    }
    const m = out.length;
    for (let j = 0; j < m; j++) {
      const c = codes[sel ? sel[j]! : j]!;
      const g = map[c]! || this.entryGroup(entries, c, map);
      out[j] = g - 1;
    }
  }

  /** The group of dictionary entry `c`, found or created in the hash table, + 1. */
  private entryGroup(entries: Data, c: number, map: Int32Array): number {
    this.table!.insert([entries.slice(c, 1)], this.one);
    const g = this.one[0]! + 1;
    map[c] = g;
    return g;
  }
}

/** A direct map from key - lo to group + 1, and the keys in group order. */
abstract class DenseKeys {
  numGroups = 0;
  protected lo = 0;
  protected map = new Int32Array(0);

  constructor(protected readonly store: KeyStore) {}

  /** Widens the map to cover [min, max]; false when the range would pass DENSE_MAX_RANGE. */
  protected fit(min: number, max: number): boolean {
    const wider = widen(this.map, this.lo, min, max);
    if (!wider) return false;
    this.map = wider.map;
    this.lo = wider.lo;
    return true;
  }

  keys(): Data[] {
    return [this.store.toData()];
  }
}

class DenseIntKeys extends DenseKeys {
  private nullGroup = -1;

  constructor(type: DataType) {
    super(new KeyStore(type, "num"));
  }

  /** Returns false (touching nothing) when this batch's keys would need too wide a map. */
  insert(col: Data, out: Int32Array): boolean {
    // Usually the keys already fit the map: one pass, bounds checked per row. A key outside it
    // sends the batch through the min/max pass below (ids handed out so far stay valid).
    if (col.nullCount === 0 && this.insertFitting(col, out)) return true;
    const n = out.length;
    const a = col.values as Int32Array;
    const valid = col.nullCount > 0 ? col.nullBitmap! : null;
    const bo = col.offset;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      if (valid) {
        const b = bo + i;
        if (((valid[b >> 3]! >> (b & 7)) & 1) === 0) continue;
      }
      const v = a[i]!;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (min <= max && !this.fit(min, max)) return false;
    const map = this.map;
    const lo = this.lo;
    const view = keyView(col, "num");
    if (!valid) {
      for (let i = 0; i < n; i++) {
        const k = a[i]! - lo;
        let g = map[k]!;
        if (g === 0) {
          g = ++this.numGroups;
          map[k] = g;
          this.store.push(view, i);
        }
        out[i] = g - 1;
      }
      return true;
    }
    for (let i = 0; i < n; i++) {
      const b = bo + i;
      if (((valid[b >> 3]! >> (b & 7)) & 1) === 0) {
        if (this.nullGroup < 0) {
          this.nullGroup = this.numGroups++;
          this.store.push(view, i);
        }
        out[i] = this.nullGroup;
        continue;
      }
      const k = a[i]! - lo;
      let g = map[k]!;
      if (g === 0) {
        g = ++this.numGroups;
        map[k] = g;
        this.store.push(view, i);
      }
      out[i] = g - 1;
    }
    return true;
  }

  /** No-null keys that all fall inside the current map; false at the first one that does not. */
  private insertFitting(col: Data, out: Int32Array): boolean {
    const n = out.length;
    const a = col.values as Int32Array;
    const map = this.map;
    const size = map.length;
    const lo = this.lo;
    for (let i = 0; i < n; i++) {
      const k = a[i]! - lo;
      if (k >>> 0 >= size) return false;
      let g = map[k]!;
      if (g === 0) {
        g = ++this.numGroups;
        map[k] = g;
        this.store.push(keyView(col, "num"), i);
      }
      out[i] = g - 1;
    }
    return true;
  }
}

/**
 * The dense path for 64-bit integer keys: the same direct map while every key is a safe
 * integer within the range limit (keys are read from their two 32-bit words, no BigInt).
 * Nulls, or a key outside the limit, hand the keys over to the hash table.
 */
class DenseInt64Keys extends DenseKeys {
  constructor(type: DataType) {
    super(new KeyStore(type, "i64"));
  }

  /** Returns false (touching nothing) when this batch's keys cannot use the map. */
  insert(col: Data, out: Int32Array): boolean {
    if (col.nullCount > 0) return false;
    const n = out.length;
    const w = keyView(col, "i64").words;
    if (!this.insertFitting(w, n, out)) {
      let min = Number.POSITIVE_INFINITY;
      let max = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < n; i++) {
        const hi = w[2 * i + 1]!;
        // Beyond +-2^52 a key is not kept exactly as a number: the hash table takes over.
        if (hi >= 0x100000 || hi < -0x100000) return false;
        const v = hi * 4294967296 + (w[2 * i]! >>> 0);
        if (v < min) min = v;
        if (v > max) max = v;
      }
      if (min <= max && !this.fit(min, max)) return false;
      if (!this.insertFitting(w, n, out)) throw new Error("internal: dense keys do not fit");
    }
    return true;
  }

  /** Keys that all fall inside the current map; false at the first one that does not. */
  private insertFitting(w: Int32Array, n: number, out: Int32Array): boolean {
    const map = this.map;
    const size = map.length;
    const lo = this.lo;
    for (let i = 0; i < n; i++) {
      const hi = w[2 * i + 1]!;
      const low = w[2 * i]!;
      const k = hi * 4294967296 + (low >>> 0) - lo;
      if (!(k >= 0 && k < size)) {
        // Groups made so far in this batch stay: a second pass finds them again.
        return false;
      }
      let g = map[k]!;
      if (g === 0) {
        g = ++this.numGroups;
        map[k] = g;
        this.store.pushWords(low, hi);
      }
      out[i] = g - 1;
    }
    return true;
  }
}

/**
 * A dense map (group + 1 per key - lo) widened to cover [min, max], the same map when it
 * already does, or null when the range would pass DENSE_MAX_RANGE.
 */
function widen(
  map: Int32Array<ArrayBuffer>,
  lo: number,
  min: number,
  max: number,
): { map: Int32Array<ArrayBuffer>; lo: number } | null {
  const size = map.length;
  if (size > 0 && min >= lo && max < lo + size) return { map, lo };
  const from = size > 0 ? Math.min(lo, min) : min;
  const to = size > 0 ? Math.max(lo + size - 1, max) : max;
  const range = to - from + 1;
  if (range > DENSE_MAX_RANGE) return null;
  const next = new Int32Array(range);
  if (size > 0) next.set(map, lo - from);
  return { map: next, lo: from };
}
