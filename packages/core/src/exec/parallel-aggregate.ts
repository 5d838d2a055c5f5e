import { type RecordBatch, type Schema, tableFromIPC } from "apache-arrow";
import { sliceIntoBatches } from "../kernels/take-concat.js";
import type { SourceNode } from "../plan/nodes/source.js";
import type { PlanNode } from "../plan/nodes.js";
import type { AggregateOperator } from "./aggregate.js";
import type { ExecContext } from "./context.js";
import { describeSplit, FOLDS_PER_THREAD, foldPartitions, runPartitions } from "./fragment.js";
import type { Operator } from "./operator.js";

type AggregateNode = Extract<PlanNode, { kind: "aggregate" }>;

/**
 * Aggregation as partial then final across the compute threads: each partition of the scan
 * runs its filters and projections and folds its rows into a state of its own on a thread;
 * the states come back as columns and are merged here in partition order, so groups keep the
 * first-seen order of the whole input.
 */
export class ParallelAggregateOperator implements Operator {
  readonly name = "Aggregate";
  readonly schema: Schema;
  readonly children: readonly Operator[];
  constructor(
    private readonly node: AggregateNode,
    private readonly scan: SourceNode,
    /** The aggregation on the calling thread: it merges, and runs alone at `threads: 1`. */
    private readonly local: AggregateOperator,
  ) {
    this.schema = node.schema;
    this.children = local.children;
  }
  describe(): string {
    const how = describeSplit(
      this.scan,
      (n) =>
        `partial per task on the compute threads (${n} partitions in up to ${FOLDS_PER_THREAD} tasks per thread), final here`,
    );
    return `${this.local.describe()} [${how}]`;
  }
  async *execute(ctx: ExecContext): AsyncGenerator<RecordBatch> {
    const parts = foldPartitions(this.scan, ctx);
    if (!parts) {
      yield* this.local.execute(ctx);
      return;
    }
    const keys = this.node.keys.length;
    const result = this.local.newState();
    const replies = runPartitions(this.node, parts, "partialAggregate", ctx);
    for await (const { ipc } of replies) {
      for (const batch of tableFromIPC(ipc).batches) {
        const cols = batch.data.children;
        result.merge({
          numGroups: batch.numRows,
          keys: cols.slice(0, keys),
          states: cols.slice(keys),
        });
      }
    }
    const out = result.finish();
    yield* sliceIntoBatches(this.schema, [...out.keys, ...out.aggs], out.numGroups);
  }
}
