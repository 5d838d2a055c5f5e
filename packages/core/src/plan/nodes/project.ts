import { Field, Schema } from "apache-arrow";
import { type ExprNode, transform } from "../../expr/ast.js";
import { formatExpr } from "../../expr/expr.js";
import { arrayAt, type Json, objectAt, stringAt } from "../json/values.js";
import type { NodeKindDef, PlanDecoder, PlanEncoder } from "../node-kind.js";
import type { PlanNode } from "../nodes.js";
import { resolveType } from "../resolve.js";
import { oneInput } from "./inputs.js";

/** One output column of a projection: its name and the expression that computes it. */
export interface NamedExpr {
  name: string;
  expr: ExprNode;
}

/** Built-in expressions computed per row, one output column each. */
export interface ProjectNode {
  kind: "project";
  schema: Schema;
  input: PlanNode;
  exprs: NamedExpr[];
}

/** Output schema of a projection over `input`. */
export function projectionSchema(input: Schema, exprs: readonly NamedExpr[]): Schema {
  return new Schema(exprs.map((e) => new Field(e.name, resolveType(e.expr, input), true)));
}

/**
 * Aliases only name a projection's outputs, and the NamedExpr already carries the name; with
 * them gone plans print plainly (`x=(col(a) * 2)`) and a renamed column is a plain `col`
 * that rules can inline and substitute freely.
 */
export const dropAliases = (e: ExprNode): ExprNode =>
  transform(e, (n) => (n.kind === "alias" ? n.arg : n));

export function projectNode(input: PlanNode, exprs: NamedExpr[]): ProjectNode {
  const plain = exprs.map((e) => ({ name: e.name, expr: dropAliases(e.expr) }));
  return { kind: "project", input, exprs: plain, schema: projectionSchema(input.schema, plain) };
}

export const encodeNamed = (list: readonly NamedExpr[], enc: PlanEncoder): Json[] =>
  list.map((e) => ({ name: e.name, expr: enc.expr(e.expr) }));

export function decodeNamed(j: Json | undefined, dec: PlanDecoder, where: string): NamedExpr[] {
  return arrayAt(j, where).map((item, i) => {
    const o = objectAt(item, `${where}[${i}]`);
    return {
      name: stringAt(o.name, `${where}[${i}].name`),
      expr: dec.expr(o.expr, `${where}[${i}].expr`),
    };
  });
}

export const projectKind: NodeKindDef<ProjectNode> = {
  inputs: (node) => [node.input],
  withInputs: (node, [input]) => ({ ...node, input: input! }),
  refresh: (node) => projectNode(node.input, node.exprs),
  explain: (node) =>
    `Project: ${node.exprs
      .map((e) =>
        e.expr.kind === "col" && e.expr.name === e.name
          ? e.name
          : `${e.name}=${formatExpr(e.expr)}`,
      )
      .join(", ")}`,
  encode: (node, enc) => ({ exprs: encodeNamed(node.exprs, enc) }),
  decode: (json, inputs, dec, where) =>
    projectNode(oneInput(inputs, where), decodeNamed(json.exprs, dec, `${where}.exprs`)),
};
