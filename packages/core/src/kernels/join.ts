import type { Data } from "apache-arrow";
import type { JoinHow } from "../plan/nodes.js";
import { GroupTable } from "./hash-table.js";

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

type Mode = "inner" | "left" | "outer" | "semi" | "anti";

export function hashJoinPairs(
  leftKeys: readonly Data[],
  rightKeys: readonly Data[],
  how: JoinHow,
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

/** Rows of the build side grouped by key: rows[start[g] .. start[g+1]) in row order. */
function groupRows(gids: Int32Array, numGroups: number): { start: Int32Array; rows: Int32Array } {
  const start = new Int32Array(numGroups + 1);
  for (let i = 0; i < gids.length; i++) start[gids[i]! + 1]!++;
  for (let g = 0; g < numGroups; g++) start[g + 1]! += start[g]!;
  const next = start.slice(0, numGroups);
  const rows = new Int32Array(gids.length);
  for (let i = 0; i < gids.length; i++) rows[next[gids[i]!]!++] = i;
  return { start, rows };
}

function rowCount(cols: readonly Data[]): number {
  return cols[0]?.length ?? 0;
}

/** Join in the order of P ("primary"), S the other side; builds on whichever is smaller. */
function primaryJoin(
  P: readonly Data[],
  S: readonly Data[],
  mode: Mode,
): { p: Int32Array; s: Int32Array } {
  const np = rowCount(P);
  const ns = rowCount(S);
  const out = new PairBuffer();
  const keepUnmatchedP = mode === "left" || mode === "outer";
  if (ns <= np) {
    // Build on S, probe P in order: pairs come out in P order directly.
    const table = new GroupTable(S.map((c) => c.type));
    const sg = new Int32Array(ns);
    table.insert(S, sg);
    const { start, rows } = groupRows(sg, table.numGroups);
    const pg = new Int32Array(np);
    table.lookup(P, pg, false);
    const matchedS = mode === "outer" ? new Uint8Array(ns) : null;
    for (let p = 0; p < np; p++) {
      const g = pg[p]!;
      if (g < 0) {
        if (keepUnmatchedP || mode === "anti") out.push(p, -1);
        continue;
      }
      if (mode === "semi") out.push(p, -1);
      else if (mode !== "anti") {
        for (let k = start[g]!, e = start[g + 1]!; k < e; k++) {
          const s = rows[k]!;
          out.push(p, s);
          if (matchedS) matchedS[s] = 1;
        }
      }
    }
    if (matchedS) {
      // Build rows with a null key were grouped but can never match: they stay unmatched.
      for (let s = 0; s < ns; s++) if (!matchedS[s]) out.push(-1, s);
    }
    return out.done();
  }
  // Build on P (the smaller side), probe S, then put the pairs back into P order.
  const table = new GroupTable(P.map((c) => c.type));
  const pgids = new Int32Array(np);
  table.insert(P, pgids);
  const { start, rows } = groupRows(pgids, table.numGroups);
  const sg = new Int32Array(ns);
  table.lookup(S, sg, false);
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
