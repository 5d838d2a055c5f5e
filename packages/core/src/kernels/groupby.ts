import { type Data, type DataType, Type } from "apache-arrow";
import type { AggFn, LitValue } from "../expr/ast.js";
import { type GroupAccumulator, makeAccumulator } from "./groupby-aggs.js";
import { GroupKeys } from "./groupby-keys.js";
import { FloatSumAcc } from "./groupby-sum.js";
import { takeData } from "./take.js";

export interface AggSpec {
  fn: AggFn;
  /** Type of the argument column (null for countRows). */
  argType: DataType | null;
  /** The result type the plan resolved for this aggregation (the typing module decides it). */
  outType: DataType;
  /**
   * Identifies the argument expression: float `sum` and `mean` of the same argument share one
   * running sum and count (one pass over the rows instead of two).
   */
  argId?: number;
  /** The aggregation's own parameters (ddof, q, separator), as in the agg node. */
  args?: readonly LitValue[];
}

/**
 * A partition's groups as plain Arrow columns, `numGroups` rows each: the key columns, then
 * every accumulator's state columns. Nothing in it refers to the state it came from, so it can
 * be sent to another thread (its buffers transferred) and merged there.
 */
export interface PartialGroups {
  numGroups: number;
  keys: Data[];
  states: Data[];
}

/** One accumulator fed by one aggregation's argument column. */
interface Feed {
  acc: GroupAccumulator;
  arg: number;
}

/**
 * Streaming group-by: each batch is mapped to group ids and folded into every aggregation's
 * running state, so memory grows with the number of groups, not rows (except for
 * list/first/last/string min-max, which keep their argument column). With no key columns it is
 * a global aggregation with exactly one group, even over empty input (SQL: `SELECT count(*)`
 * of nothing is one row with 0).
 *
 * Partitions: each partition folds its rows into its own state; `exportState` gives that state
 * as columns and `merge` folds it into another. Group ids are handed out in first-seen order,
 * so merging partitions in input order numbers the groups exactly as one state fed every row
 * would, and first/last/list see the rows in input order.
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
      const acc = makeAccumulator(a.fn, a.argType, a.outType, a.args);
      this.feeds.push({ acc, arg: i });
      this.outputs.push((n) => acc.finish(n));
    });
  }

  get numGroups(): number {
    return this.keys ? this.keys.numGroups : 1;
  }

  /**
   * Folds in one batch of `n` rows: key columns and one argument column per aggregation (null
   * for countRows). With `sel` only those rows (ascending row numbers) are aggregated: the
   * filter below need not copy its columns.
   */
  push(
    keyCols: readonly Data[],
    args: readonly (Data | null)[],
    n: number,
    sel?: Int32Array,
  ): void {
    const m = sel ? sel.length : n;
    if (this.gids.length < m) this.gids = new Int32Array(Math.max(m, this.gids.length * 2));
    const gids = this.gids.subarray(0, m);
    if (this.keys) this.keys.insert(keyCols, gids, sel);
    else gids.fill(0);
    const groups = this.numGroups;
    const gathered = new Map<number, Data | null>();
    for (const f of this.feeds) {
      const arg = args[f.arg]!;
      if (!sel || f.acc.selects || !arg) {
        f.acc.update(gids, arg, groups, sel);
        continue;
      }
      let taken = gathered.get(f.arg);
      if (taken === undefined) {
        taken = takeData(arg, sel);
        gathered.set(f.arg, taken);
      }
      f.acc.update(gids, taken, groups);
    }
  }

  /** This state's groups as columns (copies: the state stays usable). */
  exportState(): PartialGroups {
    const numGroups = this.numGroups;
    return {
      numGroups,
      keys: this.keys ? this.keys.keys() : [],
      states: this.feeds.flatMap((f) => f.acc.state(numGroups)),
    };
  }

  /**
   * Folds in a partial state exported by a GroupByState of the same keys and aggregations.
   * Its groups not seen here yet become new groups, in its order.
   */
  merge(partial: PartialGroups): void {
    const n = partial.numGroups;
    const map = new Int32Array(n);
    if (this.keys) this.keys.insert(partial.keys, map);
    const groups = this.numGroups;
    let at = 0;
    for (const f of this.feeds) {
      const w = f.acc.stateWidth;
      f.acc.merge(map, partial.states.slice(at, at + w), groups);
      at += w;
    }
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
