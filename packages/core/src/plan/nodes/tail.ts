import type { Schema } from "apache-arrow";
import type { NodeKindDef } from "../node-kind.js";
import type { PlanNode } from "../nodes.js";
import { PlanError } from "../resolve.js";
import { oneInput } from "./inputs.js";
import { countAt } from "./limit.js";

/** The last `n` rows of the input, in input order. */
export interface TailNode {
  kind: "tail";
  schema: Schema;
  input: PlanNode;
  n: number;
}

export function tailNode(input: PlanNode, n: number): TailNode {
  if (!Number.isSafeInteger(n) || n < 0)
    throw new PlanError(`tail() takes a whole number >= 0, got ${n}.`);
  return { kind: "tail", input, n, schema: input.schema };
}

export const tailKind: NodeKindDef<TailNode> = {
  inputs: (node) => [node.input],
  withInputs: (node, [input]) => ({ ...node, input: input! }),
  refresh: (node) => ({ ...node, schema: node.input.schema }),
  explain: (node) => `Tail: ${node.n}`,
  encode: (node) => ({ n: node.n }),
  decode: (json, inputs, _dec, where) =>
    tailNode(oneInput(inputs, where), countAt(json.n, `${where}.n`)),
};
