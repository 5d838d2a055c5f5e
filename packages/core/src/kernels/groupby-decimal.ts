// Group-by sum, mean, min and max of decimals, exact: one bigint (the unscaled value) per
// group. A partition's state is a decimal column (and, for mean, a count column), merged as
// its groups' values are.
import { type Data, type DataType, Decimal, Float64, Int64, makeData } from "apache-arrow";
import { decimalColumn, decimalToNumber, decimalValues } from "./decimal.js";
import { columnFromJs } from "./from-js.js";
import type { GroupAccumulator } from "./groupby-state.js";

export type DecimalAggFn = "sum" | "mean" | "min" | "max";

export class DecimalAcc implements GroupAccumulator {
  readonly stateWidth: number;
  private vals: (bigint | null)[] = [];
  private counts: number[] = [];
  private readonly stateType: Decimal;

  constructor(
    private readonly fn: DecimalAggFn,
    private readonly arg: Decimal,
    private readonly out: DataType,
  ) {
    this.stateWidth = fn === "mean" ? 2 : 1;
    this.stateType = fn === "min" || fn === "max" ? arg : new Decimal(arg.scale, 38, 128);
  }

  private grow(numGroups: number): void {
    while (this.vals.length < numGroups) {
      this.vals.push(null);
      this.counts.push(0);
    }
  }

  private fold(g: number, v: bigint, count: number): void {
    const cur = this.vals[g]!;
    this.counts[g]! += count;
    if (cur === null) this.vals[g] = v;
    else if (this.fn === "min") this.vals[g] = v < cur ? v : cur;
    else if (this.fn === "max") this.vals[g] = v > cur ? v : cur;
    else this.vals[g] = cur + v;
  }

  update(gids: Int32Array, arg: Data | null, numGroups: number): void {
    this.grow(numGroups);
    const vs = decimalValues(arg!);
    for (let j = 0; j < gids.length; j++) {
      const v = vs[j];
      if (v !== null && v !== undefined) this.fold(gids[j]!, v, 1);
    }
  }

  state(numGroups: number): Data[] {
    this.grow(numGroups);
    const vals = decimalColumn(this.vals.slice(0, numGroups), this.stateType, "state");
    if (this.fn !== "mean") return [vals];
    const counts = new BigInt64Array(numGroups);
    for (let g = 0; g < numGroups; g++) counts[g] = BigInt(this.counts[g]!);
    return [vals, makeData({ type: new Int64(), length: numGroups, nullCount: 0, data: counts })];
  }

  merge(map: Int32Array, state: readonly Data[], numGroups: number): void {
    this.grow(numGroups);
    const vs = decimalValues(state[0]!);
    const counts = state[1] ? (state[1].values as BigInt64Array) : null;
    for (let r = 0; r < vs.length; r++) {
      const v = vs[r];
      if (v !== null && v !== undefined) this.fold(map[r]!, v, counts ? Number(counts[r]!) : 1);
    }
  }

  finish(numGroups: number): Data {
    this.grow(numGroups);
    const vals = this.vals.slice(0, numGroups);
    if (this.fn === "mean") {
      const { scale } = this.arg;
      return columnFromJs(
        vals.map((v, g) => (v === null ? null : decimalToNumber(v, scale) / this.counts[g]!)),
        new Float64(),
        "mean",
      );
    }
    return decimalColumn(vals, this.out as Decimal, `${this.fn}()`);
  }
}
