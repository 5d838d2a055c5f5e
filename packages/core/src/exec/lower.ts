import type { PlanNode } from "../plan/nodes.js";
import { AggregateOperator } from "./aggregate.js";
import { isBroadcastJoin } from "./broadcast.js";
import { BroadcastJoinOperator } from "./broadcast-join.js";
import { ConcatOperator } from "./concat.js";
import { DistinctOperator } from "./distinct.js";
import { ExplodeOperator } from "./explode.js";
import { FilterOperator } from "./filter.js";
import { chainScan, FragmentOperator, fragmentScan } from "./fragment.js";
import { IntoBatchesOperator } from "./into-batches.js";
import { JoinOperator } from "./join.js";
import { LimitOperator } from "./limit.js";
import { metered } from "./metered.js";
import type { Operator } from "./operator.js";
import { ParallelAggregateOperator } from "./parallel-aggregate.js";
import { ParallelDistinctOperator } from "./parallel-distinct.js";
import { ParallelSortOperator } from "./parallel-sort.js";
import { ProjectOperator } from "./project.js";
import { isReverseJoin, ReverseJoinOperator } from "./reverse-join.js";
import { RowIndexOperator } from "./row-index.js";
import { SampleOperator } from "./sample.js";
import { SharedSubplans } from "./shared.js";
import { ShuffleJoinOperator, shuffledBelow } from "./shuffle-join.js";
import { SinkOperator } from "./sink.js";
import { SortOperator } from "./sort.js";
import { SourceOperator } from "./source.js";
import { TailOperator } from "./tail.js";
import { UdfProjectOperator } from "./udf-project.js";
import { WindowOperator } from "./window.js";

/** How a plan is lowered. */
export interface LowerOptions {
  /**
   * Cut chains of scans, filters, projections and broadcast joins into fragments that run per
   * partition on the compute threads (the default). A compute thread lowers its fragment with
   * `false`.
   */
  parallel: boolean;
  /**
   * With `parallel: false`: the right sides of joins may still use the threads (a chain that
   * falls back to the calling thread keeps its joins' other inputs parallel).
   */
  joinSides?: boolean;
  /** Aggregations the plan computes more than once, run once (see exec/shared.ts). */
  shared?: SharedSubplans;
  /**
   * The run has a runner (exec/runner.ts): chains over a split scan also take in UDF
   * projections, so the UDF calls run in the runner's tasks, one per partition.
   */
  distributed?: boolean;
}

/** Lowers a whole plan: the entry point of a run, of explain and of a broadcast side. */
export function lowerPlan(node: PlanNode, distributed = false): Operator {
  return lower(node, { parallel: true, shared: new SharedSubplans(node), distributed });
}

/** Turns an (optimized) logical plan into a tree of physical operators. */
export function lower(node: PlanNode, opts: LowerOptions = { parallel: true }): Operator {
  const op = lowerNode(node, opts);
  const own = node.kind === "source" || node.kind === "udfProject" || node.kind === "sink";
  return own ? op : metered(op);
}

/**
 * The node's own operator and its chain on the calling thread: what a compute thread runs
 * for its fragment, and what a fragment runs when it does not split (there the right sides
 * of its joins, `joinSides`, may still use the threads).
 */
export function lowerLocal(node: PlanNode, joinSides = false, shared?: SharedSubplans): Operator {
  return lowerNode(node, { parallel: false, joinSides, shared });
}

function lowerNode(node: PlanNode, opts: LowerOptions): Operator {
  const shared = opts.shared?.operator(node, () => lower(node, opts));
  if (shared) return shared;
  if (opts.parallel) {
    const udfs = opts.distributed === true;
    const scan = fragmentScan(node, udfs);
    if (scan) return new FragmentOperator(node, scan, lowerLocal(node, true, opts.shared));
    const shuffled = udfs ? shuffledBelow(node) : undefined;
    if (shuffled) return new ShuffleJoinOperator(node, shuffled);
    const below =
      node.kind === "aggregate" || node.kind === "sort" || node.kind === "distinct"
        ? chainScan(node.input, udfs)
        : undefined;
    if (below && node.kind === "distinct")
      return new ParallelDistinctOperator(node, below, lowerLocal(node, true, opts.shared));
    if (below && node.kind === "sort")
      return new ParallelSortOperator(node, below, lowerLocal(node, true, opts.shared));
    if (below && node.kind === "aggregate") {
      const local = lowerLocal(node, true, opts.shared) as AggregateOperator;
      return new ParallelAggregateOperator(node, below, local);
    }
  }
  switch (node.kind) {
    case "source":
      return new SourceOperator(node);
    case "project":
      // A filter right below a projection becomes its selection (see ProjectOperator).
      if (node.input.kind === "filter") {
        return new ProjectOperator(node, lower(node.input.input, opts), node.input.predicate);
      }
      return new ProjectOperator(node, lower(node.input, opts));
    case "udfProject":
      return new UdfProjectOperator(node, lower(node.input, opts));
    case "filter":
      return new FilterOperator(node, lower(node.input, opts));
    case "limit":
      return new LimitOperator(node, lower(node.input, opts));
    case "intoBatches":
      return new IntoBatchesOperator(node, lower(node.input, opts));
    case "sort":
      return new SortOperator(node, lower(node.input, opts));
    case "aggregate":
      // A filter right below an aggregation becomes its selection: no copied columns.
      if (node.input.kind === "filter") {
        return new AggregateOperator(node, lower(node.input.input, opts), {
          predicate: node.input.predicate,
        });
      }
      return new AggregateOperator(node, lower(node.input, opts));
    case "join": {
      const { right } = node;
      if (right.kind === "source" && right.source.format === "broadcast")
        return new BroadcastJoinOperator(node, lower(node.left, opts), right.source.options.slot);
      const sides = opts.joinSides
        ? { parallel: true, shared: opts.shared, distributed: opts.distributed }
        : opts;
      if ((opts.parallel || opts.joinSides) && isReverseJoin(node))
        return new ReverseJoinOperator(node, lower(node.left, sides), lowerPlan);
      const broadcast = opts.joinSides === true && isBroadcastJoin(node);
      return new JoinOperator(node, lower(node.left, opts), lower(right, sides), broadcast);
    }
    case "explode":
      return new ExplodeOperator(node, lower(node.input, opts));
    case "distinct":
      return new DistinctOperator(node, lower(node.input, opts));
    case "concat":
      return new ConcatOperator(
        node,
        node.inputs.map((i) => lower(i, opts)),
      );
    case "tail":
      return new TailOperator(node, lower(node.input, opts));
    case "rowIndex":
      return new RowIndexOperator(node, lower(node.input, opts));
    case "sample":
      return new SampleOperator(node, lower(node.input, opts));
    case "window":
      return new WindowOperator(node, lower(node.input, opts));
    case "sink":
      return new SinkOperator(node, lower(node.input, opts));
  }
}
