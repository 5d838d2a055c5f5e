import type { Schema } from "apache-arrow";
import { badPlan, type Json } from "../json/values.js";
import type { NodeKindDef } from "../node-kind.js";
import type { PlanNode } from "../nodes.js";
import { oneInput } from "./inputs.js";

/** The first `n` rows after skipping `offset`. */
export interface LimitNode {
  kind: "limit";
  schema: Schema;
  input: PlanNode;
  n: number;
  offset: number;
}

export function limitNode(input: PlanNode, n: number, offset: number): LimitNode {
  return { kind: "limit", input, n, offset, schema: input.schema };
}

/** A whole number >= `min` from the JSON, or an error naming where. */
export function countAt(j: Json | undefined, where: string, min = 0): number {
  if (typeof j !== "number" || !Number.isSafeInteger(j) || j < min)
    throw badPlan(where, `expected a whole number >= ${min}, got ${JSON.stringify(j)}`);
  return j;
}

export const limitKind: NodeKindDef<LimitNode> = {
  inputs: (node) => [node.input],
  withInputs: (node, [input]) => ({ ...node, input: input! }),
  refresh: (node) => ({ ...node, schema: node.input.schema }),
  explain: (node) => `Limit: ${node.n}${node.offset ? ` offset ${node.offset}` : ""}`,
  encode: (node) => ({ n: node.n, offset: node.offset }),
  decode: (json, inputs, _dec, where) =>
    limitNode(
      oneInput(inputs, where),
      countAt(json.n, `${where}.n`),
      countAt(json.offset ?? 0, `${where}.offset`),
    ),
};
