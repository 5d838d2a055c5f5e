import type { RecordBatch, Schema } from "apache-arrow";
import { columnsOf, type ExprNode } from "../expr/ast.js";
import { formatExpr } from "../expr/expr.js";
import { compile, compileSelection, type Program } from "../kernels/evaluate.js";
import { takeData } from "../kernels/take.js";
import { makeBatch } from "../kernels/take-concat.js";
import type { PlanNode } from "../plan/nodes.js";
import type { ExecContext } from "./context.js";
import type { Operator } from "./operator.js";

type ProjectNode = Extract<PlanNode, { kind: "project" }>;

/**
 * Computes the projection's columns per batch with compiled expression programs. Given the
 * predicate of a filter right below it, it selects the rows itself and gathers only the
 * columns its expressions read, so columns read by the predicate alone are never copied.
 */
export class ProjectOperator implements Operator {
  readonly name = "Project";
  readonly schema: Schema;
  readonly children: readonly Operator[];
  private readonly programs: Program[];
  private readonly select: ((batch: RecordBatch) => Int32Array) | null;
  /** Whether the expressions read input column k. */
  private readonly reads: boolean[];
  constructor(
    private readonly node: ProjectNode,
    private readonly input: Operator,
    private readonly predicate?: ExprNode,
  ) {
    this.schema = node.schema;
    this.children = [input];
    this.programs = node.exprs.map((e) => compile(e.expr, input.schema));
    this.select = predicate ? compileSelection(predicate, input.schema) : null;
    const used = new Set<string>();
    for (const e of node.exprs) columnsOf(e.expr, used);
    this.reads = input.schema.fields.map((f) => used.has(f.name));
  }
  describe(): string {
    const exprs = this.node.exprs.map((e) => `${e.name}=${formatExpr(e.expr)}`).join(", ");
    return this.predicate ? `${exprs} where ${formatExpr(this.predicate)}` : exprs;
  }
  async *execute(ctx: ExecContext): AsyncGenerator<RecordBatch> {
    for await (const batch of this.input.execute(ctx)) {
      let rows = batch;
      if (this.select) {
        const sel = this.select(batch);
        if (sel.length === 0) continue;
        if (sel.length < batch.numRows) {
          // Columns no expression reads are never gathered: a zero-copy prefix of the right
          // length stands in for them.
          const cols = batch.data.children.map((c, k) =>
            this.reads[k] ? takeData(c, sel) : c.slice(0, sel.length),
          );
          rows = makeBatch(batch.schema, cols, sel.length);
        }
      }
      const cols = this.programs.map((p) => p(rows));
      yield makeBatch(this.schema, cols, rows.numRows);
    }
  }
}
