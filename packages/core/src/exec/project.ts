import type { RecordBatch, Schema } from "apache-arrow";
import { formatExpr } from "../expr/expr.js";
import { compile, type Program } from "../kernels/evaluate.js";
import { makeBatch } from "../kernels/take-concat.js";
import type { PlanNode } from "../plan/nodes.js";
import type { ExecContext } from "./context.js";
import type { Operator } from "./operator.js";

type ProjectNode = Extract<PlanNode, { kind: "project" }>;

/** Computes the projection's columns per batch with compiled expression programs. */
export class ProjectOperator implements Operator {
  readonly name = "Project";
  readonly schema: Schema;
  readonly children: readonly Operator[];
  private readonly programs: Program[];
  constructor(
    private readonly node: ProjectNode,
    private readonly input: Operator,
  ) {
    this.schema = node.schema;
    this.children = [input];
    this.programs = node.exprs.map((e) => compile(e.expr, input.schema));
  }
  describe(): string {
    return this.node.exprs.map((e) => `${e.name}=${formatExpr(e.expr)}`).join(", ");
  }
  async *execute(ctx: ExecContext): AsyncGenerator<RecordBatch> {
    for await (const batch of this.input.execute(ctx)) {
      const cols = this.programs.map((p) => p(batch));
      yield makeBatch(this.schema, cols, batch.numRows);
    }
  }
}
