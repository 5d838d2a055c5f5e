import type { RecordBatch, Schema } from "apache-arrow";
import type { SourceNode } from "../plan/nodes/source.js";
import type { PlanNode } from "../plan/nodes.js";
import type { ExecContext } from "./context.js";
import { DistinctOperator } from "./distinct.js";
import { describeSplit, FragmentOperator, threadPartitions } from "./fragment.js";
import type { Operator } from "./operator.js";

type DistinctNode = Extract<PlanNode, { kind: "distinct" }>;

/**
 * Distinct as partial sets on the compute threads, then a merge here: each partition of the
 * scan runs its filters and projections and keeps the first row of each key it holds (its own
 * set, on a thread); the partitions' rows come back in partition order and go through one set
 * of everything seen before, which keeps the first row of each key of the whole input.
 */
export class ParallelDistinctOperator implements Operator {
  readonly name = "Distinct";
  readonly schema: Schema;
  readonly children: readonly Operator[];
  constructor(
    private readonly node: DistinctNode,
    private readonly scan: SourceNode,
    /** The distinct on the calling thread, for `threads: 1` and unsplittable scans. */
    private readonly local: Operator,
  ) {
    this.schema = node.schema;
    this.children = local.children;
  }
  describe(): string {
    const how = describeSplit(
      this.scan,
      (n) => `partial per partition on the compute threads (${n} partitions), merged here`,
    );
    return `${this.local.describe()} [${how}]`;
  }
  execute(ctx: ExecContext): AsyncIterable<RecordBatch> {
    if (!threadPartitions(this.scan, ctx)) return this.local.execute(ctx);
    // The fragment is the distinct itself: each thread's rows are already distinct within it.
    const partial = new FragmentOperator(this.node, this.scan, this.local);
    return new DistinctOperator(this.node, partial).execute(ctx);
  }
}
