import type { Data, RecordBatch, Schema } from "apache-arrow";
import type { ExprNode } from "../expr/ast.js";
import { formatExpr } from "../expr/expr.js";
import { compile, compileSelection, type Program } from "../kernels/evaluate.js";
import { exprId } from "../kernels/expr-id.js";
import { GroupByState } from "../kernels/groupby.js";
import { sliceIntoBatches } from "../kernels/take-concat.js";
import type { PlanNode } from "../plan/nodes.js";
import { resolveType } from "../types/typing.js";
import { type ExecContext, throwIfAborted } from "./context.js";
import type { Operator } from "./operator.js";

type AggregateNode = Extract<PlanNode, { kind: "aggregate" }>;

/** Input rows folded into one partial state before it is merged into the result. */
export const PARTITION_ROWS = 1 << 20;

export interface AggregateOptions {
  /**
   * A filter's predicate this aggregation applies itself: it aggregates only the selected rows
   * of each batch, so the filter never copies its columns.
   */
  predicate?: ExprNode;
  /** Rows per partition (partial state); the result does not depend on it. */
  partitionRows?: number;
}

/**
 * Group-by aggregation (blocking), as partial then final: each partition of the input (for
 * now consecutive batches of about `partitionRows` rows) folds into its own state, which is
 * exported as columns and merged, in input order, into the result. Groups come out in
 * first-seen order of the whole input, one row per group, in batches of <= 128K rows.
 * Without keys it is a global aggregation and emits exactly one row, also for empty input.
 */
export class AggregateOperator implements Operator {
  readonly name = "Aggregate";
  readonly schema: Schema;
  readonly children: readonly Operator[];
  /** Key and argument expressions (and the predicate), bound to the input schema once. */
  private readonly keyPrograms: Program[];
  private readonly argPrograms: (Program | null)[];
  private readonly select: ((batch: RecordBatch) => Int32Array) | null;
  private readonly partitionRows: number;
  constructor(
    private readonly node: AggregateNode,
    private readonly input: Operator,
    private readonly opts: AggregateOptions = {},
  ) {
    this.schema = node.schema;
    this.children = [input];
    this.keyPrograms = node.keys.map((k) => compile(k.expr, input.schema));
    this.argPrograms = node.aggs.map((a) => (a.agg.arg ? compile(a.agg.arg, input.schema) : null));
    this.select = opts.predicate ? compileSelection(opts.predicate, input.schema) : null;
    this.partitionRows = opts.partitionRows ?? PARTITION_ROWS;
  }
  describe(): string {
    const aggs = this.node.aggs.map((a) => `${formatExpr(a.agg)} AS ${a.name}`).join(", ");
    const keys = this.node.keys.map((k) => formatExpr(k.expr)).join(", ");
    const where = this.opts.predicate ? ` where ${formatExpr(this.opts.predicate)}` : "";
    return (keys ? `by ${keys}: ${aggs}` : aggs) + where;
  }
  /** A fresh, empty state for one partition. */
  newState(): GroupByState {
    const inSchema = this.input.schema;
    return new GroupByState(
      this.node.keys.map((k) => resolveType(k.expr, inSchema)),
      this.node.aggs.map((a, i) => ({
        fn: a.agg.fn,
        argType: a.agg.arg ? resolveType(a.agg.arg, inSchema) : null,
        argId: a.agg.arg ? exprId(a.agg.arg) : undefined,
        args: a.agg.args,
        outType: this.schema.fields[this.node.keys.length + i]!.type,
      })),
    );
  }
  /** The partial step: folds one batch into a partition's state. */
  fold(state: GroupByState, batch: RecordBatch): void {
    const n = batch.numRows;
    let sel: Int32Array | undefined;
    if (this.select) {
      sel = this.select(batch);
      if (sel.length === 0) return;
      if (sel.length === n) sel = undefined;
    }
    const keyCols = this.keyPrograms.map((k) => k(batch));
    const args: (Data | null)[] = this.argPrograms.map((p) => (p ? p(batch) : null));
    state.push(keyCols, args, n, sel);
  }
  async *execute(ctx: ExecContext): AsyncGenerator<RecordBatch> {
    let result: GroupByState | null = null;
    let part: GroupByState | null = null;
    let rows = 0;
    const close = () => {
      // The first partition is the result so far: merging into an empty state would copy it.
      if (!result) result = part;
      else if (part) result.merge(part.exportState());
      part = null;
      rows = 0;
    };
    for await (const batch of this.input.execute(ctx)) {
      throwIfAborted(ctx.signal);
      if (batch.numRows === 0) continue;
      part ??= this.newState();
      this.fold(part, batch);
      rows += batch.numRows;
      if (rows >= this.partitionRows) close();
    }
    close();
    const out = (result ?? this.newState()).finish();
    yield* sliceIntoBatches(this.schema, [...out.keys, ...out.aggs], out.numGroups);
  }
}
