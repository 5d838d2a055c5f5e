import { type Data, type DataType, Type } from "apache-arrow";
import type { JoinHow } from "../plan/nodes.js";
import { DENSE_MAX_RANGE } from "./groupby-keys.js";
import { keyKindOf, keyView } from "./hash.js";
import { GroupTable, type TableBuffers } from "./hash-table.js";

/**
 * Matched row pairs of a hash join: row `left[i]` of the left input goes with row `right[i]`
 * of the right input; -1 stands for "no row" (the null side of an outer join). For semi and
 * anti joins `right` is all -1.
 *
 * Order (documented in docs/relational.md): left row order, and within a left row its
 * matches in right row order; outer joins then add unmatched right rows in right order; right
 * joins mirror this (right row order). The smaller input is the build side whatever the order.
 */
export interface JoinPairs {
  left: Int32Array;
  right: Int32Array;
}

/** Join kinds in the order of one input (right joins are mirrored left joins). */
export type Mode = "inner" | "left" | "outer" | "semi" | "anti";

/** Probe rows per partition: each partition's probe is independent of the others. */
export const PROBE_ROWS = 128 * 1024;

/** The build side's state as plain typed arrays (no JS objects per row or key). */
export interface JoinBuildBuffers {
  table: TableBuffers;
  start: Int32Array;
  rows: Int32Array;
  /** Set instead of a filled table when one integer key indexes a direct map (see DenseIndex). */
  dense?: DenseIndex;
}

/**
 * A build over one integer key column without nulls whose values span a range of at most
 * 16 per row (and DENSE_MAX_RANGE): `map[key - lo]` is the key's group + 1, 0 when absent.
 * Building and probing it is one array access per row, no hashing (TPC-H's order keys).
 */
export interface DenseIndex {
  lo: number;
  map: Int32Array;
  /** 64-bit keys (read from their two words) rather than 32-bit or narrower. */
  wide: boolean;
}

/** The dense index of `keys` and each row's group, or null when they do not suit one. */
function denseIndex(
  keys: readonly Data[],
): { index: DenseIndex; gids: Int32Array; groups: number } | null {
  if (keys.length !== 1) return null;
  const col = keys[0]!;
  const kind = keyKindOf(col.type);
  if (col.type.typeId !== Type.Int || (kind !== "num" && kind !== "i64") || col.nullCount > 0)
    return null;
  const n = col.length;
  if (n === 0) return null;
  const wide = kind === "i64";
  const values = wide ? keyView(col, "i64").words : (col.values as ArrayLike<number>);
  const at = (i: number): number =>
    wide ? values[2 * i + 1]! * 4294967296 + (values[2 * i]! >>> 0) : values[i]!;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    if (wide) {
      const hi = values[2 * i + 1]!;
      if (hi >= 0x100000 || hi < -0x100000) return null;
    }
    const v = at(i);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const range = max - min + 1;
  if (range > DENSE_MAX_RANGE || range > 16 * n + 1024) return null;
  const map = new Int32Array(range);
  const gids = new Int32Array(n);
  let groups = 0;
  for (let i = 0; i < n; i++) {
    const k = at(i) - min;
    let g = map[k]!;
    if (g === 0) map[k] = g = ++groups;
    gids[i] = g - 1;
  }
  return { index: { lo: min, map, wide }, gids, groups };
}

/** Groups of probe rows looked up in a dense index (-1 for absent keys and nulls). */
function probeDense(d: DenseIndex, col: Data, out: Int32Array): void {
  const n = out.length;
  const { lo, map } = d;
  const size = map.length;
  const valid = col.nullCount > 0 ? col.nullBitmap! : null;
  const bo = col.offset;
  if (d.wide) {
    const w = keyView(col, "i64").words;
    for (let i = 0; i < n; i++) {
      const k = w[2 * i + 1]! * 4294967296 + (w[2 * i]! >>> 0) - lo;
      out[i] = k >= 0 && k < size ? map[k]! - 1 : -1;
    }
  } else {
    const a = col.values as ArrayLike<number>;
    for (let i = 0; i < n; i++) {
      const k = a[i]! - lo;
      out[i] = k >= 0 && k < size ? map[k]! - 1 : -1;
    }
  }
  if (valid) {
    for (let i = 0; i < n; i++) {
      const b = bo + i;
      if (((valid[b >> 3]! >> (b & 7)) & 1) === 0) out[i] = -1;
    }
  }
}

/**
 * The build side of a hash join, built once: its keys in a hash table and its row numbers
 * grouped by key (rows[start[g] .. start[g+1]) in row order). Probing only reads it, so many
 * partitions can probe one build; `toBuffers` gives it as typed arrays to share or transfer.
 */
export class JoinBuild {
  private constructor(
    readonly table: GroupTable,
    readonly start: Int32Array,
    readonly rows: Int32Array,
    readonly dense: DenseIndex | undefined,
  ) {}

  static build(keys: readonly Data[]): JoinBuild {
    const n = keys[0]?.length ?? 0;
    const table = new GroupTable(keys.map((c) => c.type));
    const direct = denseIndex(keys);
    let gids: Int32Array;
    let g: number;
    if (direct) {
      gids = direct.gids;
      g = direct.groups;
    } else {
      gids = new Int32Array(n);
      table.insert(keys, gids);
      g = table.numGroups;
    }
    const start = new Int32Array(g + 1);
    for (let i = 0; i < n; i++) start[gids[i]! + 1]!++;
    for (let k = 0; k < g; k++) start[k + 1]! += start[k]!;
    const next = start.slice(0, g);
    const rows = new Int32Array(n);
    for (let i = 0; i < n; i++) rows[next[gids[i]!]!++] = i;
    return new JoinBuild(table, start, rows, direct?.index);
  }

  /** A build from `toBuffers`; `readOnly` adopts the arrays (shared memory, probed only). */
  static fromBuffers(types: readonly DataType[], b: JoinBuildBuffers, readOnly = false): JoinBuild {
    const table = GroupTable.fromBuffers(types, b.table, readOnly);
    return new JoinBuild(table, b.start, b.rows, b.dense);
  }

  toBuffers(): JoinBuildBuffers {
    const b: JoinBuildBuffers = {
      table: this.table.toBuffers(),
      start: this.start,
      rows: this.rows,
    };
    if (this.dense) b.dense = this.dense;
    return b;
  }

  get numRows(): number {
    return this.rows.length;
  }

  /** The key group of each probe row, -1 when none (a null key never matches). */
  probe(keys: readonly Data[]): Int32Array {
    const out = new Int32Array(keys[0]?.length ?? 0);
    if (this.dense) probeDense(this.dense, keys[0]!, out);
    else this.table.lookup(keys, out, false);
    return out;
  }
}

export function hashJoinPairs(
  leftKeys: readonly Data[],
  rightKeys: readonly Data[],
  how: Exclude<JoinHow, "cross">,
): JoinPairs {
  if (how === "right") {
    const m = primaryJoin(rightKeys, leftKeys, "left");
    return { left: m.s, right: m.p };
  }
  const m = primaryJoin(leftKeys, rightKeys, how);
  return { left: m.p, right: m.s };
}

class PairBuffer {
  p = new Int32Array(1024);
  s = new Int32Array(1024);
  n = 0;
  push(p: number, s: number): void {
    if (this.n === this.p.length) {
      const np = new Int32Array(this.n * 2);
      np.set(this.p);
      this.p = np;
      const ns = new Int32Array(this.n * 2);
      ns.set(this.s);
      this.s = ns;
    }
    this.p[this.n] = p;
    this.s[this.n++] = s;
  }
  done(): { p: Int32Array; s: Int32Array } {
    return { p: this.p.slice(0, this.n), s: this.s.slice(0, this.n) };
  }
}

function rowCount(cols: readonly Data[]): number {
  return cols[0]?.length ?? 0;
}

/** Consecutive zero-copy slices of the key columns, PROBE_ROWS rows each. */
function partitions(keys: readonly Data[]): { offset: number; keys: Data[] }[] {
  const n = rowCount(keys);
  const out: { offset: number; keys: Data[] }[] = [];
  for (let a = 0; a < n; a += PROBE_ROWS) {
    const len = Math.min(PROBE_ROWS, n - a);
    out.push({ offset: a, keys: keys.map((k) => (len === n ? k : k.slice(a, len))) });
  }
  return out;
}

/**
 * One partition of primary rows probing a build of the other side: its pairs in primary
 * order (rows numbered from `offset`), and the build rows it matched (outer joins).
 */
export function probePrimary(
  build: JoinBuild,
  keys: readonly Data[],
  offset: number,
  mode: Mode,
  matched: Uint8Array | null,
): { p: Int32Array; s: Int32Array } {
  const out = new PairBuffer();
  const keepUnmatched = mode === "left" || mode === "outer";
  const pg = build.probe(keys);
  const { start, rows } = build;
  for (let i = 0; i < pg.length; i++) {
    const g = pg[i]!;
    const p = offset + i;
    if (g < 0) {
      if (keepUnmatched || mode === "anti") out.push(p, -1);
      continue;
    }
    if (mode === "semi") out.push(p, -1);
    else if (mode !== "anti") {
      for (let k = start[g]!, e = start[g + 1]!; k < e; k++) {
        const s = rows[k]!;
        out.push(p, s);
        if (matched) matched[s] = 1;
      }
    }
  }
  return out.done();
}

function concatPairs(parts: { p: Int32Array; s: Int32Array }[], extra: number): PairBuffer {
  const out = new PairBuffer();
  let n = extra;
  for (const q of parts) n += q.p.length;
  out.p = new Int32Array(Math.max(n, 1));
  out.s = new Int32Array(Math.max(n, 1));
  for (const q of parts) {
    out.p.set(q.p, out.n);
    out.s.set(q.s, out.n);
    out.n += q.p.length;
  }
  return out;
}

/** Join in the order of P ("primary"), S the other side; builds on whichever is smaller. */
function primaryJoin(
  P: readonly Data[],
  S: readonly Data[],
  mode: Mode,
): { p: Int32Array; s: Int32Array } {
  const np = rowCount(P);
  const ns = rowCount(S);
  const keepUnmatchedP = mode === "left" || mode === "outer";
  if (ns <= np) {
    // Build on S, probe P by partitions: each gives its pairs in P order directly.
    const build = JoinBuild.build(S);
    const matchedS = mode === "outer" ? new Uint8Array(ns) : null;
    const parts = partitions(P).map((q) => probePrimary(build, q.keys, q.offset, mode, matchedS));
    let unmatched = 0;
    if (matchedS) for (let s = 0; s < ns; s++) unmatched += 1 - matchedS[s]!;
    const out = concatPairs(parts, unmatched);
    // Build rows with a null key were grouped but can never match: they stay unmatched.
    if (matchedS) for (let s = 0; s < ns; s++) if (!matchedS[s]) out.push(-1, s);
    return out.done();
  }
  // Build on P (the smaller side), probe S by partitions, then put the pairs into P order.
  const build = JoinBuild.build(P);
  const { start, rows } = build;
  const sg = new Int32Array(ns);
  for (const q of partitions(S)) sg.set(build.probe(q.keys), q.offset);
  const out = new PairBuffer();
  const perP = new Int32Array(np + 1);
  let total = 0;
  for (let s = 0; s < ns; s++) {
    const g = sg[s]!;
    if (g < 0) continue;
    for (let k = start[g]!, e = start[g + 1]!; k < e; k++) perP[rows[k]! + 1]!++;
    total += start[g + 1]! - start[g]!;
  }
  for (let p = 0; p < np; p++) perP[p + 1]! += perP[p]!;
  const matched = new Int32Array(total);
  if (mode !== "semi" && mode !== "anti") {
    const next = perP.slice(0, np);
    for (let s = 0; s < ns; s++) {
      const g = sg[s]!;
      if (g < 0) continue;
      for (let k = start[g]!, e = start[g + 1]!; k < e; k++) matched[next[rows[k]!]!++] = s;
    }
  }
  for (let p = 0; p < np; p++) {
    const a = perP[p]!;
    const b = perP[p + 1]!;
    if (a === b) {
      if (keepUnmatchedP || mode === "anti") out.push(p, -1);
    } else if (mode === "semi") out.push(p, -1);
    else if (mode !== "anti") for (let k = a; k < b; k++) out.push(p, matched[k]!);
  }
  if (mode === "outer") for (let s = 0; s < ns; s++) if (sg[s]! < 0) out.push(-1, s);
  return out.done();
}
