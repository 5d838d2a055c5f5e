import type { RecordBatch, Schema } from "apache-arrow";
import { makeBatch } from "../kernels/take-concat.js";
import type { TailNode } from "../plan/nodes.js";
import { type ExecContext, throwIfAborted } from "./context.js";
import type { Operator } from "./operator.js";

/**
 * The last `n` rows: reads its whole input, keeping only the batches that may still hold one
 * of the last `n` rows (memory is about `n` rows plus one batch), then yields them in order.
 */
export class TailOperator implements Operator {
  readonly name = "Tail";
  readonly schema: Schema;
  readonly children: readonly Operator[];
  constructor(
    private readonly node: TailNode,
    private readonly input: Operator,
  ) {
    this.schema = node.schema;
    this.children = [input];
  }
  describe(): string {
    return String(this.node.n);
  }
  async *execute(ctx: ExecContext): AsyncGenerator<RecordBatch> {
    const { n } = this.node;
    if (n === 0) return;
    const kept: RecordBatch[] = [];
    let rows = 0;
    for await (const batch of this.input.execute(ctx)) {
      throwIfAborted(ctx.signal);
      if (batch.numRows === 0) continue;
      kept.push(batch);
      rows += batch.numRows;
      while (rows - kept[0]!.numRows >= n) rows -= kept.shift()!.numRows;
    }
    const skip = Math.max(0, rows - n);
    for (const [i, batch] of kept.entries()) {
      if (i > 0 || skip === 0) {
        yield batch;
        continue;
      }
      const len = batch.numRows - skip;
      yield makeBatch(
        this.schema,
        batch.data.children.map((c) => c.slice(skip, len)),
        len,
      );
    }
  }
}
