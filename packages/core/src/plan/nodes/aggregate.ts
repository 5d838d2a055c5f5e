import type { Schema } from "apache-arrow";
import type { AggNode, ExprNode } from "../../expr/ast.js";
import { formatExpr } from "../../expr/expr.js";
import type { NodeKindDef } from "../node-kind.js";
import type { PlanNode } from "../nodes.js";
import { aggregatePlan } from "../relational.js";
import { oneInput } from "./inputs.js";
import { decodeNamed, encodeNamed, type NamedExpr } from "./project.js";

/** Group-by (or, with no keys, one row): key columns, then one column per aggregation. */
export interface AggregateNode {
  kind: "aggregate";
  schema: Schema;
  input: PlanNode;
  keys: NamedExpr[];
  aggs: { name: string; agg: AggNode }[];
}

const named = (name: string, arg: ExprNode): ExprNode => ({ kind: "alias", arg, name });

/** The node rebuilt (and checked) from its keys and aggregations by name. */
function rebuild(input: PlanNode, keys: NamedExpr[], aggs: NamedExpr[]): AggregateNode {
  return aggregatePlan(
    input,
    keys.map((k) => named(k.name, k.expr)),
    aggs.map((a) => named(a.name, a.expr)),
  );
}

export const aggregateKind: NodeKindDef<AggregateNode> = {
  inputs: (node) => [node.input],
  withInputs: (node, [input]) => ({ ...node, input: input! }),
  refresh: (node) =>
    rebuild(
      node.input,
      node.keys,
      node.aggs.map((a) => ({ name: a.name, expr: a.agg })),
    ),
  explain: (node) =>
    `Aggregate: keys=[${node.keys.map((k) => formatExpr(k.expr)).join(", ")}] aggs=[${node.aggs
      .map((a) => `${a.name}=${formatExpr(a.agg)}`)
      .join(", ")}]`,
  encode: (node, enc) => ({
    keys: encodeNamed(node.keys, enc),
    aggs: encodeNamed(
      node.aggs.map((a) => ({ name: a.name, expr: a.agg })),
      enc,
    ),
  }),
  decode: (json, inputs, dec, where) =>
    rebuild(
      oneInput(inputs, where),
      decodeNamed(json.keys, dec, `${where}.keys`),
      decodeNamed(json.aggs, dec, `${where}.aggs`),
    ),
};
