import { type Data, type DataType, Field, List, makeData } from "apache-arrow";
import type { GroupAccumulator } from "./groupby-state.js";
import { growI32, listGids, u8Column } from "./groupby-state.js";
import { takeData } from "./take.js";
import { concatData } from "./take-concat.js";

/**
 * Aggregations that pick one input row per group: first, last (nulls count as values, as in
 * Polars) and min/max of strings/binary (byte order, nulls skipped). The argument chunks are
 * kept and the chosen rows gathered once at the end, so no per-group JS values are made.
 */
export class ByRowAcc implements GroupAccumulator {
  readonly stateWidth: number;
  private readonly chunks: Data[] = [];
  private chunkStart: number[] = [];
  private rows = 0;
  /** Chosen row per group: chunk index and row within it (-1: none yet). */
  private refChunk = new Int32Array(0);
  private refRow = new Int32Array(0);

  constructor(
    private readonly fn: "first" | "last" | "min" | "max",
    private readonly type: DataType,
  ) {
    this.stateWidth = fn === "first" || fn === "last" ? 2 : 1;
  }

  update(gids: Int32Array, arg: Data | null, numGroups: number): void {
    this.fold(gids, arg!, numGroups, null);
  }

  /**
   * The chosen values, and for first/last whether the group had a row at all (a null value
   * is a value for them; only a global aggregation's one group can have no row).
   */
  state(numGroups: number): Data[] {
    const values = this.finish(numGroups);
    if (this.stateWidth === 1) return [values];
    const rc = growI32(this.refChunk, numGroups, -1);
    const has = new Uint8Array(numGroups);
    for (let g = 0; g < numGroups; g++) has[g] = rc[g]! >= 0 ? 1 : 0;
    return [values, u8Column(has, numGroups)];
  }

  merge(map: Int32Array, state: readonly Data[], numGroups: number): void {
    const has = state.length > 1 ? (state[1]!.values as Uint8Array) : null;
    this.fold(map, state[0]!, numGroups, has);
  }

  /** `update`, skipping rows whose `has` is 0 (state merges). */
  private fold(gids: Int32Array, data: Data, numGroups: number, has: Uint8Array | null): void {
    const chunk = this.chunks.length;
    this.chunks.push(data);
    this.chunkStart.push(this.rows);
    this.rows += data.length;
    const rc = (this.refChunk = growI32(this.refChunk, numGroups, -1));
    const rr = (this.refRow = growI32(this.refRow, numGroups, -1));
    const n = gids.length;
    if (this.fn === "first") {
      for (let i = 0; i < n; i++) {
        if (has && !has[i]) continue;
        const g = gids[i]!;
        if (rc[g]! < 0) {
          rc[g] = chunk;
          rr[g] = i;
        }
      }
      return;
    }
    if (this.fn === "last") {
      for (let i = 0; i < n; i++) {
        if (has && !has[i]) continue;
        const g = gids[i]!;
        rc[g] = chunk;
        rr[g] = i;
      }
      return;
    }
    const sign = this.fn === "max" ? 1 : -1;
    const valid = data.nullCount > 0 ? data.nullBitmap! : null;
    const bo = data.offset;
    const offs = data.valueOffsets as Int32Array;
    const bytes = data.values as Uint8Array;
    for (let i = 0; i < n; i++) {
      if (valid) {
        const b = bo + i;
        if (((valid[b >> 3]! >> (b & 7)) & 1) === 0) continue;
      }
      const g = gids[i]!;
      const c = rc[g]!;
      if (c >= 0) {
        const other = this.chunks[c]!;
        const oo = other.valueOffsets as Int32Array;
        const r = rr[g]!;
        const cmp = compareBytes(
          bytes,
          offs[i]!,
          offs[i + 1]!,
          other.values as Uint8Array,
          oo[r]!,
          oo[r + 1]!,
        );
        if (cmp * sign <= 0) continue;
      }
      rc[g] = chunk;
      rr[g] = i;
    }
  }

  finish(numGroups: number): Data {
    const all = concatData(this.type, this.chunks);
    const idx = new Int32Array(numGroups);
    const rc = growI32(this.refChunk, numGroups, -1);
    const rr = growI32(this.refRow, numGroups, -1);
    for (let g = 0; g < numGroups; g++) {
      const c = rc[g]!;
      idx[g] = c < 0 ? -1 : this.chunkStart[c]! + rr[g]!;
    }
    return takeData(all, idx);
  }
}

/** Lexicographic byte comparison (UTF-8 byte order equals code-point order). */
export function compareBytes(
  a: Uint8Array,
  as: number,
  ae: number,
  b: Uint8Array,
  bs: number,
  be: number,
): number {
  const la = ae - as;
  const lb = be - bs;
  const n = Math.min(la, lb);
  for (let k = 0; k < n; k++) {
    const d = a[as + k]! - b[bs + k]!;
    if (d !== 0) return d;
  }
  return la - lb;
}

/** `list`: every value of the group (nulls included) in input order, as list<T>. */
export class ListAcc implements GroupAccumulator {
  readonly stateWidth = 1;
  private readonly chunks: Data[] = [];
  private readonly gidChunks: Int32Array[] = [];

  constructor(private readonly type: DataType) {}

  update(gids: Int32Array, arg: Data | null): void {
    this.chunks.push(arg!);
    // The caller reuses its gid buffer between batches, so keep a copy.
    this.gidChunks.push(gids.slice());
  }

  state(numGroups: number): Data[] {
    return [this.finish(numGroups)];
  }

  /** A partial's lists are appended to the groups' values (partitions merge in input order). */
  merge(map: Int32Array, state: readonly Data[]): void {
    const { gids, child } = listGids(state[0]!, map);
    this.chunks.push(child);
    this.gidChunks.push(gids);
  }

  finish(numGroups: number): Data {
    const all = concatData(this.type, this.chunks);
    const n = all.length;
    const offsets = new Int32Array(numGroups + 1);
    for (const gids of this.gidChunks)
      for (let i = 0; i < gids.length; i++) offsets[gids[i]! + 1]!++;
    for (let g = 0; g < numGroups; g++) offsets[g + 1]! += offsets[g]!;
    // Counting sort of row numbers by group keeps input order within each group.
    const next = offsets.slice(0, numGroups);
    const order = new Int32Array(n);
    let row = 0;
    for (const gids of this.gidChunks) {
      for (let i = 0; i < gids.length; i++) order[next[gids[i]!]!++] = row++;
    }
    const child = takeData(all, order);
    const type = new List(new Field("item", this.type, true));
    return makeData({ type, length: numGroups, nullCount: 0, valueOffsets: offsets, child });
  }
}
