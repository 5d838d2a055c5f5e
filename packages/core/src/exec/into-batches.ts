import type { RecordBatch, Schema } from "apache-arrow";
import { concatBatches, makeBatch } from "../kernels/take-concat.js";
import type { PlanNode } from "../plan/nodes.js";
import type { ExecContext } from "./context.js";
import type { Operator } from "./operator.js";

type IntoBatchesNode = Extract<PlanNode, { kind: "intoBatches" }>;

/** Re-chunks the stream into batches of exactly `rows` rows (the last may be shorter). */
export class IntoBatchesOperator implements Operator {
  readonly name = "IntoBatches";
  readonly schema: Schema;
  readonly children: readonly Operator[];
  constructor(
    private readonly node: IntoBatchesNode,
    private readonly input: Operator,
  ) {
    this.schema = node.schema;
    this.children = [input];
  }
  describe(): string {
    return `${this.node.rows} rows`;
  }
  async *execute(ctx: ExecContext): AsyncGenerator<RecordBatch> {
    const size = this.node.rows;
    let pending: RecordBatch[] = [];
    let pendingRows = 0;
    const flush = (): RecordBatch => {
      const cols = concatBatches(this.schema, pending);
      const out = makeBatch(this.schema, cols, pendingRows);
      pending = [];
      pendingRows = 0;
      return out;
    };
    for await (let batch of this.input.execute(ctx)) {
      while (batch.numRows > 0) {
        const take = Math.min(size - pendingRows, batch.numRows);
        const part = take === batch.numRows ? batch : batch.slice(0, take);
        if (pendingRows === 0 && take === size) yield part;
        else {
          pending.push(part);
          pendingRows += take;
          if (pendingRows === size) yield flush();
        }
        batch = take === batch.numRows ? batch.slice(0, 0) : batch.slice(take);
      }
    }
    if (pendingRows > 0) yield flush();
  }
}
