import type { RecordBatch, Schema } from "apache-arrow";
import { formatExpr } from "../expr/expr.js";
import { compile, type Program } from "../kernels/evaluate.js";
import { sortIndices } from "../kernels/sort.js";
import { mergeRuns } from "../kernels/sort-merge.js";
import { takeData } from "../kernels/take.js";
import { concatBatches, makeBatch, sliceIntoBatches } from "../kernels/take-concat.js";
import type { PlanNode } from "../plan/nodes.js";
import { type ExecContext, throwIfAborted } from "./context.js";
import type { Operator } from "./operator.js";

type SortNode = Extract<PlanNode, { kind: "sort" }>;

/**
 * Input rows per sorted run when not given. On one thread a k-way merge only adds work (an
 * 8M-row float sort took about twice as long in 1M-row runs), so the whole input is one run;
 * a caller that sorts partitions on several threads passes their size.
 */
export const RUN_ROWS = Number.POSITIVE_INFINITY;

/**
 * Sorts its whole input (blocking) and emits it in batches of <= 128K rows: each partition
 * (consecutive rows, `runRows` of them) is sorted into a run on its own, then
 * the runs are merged k ways, stably, so the order equals one stable sort of the input. With
 * a `limit` (top-N) it keeps only the best `limit` rows seen so far, so memory stays bounded.
 */
export class SortOperator implements Operator {
  readonly name = "Sort";
  readonly schema: Schema;
  readonly children: readonly Operator[];
  /** Key expressions, bound to the input schema once. */
  private readonly keys: Program[];
  private readonly keyNames: string[];
  private readonly runRows: number;
  constructor(
    private readonly node: SortNode,
    private readonly input: Operator,
    opts: { runRows?: number } = {},
  ) {
    this.runRows = opts.runRows ?? RUN_ROWS;
    this.schema = node.schema;
    this.children = [input];
    this.keys = node.keys.map((k) => compile(k.expr, input.schema));
    this.keyNames = node.keys.map((k) => formatExpr(k.expr));
  }
  describe(): string {
    const keys = this.node.keys
      .map(
        (k) =>
          `${formatExpr(k.expr)}${k.descending ? " desc" : ""}${k.nullsFirst ? " nulls first" : ""}`,
      )
      .join(", ");
    return this.node.limit === undefined ? keys : `${keys} (top ${this.node.limit})`;
  }
  /** The rows of `batch` in key order (stably), or its best `limit` rows. */
  order(batch: RecordBatch, limit?: number): Int32Array {
    return sortIndices(
      this.keys.map((k) => k(batch)),
      this.node.keys,
      this.keyNames,
      limit,
    );
  }
  async *execute(ctx: ExecContext): AsyncGenerator<RecordBatch> {
    const limit = this.node.limit;
    if (limit !== undefined) {
      if (limit === 0) return;
      let best: RecordBatch | null = null;
      for await (const batch of this.input.execute(ctx)) {
        throwIfAborted(ctx.signal);
        if (batch.numRows === 0) continue;
        // The kept rows come first, so ties still favour earlier input rows (stable).
        const merged = best ? this.merge([best, batch]) : batch;
        const idx = this.order(merged, limit);
        best = makeBatch(
          this.schema,
          merged.data.children.map((c) => takeData(c, idx)),
          idx.length,
        );
      }
      if (best) yield* sliceIntoBatches(this.schema, best.data.children, best.numRows);
      return;
    }
    const batches: RecordBatch[] = [];
    for await (const batch of this.input.execute(ctx)) {
      throwIfAborted(ctx.signal);
      if (batch.numRows > 0) batches.push(batch);
    }
    if (batches.length === 0) return;
    const all = this.merge(batches);
    const idx = this.sortRuns(all, ctx);
    throwIfAborted(ctx.signal);
    const cols = all.data.children.map((c) => takeData(c, idx));
    yield* sliceIntoBatches(this.schema, cols, idx.length);
  }
  /** Sorted runs of consecutive row ranges (each independent of the others), then merged. */
  private sortRuns(all: RecordBatch, ctx: ExecContext): Int32Array {
    const n = all.numRows;
    const keys = this.keys.map((k) => k(all));
    const runs: Int32Array[] = [];
    for (let start = 0; start < n; start += this.runRows) {
      throwIfAborted(ctx.signal);
      const len = Math.min(this.runRows, n - start);
      const part = keys.map((k) => (len === n ? k : k.slice(start, len)));
      const run = sortIndices(part, this.node.keys, this.keyNames);
      if (start > 0) for (let i = 0; i < run.length; i++) run[i]! += start;
      runs.push(run);
    }
    return mergeRuns(keys, this.node.keys, this.keyNames, runs);
  }
  private merge(batches: RecordBatch[]): RecordBatch {
    if (batches.length === 1) return batches[0]!;
    const cols = concatBatches(this.schema, batches);
    return makeBatch(this.schema, cols, cols[0]?.length ?? 0);
  }
}
