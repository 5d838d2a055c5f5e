import type { Schema } from "apache-arrow";
import type { NodeKindDef } from "../node-kind.js";
import type { PlanNode } from "../nodes.js";
import { concatPlan } from "../relational.js";

/** The rows of each input in turn (same columns by name and type). */
export interface ConcatNode {
  kind: "concat";
  schema: Schema;
  inputs: PlanNode[];
}

export const concatKind: NodeKindDef<ConcatNode> = {
  inputs: (node) => node.inputs,
  withInputs: (node, inputs) => ({ ...node, inputs }),
  refresh: (node) => concatPlan(node.inputs),
  explain: (node) => `Concat: ${node.inputs.length} inputs`,
  encode: () => ({}),
  decode: (_json, inputs) => concatPlan(inputs),
};
