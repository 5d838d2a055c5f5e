import type { PlanNode } from "../plan/nodes.js";
import { AggregateOperator } from "./aggregate.js";
import { ConcatOperator } from "./concat.js";
import { DistinctOperator } from "./distinct.js";
import { ExplodeOperator } from "./explode.js";
import { FilterOperator } from "./filter.js";
import { IntoBatchesOperator } from "./into-batches.js";
import { JoinOperator } from "./join.js";
import { LimitOperator } from "./limit.js";
import { metered } from "./metered.js";
import type { Operator } from "./operator.js";
import { ProjectOperator } from "./project.js";
import { SinkOperator } from "./sink.js";
import { SortOperator } from "./sort.js";
import { SourceOperator } from "./source.js";
import { UdfProjectOperator } from "./udf-project.js";

/** Turns an (optimized) logical plan into a tree of physical operators. */
export function lower(node: PlanNode): Operator {
  const op = lowerNode(node);
  const own = node.kind === "source" || node.kind === "udfProject" || node.kind === "sink";
  return own ? op : metered(op);
}

function lowerNode(node: PlanNode): Operator {
  switch (node.kind) {
    case "source":
      return new SourceOperator(node);
    case "project":
      // A filter right below a projection becomes its selection (see ProjectOperator).
      if (node.input.kind === "filter") {
        return new ProjectOperator(node, lower(node.input.input), node.input.predicate);
      }
      return new ProjectOperator(node, lower(node.input));
    case "udfProject":
      return new UdfProjectOperator(node, lower(node.input));
    case "filter":
      return new FilterOperator(node, lower(node.input));
    case "limit":
      return new LimitOperator(node, lower(node.input));
    case "intoBatches":
      return new IntoBatchesOperator(node, lower(node.input));
    case "sort":
      return new SortOperator(node, lower(node.input));
    case "aggregate":
      // A filter right below an aggregation becomes its selection: no copied columns.
      if (node.input.kind === "filter") {
        return new AggregateOperator(node, lower(node.input.input), {
          predicate: node.input.predicate,
        });
      }
      return new AggregateOperator(node, lower(node.input));
    case "join":
      return new JoinOperator(node, lower(node.left), lower(node.right));
    case "explode":
      return new ExplodeOperator(node, lower(node.input));
    case "distinct":
      return new DistinctOperator(node, lower(node.input));
    case "concat":
      return new ConcatOperator(node, node.inputs.map(lower));
    case "sink":
      return new SinkOperator(node, lower(node.input));
  }
}
