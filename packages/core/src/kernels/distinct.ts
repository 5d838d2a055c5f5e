import type { Data, DataType } from "apache-arrow";
import { GroupTable } from "./hash-table.js";

/**
 * Streaming distinct: remembers every key combination seen (nulls equal each other, as in
 * SQL DISTINCT) and reports, per batch, the rows that are first occurrences, in order.
 */
export class DistinctFilter {
  private readonly table: GroupTable;
  private ids = new Int32Array(0);

  constructor(types: readonly DataType[]) {
    this.table = new GroupTable(types);
  }

  /** Row numbers (within this batch) of keys not seen in this or any earlier batch. */
  firstRows(columns: readonly Data[]): Int32Array {
    const n = columns[0]?.length ?? 0;
    if (this.ids.length < n) this.ids = new Int32Array(n);
    const ids = this.ids.subarray(0, n);
    const before = this.table.numGroups;
    this.table.insert(columns, ids);
    // New groups get consecutive ids in row order, so a row is a first occurrence exactly
    // when its id is the next unseen one.
    const out = new Int32Array(this.table.numGroups - before);
    let next = before;
    let k = 0;
    for (let i = 0; i < n; i++) {
      if (ids[i] === next) {
        out[k++] = i;
        next++;
      }
    }
    return out;
  }
}
