import type { RecordBatch, Schema } from "apache-arrow";
import { makeBatch } from "../kernels/take-concat.js";
import type { PlanNode } from "../plan/nodes.js";
import type { ExecContext } from "./context.js";
import type { Operator } from "./operator.js";

type LimitNode = Extract<PlanNode, { kind: "limit" }>;

/** Passes `offset`..`offset + n` rows and then stops pulling, which stops everything upstream. */
export class LimitOperator implements Operator {
  readonly name = "Limit";
  readonly schema: Schema;
  readonly children: readonly Operator[];
  constructor(
    private readonly node: LimitNode,
    private readonly input: Operator,
  ) {
    this.schema = node.schema;
    this.children = [input];
  }
  describe(): string {
    return this.node.offset ? `${this.node.n} offset ${this.node.offset}` : String(this.node.n);
  }
  async *execute(ctx: ExecContext): AsyncGenerator<RecordBatch> {
    let skip = this.node.offset;
    let left = this.node.n;
    if (left <= 0) return;
    for await (const batch of this.input.execute(ctx)) {
      let start = 0;
      if (skip > 0) {
        start = Math.min(skip, batch.numRows);
        skip -= start;
      }
      const take = Math.min(left, batch.numRows - start);
      if (take > 0) {
        yield start === 0 && take === batch.numRows
          ? batch
          : makeBatch(
              this.schema,
              batch.data.children.map((c) => c.slice(start, take)),
              take,
            );
        left -= take;
      }
      if (left === 0) return;
    }
  }
}
