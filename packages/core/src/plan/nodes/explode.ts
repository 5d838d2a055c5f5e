import type { Schema } from "apache-arrow";
import { stringAt } from "../json/values.js";
import type { NodeKindDef } from "../node-kind.js";
import type { PlanNode } from "../nodes.js";
import { explodePlan } from "../relational.js";
import { oneInput } from "./inputs.js";

/** One row per element of a list column. */
export interface ExplodeNode {
  kind: "explode";
  schema: Schema;
  input: PlanNode;
  column: string;
}

export const explodeKind: NodeKindDef<ExplodeNode> = {
  inputs: (node) => [node.input],
  withInputs: (node, [input]) => ({ ...node, input: input! }),
  refresh: (node) => explodePlan(node.input, node.column),
  explain: (node) => `Explode: ${node.column}`,
  encode: (node) => ({ column: node.column }),
  decode: (json, inputs, _dec, where) =>
    explodePlan(oneInput(inputs, where), stringAt(json.column, `${where}.column`)),
};
