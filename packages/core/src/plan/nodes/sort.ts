import type { Schema } from "apache-arrow";
import type { ExprNode } from "../../expr/ast.js";
import { formatExpr } from "../../expr/expr.js";
import { arrayAt, type Json, type JsonObject, objectAt } from "../json/values.js";
import type { NodeKindDef } from "../node-kind.js";
import type { PlanNode } from "../nodes.js";
import { sortPlan } from "../relational.js";
import { oneInput } from "./inputs.js";
import { countAt } from "./limit.js";

/** One sort key: an expression and its direction. */
export interface SortKey {
  expr: ExprNode;
  descending: boolean;
  nullsFirst: boolean;
}

/** A stable sort by keys; with `limit`, only the first rows of the order (top-N). */
export interface SortNode {
  kind: "sort";
  schema: Schema;
  input: PlanNode;
  keys: SortKey[];
  limit?: number;
}

export const sortKind: NodeKindDef<SortNode> = {
  inputs: (node) => [node.input],
  withInputs: (node, [input]) => ({ ...node, input: input! }),
  refresh: (node) => ({ ...node, schema: node.input.schema }),
  explain: (node) =>
    `Sort: ${node.keys
      .map(
        (k) =>
          `${formatExpr(k.expr)} ${k.descending ? "desc" : "asc"}${k.nullsFirst ? " nulls first" : ""}`,
      )
      .join(", ")}${node.limit !== undefined ? ` (top ${node.limit})` : ""}`,
  encode(node, enc) {
    const keys: Json[] = node.keys.map((k) => ({
      expr: enc.expr(k.expr),
      descending: k.descending,
      nullsFirst: k.nullsFirst,
    }));
    const out: JsonObject = { keys };
    if (node.limit !== undefined) out.limit = node.limit;
    return out;
  },
  decode(json, inputs, dec, where) {
    const keys = arrayAt(json.keys, `${where}.keys`).map((k, i) =>
      objectAt(k, `${where}.keys[${i}]`),
    );
    return sortPlan(
      oneInput(inputs, where),
      keys.map((k, i) => dec.expr(k.expr, `${where}.keys[${i}].expr`)),
      {
        descending: keys.map((k) => k.descending === true),
        nullsFirst: keys.map((k) => k.nullsFirst === true),
        limit: json.limit === undefined ? undefined : countAt(json.limit, `${where}.limit`),
      },
    );
  },
};
