import type { Data, RecordBatch, Schema } from "apache-arrow";
import { formatExpr } from "../expr/expr.js";
import { compile, type Program } from "../kernels/evaluate.js";
import { exprId } from "../kernels/expr-id.js";
import { GroupByState } from "../kernels/groupby.js";
import { sliceIntoBatches } from "../kernels/take-concat.js";
import type { PlanNode } from "../plan/nodes.js";
import { resolveType } from "../plan/resolve.js";
import { type ExecContext, throwIfAborted } from "./context.js";
import type { Operator } from "./operator.js";

type AggregateNode = Extract<PlanNode, { kind: "aggregate" }>;

/**
 * Group-by aggregation (blocking): folds each input batch into per-group running state, then
 * emits one row per group (first-seen order) in batches of <= 128K rows. Without keys it is a
 * global aggregation and emits exactly one row, also for empty input.
 */
export class AggregateOperator implements Operator {
  readonly name = "Aggregate";
  readonly schema: Schema;
  readonly children: readonly Operator[];
  /** Key and argument expressions, bound to the input schema once. */
  private readonly keyPrograms: Program[];
  private readonly argPrograms: (Program | null)[];
  constructor(
    private readonly node: AggregateNode,
    private readonly input: Operator,
  ) {
    this.schema = node.schema;
    this.children = [input];
    this.keyPrograms = node.keys.map((k) => compile(k.expr, input.schema));
    this.argPrograms = node.aggs.map((a) => (a.agg.arg ? compile(a.agg.arg, input.schema) : null));
  }
  describe(): string {
    const aggs = this.node.aggs.map((a) => `${formatExpr(a.agg)} AS ${a.name}`).join(", ");
    const keys = this.node.keys.map((k) => formatExpr(k.expr)).join(", ");
    return keys ? `by ${keys}: ${aggs}` : aggs;
  }
  async *execute(ctx: ExecContext): AsyncGenerator<RecordBatch> {
    const inSchema = this.input.schema;
    const { keys, aggs } = this.node;
    const state = new GroupByState(
      keys.map((k) => resolveType(k.expr, inSchema)),
      aggs.map((a) => ({
        fn: a.agg.fn,
        argType: a.agg.arg ? resolveType(a.agg.arg, inSchema) : null,
        argId: a.agg.arg ? exprId(a.agg.arg) : undefined,
      })),
    );
    for await (const batch of this.input.execute(ctx)) {
      throwIfAborted(ctx.signal);
      if (batch.numRows === 0) continue;
      const keyCols = this.keyPrograms.map((k) => k(batch));
      const args: (Data | null)[] = this.argPrograms.map((p) => (p ? p(batch) : null));
      state.push(keyCols, args, batch.numRows);
    }
    const out = state.finish();
    yield* sliceIntoBatches(this.schema, [...out.keys, ...out.aggs], out.numGroups);
  }
}
