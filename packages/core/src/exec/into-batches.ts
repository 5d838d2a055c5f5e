import type { RecordBatch, Schema } from "apache-arrow";
import type { PlanNode } from "../plan/nodes.js";
import type { ExecContext } from "./context.js";
import type { Operator } from "./operator.js";
import { rechunk } from "./rechunk.js";

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
  execute(ctx: ExecContext): AsyncIterable<RecordBatch> {
    return rechunk(this.input.execute(ctx), this.node.rows, this.schema);
  }
}
