import { type Data, type DataType, Type } from "apache-arrow";
import type { AggFn } from "../expr/ast.js";
import { type GroupAccumulator, makeAccumulator } from "./groupby-aggs.js";
import { GroupKeys } from "./groupby-keys.js";
import { FloatSumAcc } from "./groupby-sum.js";

export interface AggSpec {
  fn: AggFn;
  /** Type of the argument column (null for countRows). */
  argType: DataType | null;
  /**
   * Identifies the argument expression: float `sum` and `mean` of the same argument share one
   * running sum and count (one pass over the rows instead of two).
   */
  argId?: number;
}

/** One accumulator fed by one aggregation's argument column. */
interface Feed {
  acc: GroupAccumulator;
  arg: number;
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
  private readonly feeds: Feed[] = [];
  private readonly outputs: ((numGroups: number) => Data)[] = [];
  private gids = new Int32Array(0);

  constructor(keyTypes: readonly DataType[], aggs: readonly AggSpec[]) {
    this.keys = keyTypes.length ? new GroupKeys(keyTypes) : null;
    const sums = new Map<number, FloatSumAcc>();
    aggs.forEach((a, i) => {
      if (
        (a.fn === "sum" || a.fn === "mean") &&
        a.argId !== undefined &&
        a.argType?.typeId === Type.Float
      ) {
        let acc = sums.get(a.argId);
        if (!acc) {
          acc = new FloatSumAcc(false);
          sums.set(a.argId, acc);
          this.feeds.push({ acc, arg: i });
        }
        const shared = acc;
        this.outputs.push((n) => shared.finishAs(n, a.fn === "mean"));
        return;
      }
      const acc = makeAccumulator(a.fn, a.argType);
      this.feeds.push({ acc, arg: i });
      this.outputs.push((n) => acc.finish(n));
    });
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
    for (const f of this.feeds) f.acc.update(gids, args[f.arg]!, groups);
  }

  /** Key columns then aggregation columns, one row per group in first-seen order. */
  finish(): { keys: Data[]; aggs: Data[]; numGroups: number } {
    const numGroups = this.numGroups;
    return {
      keys: this.keys ? this.keys.keys() : [],
      aggs: this.outputs.map((finish) => finish(numGroups)),
      numGroups,
    };
  }
}
