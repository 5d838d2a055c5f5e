import { Field, Schema } from "apache-arrow";
import type { UdfNode } from "../../expr/ast.js";
import { formatExpr } from "../../expr/expr.js";
import { badPlan, stringAt } from "../json/values.js";
import type { NodeKindDef } from "../node-kind.js";
import type { PlanNode } from "../nodes.js";
import { resolveType } from "../resolve.js";
import { oneInput } from "./inputs.js";

/** Exactly one UDF: output = pass-through columns (in schema order) + `name`. */
export interface UdfProjectNode {
  kind: "udfProject";
  schema: Schema;
  input: PlanNode;
  name: string;
  udf: UdfNode;
}

export function udfProjectNode(input: PlanNode, name: string, udf: UdfNode): UdfProjectNode {
  const fields = input.schema.fields.filter((f) => f.name !== name);
  const schema = new Schema([...fields, new Field(name, resolveType(udf, input.schema), true)]);
  return { kind: "udfProject", input, name, udf, schema };
}

export const udfProjectKind: NodeKindDef<UdfProjectNode> = {
  inputs: (node) => [node.input],
  withInputs: (node, [input]) => ({ ...node, input: input! }),
  refresh: (node) => udfProjectNode(node.input, node.name, node.udf),
  explain: (node) => `UdfProject: ${node.name}=${formatExpr(node.udf)}`,
  encode: (node, enc) => ({ name: node.name, udf: enc.expr(node.udf) }),
  decode(json, inputs, dec, where) {
    const udf = dec.expr(json.udf, `${where}.udf`);
    if (udf.kind !== "udf") throw badPlan(`${where}.udf`, "expected a UDF call");
    return udfProjectNode(oneInput(inputs, where), stringAt(json.name, `${where}.name`), udf);
  },
};
