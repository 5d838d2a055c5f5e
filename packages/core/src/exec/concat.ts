import type { RecordBatch, Schema } from "apache-arrow";
import { makeBatch } from "../kernels/take-concat.js";
import type { PlanNode } from "../plan/nodes.js";
import type { ExecContext } from "./context.js";
import type { Operator } from "./operator.js";

type ConcatNode = Extract<PlanNode, { kind: "concat" }>;

/** The rows of each input in turn (streaming); columns are matched by name. */
export class ConcatOperator implements Operator {
  readonly name = "Concat";
  readonly schema: Schema;
  readonly children: readonly Operator[];
  constructor(
    readonly node: ConcatNode,
    inputs: readonly Operator[],
  ) {
    this.schema = node.schema;
    this.children = inputs;
  }
  describe(): string {
    return `${this.children.length} inputs`;
  }
  async *execute(ctx: ExecContext): AsyncGenerator<RecordBatch> {
    const names = this.schema.fields.map((f) => f.name);
    for (const input of this.children) {
      const fields = input.schema.fields;
      const pos = names.map((n) => fields.findIndex((f) => f.name === n));
      for await (const batch of input.execute(ctx)) {
        if (batch.numRows === 0) continue;
        yield makeBatch(
          this.schema,
          pos.map((p) => batch.data.children[p]!),
          batch.numRows,
        );
      }
    }
  }
}
