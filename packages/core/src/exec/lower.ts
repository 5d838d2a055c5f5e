import type { PlanNode } from "../plan/nodes.js";
import { FilterOperator } from "./filter.js";
import { IntoBatchesOperator } from "./into-batches.js";
import { LimitOperator } from "./limit.js";
import type { Operator } from "./operator.js";
import { ProjectOperator } from "./project.js";
import { SourceOperator } from "./source.js";
import { UdfProjectOperator } from "./udf-project.js";

/** Turns an (optimized) logical plan into a tree of physical operators. */
export function lower(node: PlanNode): Operator {
  switch (node.kind) {
    case "source":
      return new SourceOperator(node);
    case "project":
      return new ProjectOperator(node, lower(node.input));
    case "udfProject":
      return new UdfProjectOperator(node, lower(node.input));
    case "filter":
      return new FilterOperator(node, lower(node.input));
    case "limit":
      return new LimitOperator(node, lower(node.input));
    case "intoBatches":
      return new IntoBatchesOperator(node, lower(node.input));
    default:
      throw new Error(`The ${node.kind} operator is not available in this build of deft.`);
  }
}
