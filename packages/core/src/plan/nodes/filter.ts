import type { Schema } from "apache-arrow";
import type { ExprNode } from "../../expr/ast.js";
import { formatExpr } from "../../expr/expr.js";
import type { NodeKindDef } from "../node-kind.js";
import type { PlanNode } from "../nodes.js";
import { oneInput } from "./inputs.js";
import { dropAliases } from "./project.js";

/** The rows of the input for which the predicate is true. */
export interface FilterNode {
  kind: "filter";
  schema: Schema;
  input: PlanNode;
  predicate: ExprNode;
}

export function filterNode(input: PlanNode, predicate: ExprNode): FilterNode {
  return { kind: "filter", input, predicate: dropAliases(predicate), schema: input.schema };
}

export const filterKind: NodeKindDef<FilterNode> = {
  inputs: (node) => [node.input],
  withInputs: (node, [input]) => ({ ...node, input: input! }),
  refresh: (node) => ({ ...node, schema: node.input.schema }),
  explain: (node) => `Filter: ${formatExpr(node.predicate)}`,
  encode: (node, enc) => ({ predicate: enc.expr(node.predicate) }),
  decode: (json, inputs, dec, where) =>
    filterNode(oneInput(inputs, where), dec.expr(json.predicate, `${where}.predicate`)),
};
