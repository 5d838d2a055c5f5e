import type { Schema } from "apache-arrow";
import type { NodeKindDef } from "../node-kind.js";
import type { PlanNode } from "../nodes.js";
import { oneInput } from "./inputs.js";
import { countAt } from "./limit.js";

/** The input re-chunked into batches of exactly `rows` rows (the last may be shorter). */
export interface IntoBatchesNode {
  kind: "intoBatches";
  schema: Schema;
  input: PlanNode;
  rows: number;
}

export function intoBatchesNode(input: PlanNode, rows: number): IntoBatchesNode {
  return { kind: "intoBatches", input, rows, schema: input.schema };
}

export const intoBatchesKind: NodeKindDef<IntoBatchesNode> = {
  inputs: (node) => [node.input],
  withInputs: (node, [input]) => ({ ...node, input: input! }),
  refresh: (node) => ({ ...node, schema: node.input.schema }),
  explain: (node) => `IntoBatches: ${node.rows}`,
  encode: (node) => ({ rows: node.rows }),
  decode: (json, inputs, _dec, where) =>
    intoBatchesNode(oneInput(inputs, where), countAt(json.rows, `${where}.rows`, 1)),
};
