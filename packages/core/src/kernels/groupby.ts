import type { Data, DataType } from "apache-arrow";
import type { AggFn } from "../expr/ast.js";
import { type GroupAccumulator, makeAccumulator } from "./groupby-aggs.js";
import { GroupKeys } from "./groupby-keys.js";

export interface AggSpec {
  fn: AggFn;
  /** Type of the argument column (null for countRows). */
  argType: DataType | null;
}

/**
 * Streaming group-by: each batch is mapped to group ids and folded into every aggregation's
 * running state (partial aggregation per batch, merged in place), so memory grows with the
 * number of groups, not rows (except for list/first/last/string min-max, which keep their
 * argument column). With no key columns it is a global aggregation with exactly one group,
 * even over empty input (SQL: `SELECT count(*)` of nothing is one row with 0).
 */
export class GroupByState {
  private readonly keys: GroupKeys | null;
  private readonly accs: GroupAccumulator[];
  private gids = new Int32Array(0);

  constructor(keyTypes: readonly DataType[], aggs: readonly AggSpec[]) {
    this.keys = keyTypes.length ? new GroupKeys(keyTypes) : null;
    this.accs = aggs.map((a) => makeAccumulator(a.fn, a.argType));
  }

  get numGroups(): number {
    return this.keys ? this.keys.numGroups : 1;
  }

  /** Folds in one batch: key columns and one argument column per aggregation (null for countRows). */
  push(keyCols: readonly Data[], args: readonly (Data | null)[], n: number): void {
    if (this.gids.length < n) this.gids = new Int32Array(Math.max(n, this.gids.length * 2));
    const gids = this.gids.subarray(0, n);
    if (this.keys) this.keys.insert(keyCols, gids);
    else gids.fill(0);
    const groups = this.numGroups;
    for (let k = 0; k < this.accs.length; k++) this.accs[k]!.update(gids, args[k]!, groups);
  }

  /** Key columns then aggregation columns, one row per group in first-seen order. */
  finish(): { keys: Data[]; aggs: Data[]; numGroups: number } {
    const numGroups = this.numGroups;
    return {
      keys: this.keys ? this.keys.keys() : [],
      aggs: this.accs.map((a) => a.finish(numGroups)),
      numGroups,
    };
  }
}
