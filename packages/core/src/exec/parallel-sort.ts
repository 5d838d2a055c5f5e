import { type RecordBatch, type Schema, tableFromIPC } from "apache-arrow";
import { formatExpr } from "../expr/expr.js";
import { compile, type Program } from "../kernels/evaluate.js";
import { mergeRuns } from "../kernels/sort-merge.js";
import { takeData } from "../kernels/take.js";
import { concatData, makeBatch, sliceIntoBatches } from "../kernels/take-concat.js";
import { locateRows, takePieces, takesPieces } from "../kernels/take-pieces.js";
import type { SourceNode } from "../plan/nodes/source.js";
import type { PlanNode } from "../plan/nodes.js";
import { type ExecContext, throwIfAborted } from "./context.js";
import { describeSplit, FOLDS_PER_THREAD, foldPartitions, runPartitions } from "./fragment.js";
import type { Operator } from "./operator.js";

type SortNode = Extract<PlanNode, { kind: "sort" }>;

/**
 * Sort across the compute threads: each partition of the scan runs its filters and
 * projections and orders its rows (keeps its best `limit` rows, sorted, for a top-N) on a
 * thread; the runs come back in partition order and are merged k ways here. The merge is stable and
 * partitions are in input order, so the result equals one stable sort of the whole input.
 */
export class ParallelSortOperator implements Operator {
  readonly name = "Sort";
  readonly schema: Schema;
  readonly children: readonly Operator[];
  private readonly keys: Program[];
  private readonly keyNames: string[];
  constructor(
    private readonly node: SortNode,
    private readonly scan: SourceNode,
    /** The sort on the calling thread, for `threads: 1` and unsplittable scans. */
    private readonly local: Operator,
  ) {
    this.schema = node.schema;
    this.children = local.children;
    this.keys = node.keys.map((k) => compile(k.expr, node.input.schema));
    this.keyNames = node.keys.map((k) => formatExpr(k.expr));
  }
  describe(): string {
    const how = describeSplit(
      this.scan,
      (n) =>
        `sorted runs per task on the compute threads (${n} partitions in up to ${FOLDS_PER_THREAD} tasks per thread), k-way merge here`,
    );
    return `${this.local.describe()} [${how}]`;
  }
  async *execute(ctx: ExecContext): AsyncGenerator<RecordBatch> {
    const parts = foldPartitions(this.scan, ctx);
    if (!parts) {
      yield* this.local.execute(ctx);
      return;
    }
    // Each task sends its rows sorted (a top-N's just its best rows): the gather by a
    // partition's own order runs on the threads, in parallel, and the merged order here
    // reads every run front to back, so the final gather streams instead of jumping about
    // the whole input (on 3M flights rows that gather was most of a single-thread sort).
    const batches: RecordBatch[] = [];
    const runs: Int32Array[] = [];
    let rows = 0;
    for await (const { ipc } of runPartitions(this.node, parts, "batches", ctx)) {
      let n = 0;
      for (const b of tableFromIPC(ipc).batches) {
        batches.push(makeBatch(this.schema, b.data.children, b.numRows));
        n += b.numRows;
      }
      // This partition's rows are the next `n` rows of the whole, already in order.
      const run = new Int32Array(n);
      for (let i = 0; i < n; i++) run[i] = rows + i;
      runs.push(run);
      rows += n;
    }
    if (rows === 0) return;
    throwIfAborted(ctx.signal);
    // Only the key columns are concatenated for the merge; every column is then gathered
    // straight from the runs' batches (one copy of the rows, not a concatenation and a take).
    const keys = this.keys.map((k) => {
      const parts = batches.map((b) => k(b));
      return parts.length === 1 ? parts[0]! : concatData(parts[0]!.type, parts);
    });
    let idx = mergeRuns(keys, this.node.keys, this.keyNames, runs);
    if (this.node.limit !== undefined && idx.length > this.node.limit)
      idx = idx.subarray(0, this.node.limit);
    if (batches.length === 1) {
      const out = batches[0]!.data.children.map((c) => takeData(c, idx));
      yield* sliceIntoBatches(this.schema, out, idx.length);
      return;
    }
    const starts = new Int32Array(batches.length + 1);
    for (let b = 0; b < batches.length; b++) starts[b + 1] = starts[b]! + batches[b]!.numRows;
    const at = locateRows(starts, idx);
    const out = this.schema.fields.map((f, c) => {
      const pieces = batches.map((b) => b.data.children[c]!);
      return takesPieces(f.type)
        ? takePieces(pieces, at)
        : takeData(concatData(f.type, pieces), idx);
    });
    yield* sliceIntoBatches(this.schema, out, idx.length);
  }
}
