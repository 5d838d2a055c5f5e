import type { Schema } from "apache-arrow";
import { arrayAt, stringAt } from "../json/values.js";
import type { NodeKindDef } from "../node-kind.js";
import type { PlanNode } from "../nodes.js";
import { distinctPlan } from "../relational.js";
import { oneInput } from "./inputs.js";

/** The first row of each distinct combination of `columns`. */
export interface DistinctNode {
  kind: "distinct";
  schema: Schema;
  input: PlanNode;
  columns: string[];
}

export const distinctKind: NodeKindDef<DistinctNode> = {
  inputs: (node) => [node.input],
  withInputs: (node, [input]) => ({ ...node, input: input! }),
  refresh: (node) => distinctPlan(node.input, node.columns),
  explain: (node) => `Distinct: ${node.columns.join(", ")}`,
  encode: (node) => ({ columns: [...node.columns] }),
  decode: (json, inputs, _dec, where) =>
    distinctPlan(
      oneInput(inputs, where),
      arrayAt(json.columns, `${where}.columns`).map((c, i) =>
        stringAt(c, `${where}.columns[${i}]`),
      ),
    ),
};
