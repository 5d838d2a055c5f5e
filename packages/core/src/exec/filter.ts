import type { RecordBatch, Schema } from "apache-arrow";
import { formatExpr } from "../expr/expr.js";
import { compileSelection } from "../kernels/evaluate.js";
import { takeData } from "../kernels/take.js";
import { makeBatch } from "../kernels/take-concat.js";
import type { PlanNode } from "../plan/nodes.js";
import type { ExecContext } from "./context.js";
import type { Operator } from "./operator.js";

type FilterNode = Extract<PlanNode, { kind: "filter" }>;

/** Keeps rows whose predicate is true (null counts as false), in order. */
export class FilterOperator implements Operator {
  readonly name = "Filter";
  readonly schema: Schema;
  readonly children: readonly Operator[];
  private readonly select: (batch: RecordBatch) => Int32Array;
  constructor(
    private readonly node: FilterNode,
    private readonly input: Operator,
  ) {
    this.schema = node.schema;
    this.children = [input];
    this.select = compileSelection(node.predicate, input.schema);
  }
  describe(): string {
    return formatExpr(this.node.predicate);
  }
  async *execute(ctx: ExecContext): AsyncGenerator<RecordBatch> {
    for await (const batch of this.input.execute(ctx)) {
      const sel = this.select(batch);
      if (sel.length === batch.numRows) yield batch;
      else if (sel.length > 0) {
        const cols = batch.data.children.map((c) => takeData(c, sel));
        yield makeBatch(this.schema, cols, sel.length);
      }
    }
  }
}
