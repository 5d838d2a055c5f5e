import type { RecordBatch, Schema } from "apache-arrow";
import { explodeIndices } from "../kernels/explode.js";
import { takeData } from "../kernels/take.js";
import { makeBatch, OUTPUT_BATCH_ROWS } from "../kernels/take-concat.js";
import type { PlanNode } from "../plan/nodes.js";
import type { ExecContext } from "./context.js";
import type { Operator } from "./operator.js";

type ExplodeNode = Extract<PlanNode, { kind: "explode" }>;

/** One row per list element (streaming); a long explosion is cut into <= 128K-row batches. */
export class ExplodeOperator implements Operator {
  readonly name = "Explode";
  readonly schema: Schema;
  readonly children: readonly Operator[];
  constructor(
    private readonly node: ExplodeNode,
    private readonly input: Operator,
  ) {
    this.schema = node.schema;
    this.children = [input];
  }
  describe(): string {
    return this.node.column;
  }
  async *execute(ctx: ExecContext): AsyncGenerator<RecordBatch> {
    const k = this.input.schema.fields.findIndex((f) => f.name === this.node.column);
    for await (const batch of this.input.execute(ctx)) {
      const list = batch.data.children[k]!;
      const { rows, elements } = explodeIndices(list);
      const child = list.children[0]!;
      for (let start = 0; start < rows.length; start += OUTPUT_BATCH_ROWS) {
        const end = Math.min(rows.length, start + OUTPUT_BATCH_ROWS);
        const r = rows.subarray(start, end);
        const cols = batch.data.children.map((c, j) =>
          j === k ? takeData(child, elements.subarray(start, end)) : takeData(c, r),
        );
        yield makeBatch(this.schema, cols, end - start);
      }
    }
  }
}
