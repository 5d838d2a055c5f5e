import { projectNode } from "./nodes/project.js";
import { kindOf, type PlanNode } from "./nodes.js";

export { filterNode } from "./nodes/filter.js";
export { projectionSchema, projectNode } from "./nodes/project.js";
export { udfProjectNode } from "./nodes/udf-project.js";

/** Recomputes a node's schema after its input changed (used by optimizer rules). */
export function refresh(node: PlanNode): PlanNode {
  return kindOf(node).refresh(node);
}

/** A projection that only passes columns through, by name. */
export function passThrough(input: PlanNode, names: readonly string[]): PlanNode {
  return projectNode(
    input,
    names.map((name) => ({ name, expr: { kind: "col", name } })),
  );
}
