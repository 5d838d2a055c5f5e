import type { PlanNode } from "../plan/nodes.js";
import { AggregateOperator } from "./aggregate.js";
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
import { ParallelSortOperator } from "./parallel-sort.js";
import { ProjectOperator } from "./project.js";
import { SinkOperator } from "./sink.js";
import { SortOperator } from "./sort.js";
import { SourceOperator } from "./source.js";
import { UdfProjectOperator } from "./udf-project.js";

/** How a plan is lowered. */
export interface LowerOptions {
  /**
   * Cut chains of scans, filters and projections into fragments that run per partition on the
   * compute threads (the default). A compute thread lowers its fragment with `false`.
   */
  parallel: boolean;
}

/** Turns an (optimized) logical plan into a tree of physical operators. */
export function lower(node: PlanNode, opts: LowerOptions = { parallel: true }): Operator {
  const op = lowerNode(node, opts);
  const own = node.kind === "source" || node.kind === "udfProject" || node.kind === "sink";
  return own ? op : metered(op);
}

/** The node's own operator, on the calling thread (a compute thread runs a fragment's root so). */
export function lowerLocal(node: PlanNode): Operator {
  return lowerNode(node, { parallel: false });
}

function lowerNode(node: PlanNode, opts: LowerOptions): Operator {
  if (opts.parallel) {
    const scan = fragmentScan(node);
    if (scan) return new FragmentOperator(node, scan, lowerLocal(node));
    const below =
      node.kind === "aggregate" || node.kind === "sort" ? chainScan(node.input) : undefined;
    if (below && node.kind === "sort")
      return new ParallelSortOperator(node, below, lowerLocal(node));
    if (below && node.kind === "aggregate") {
      const local = lowerLocal(node) as AggregateOperator;
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
    case "join":
      return new JoinOperator(node, lower(node.left, opts), lower(node.right, opts));
    case "explode":
      return new ExplodeOperator(node, lower(node.input, opts));
    case "distinct":
      return new DistinctOperator(node, lower(node.input, opts));
    case "concat":
      return new ConcatOperator(
        node,
        node.inputs.map((i) => lower(i, opts)),
      );
    case "sink":
      return new SinkOperator(node, lower(node.input, opts));
  }
}
