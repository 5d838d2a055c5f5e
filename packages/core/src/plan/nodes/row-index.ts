import { Field, Int64, Schema } from "apache-arrow";
import { stringAt } from "../json/values.js";
import type { NodeKindDef } from "../node-kind.js";
import type { PlanNode } from "../nodes.js";
import { PlanError } from "../resolve.js";
import { oneInput } from "./inputs.js";

/** The input with a first column `name` numbering its rows 0, 1, 2, … (int64). */
export interface RowIndexNode {
  kind: "rowIndex";
  schema: Schema;
  input: PlanNode;
  name: string;
}

export function rowIndexNode(input: PlanNode, name: string): RowIndexNode {
  if (typeof name !== "string" || name === "")
    throw new PlanError("withRowIndex() takes a column name (a non-empty string).");
  if (input.schema.fields.some((f) => f.name === name)) {
    throw new PlanError(
      `withRowIndex(): a column "${name}" exists already; give the index another name, e.g. withRowIndex("row_nr").`,
    );
  }
  const schema = new Schema([new Field(name, new Int64(), false), ...input.schema.fields]);
  return { kind: "rowIndex", input, name, schema };
}

export const rowIndexKind: NodeKindDef<RowIndexNode> = {
  inputs: (node) => [node.input],
  withInputs: (node, [input]) => ({ ...node, input: input! }),
  refresh: (node) => rowIndexNode(node.input, node.name),
  explain: (node) => `RowIndex: ${node.name}`,
  encode: (node) => ({ name: node.name }),
  decode: (json, inputs, _dec, where) =>
    rowIndexNode(oneInput(inputs, where), stringAt(json.name, `${where}.name`)),
};
