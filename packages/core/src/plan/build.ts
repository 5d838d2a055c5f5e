import { Field, Schema } from "apache-arrow";
import { type ExprNode, transform, type UdfNode } from "../expr/ast.js";
import { projectSchema } from "../sources/memory.js";
import type { NamedExpr, PlanNode } from "./nodes.js";
import { resolveType } from "./resolve.js";

/** Output schema of a projection over `input`. */
export function projectionSchema(input: Schema, exprs: readonly NamedExpr[]): Schema {
  return new Schema(exprs.map((e) => new Field(e.name, resolveType(e.expr, input), true)));
}

/**
 * Aliases only name a projection's outputs, and the NamedExpr already carries the name; with
 * them gone plans print plainly (`x=(col(a) * 2)`) and a renamed column is a plain `col`
 * that rules can inline and substitute freely.
 */
const dropAliases = (e: ExprNode): ExprNode =>
  transform(e, (n) => (n.kind === "alias" ? n.arg : n));

export function projectNode(input: PlanNode, exprs: NamedExpr[]): PlanNode {
  const plain = exprs.map((e) => ({ name: e.name, expr: dropAliases(e.expr) }));
  return { kind: "project", input, exprs: plain, schema: projectionSchema(input.schema, plain) };
}

export function filterNode(input: PlanNode, predicate: ExprNode): PlanNode {
  return { kind: "filter", input, predicate: dropAliases(predicate), schema: input.schema };
}

export function udfProjectNode(input: PlanNode, name: string, udf: UdfNode): PlanNode {
  const fields = input.schema.fields.filter((f) => f.name !== name);
  const schema = new Schema([...fields, new Field(name, resolveType(udf, input.schema), true)]);
  return { kind: "udfProject", input, name, udf, schema };
}

/** Recomputes a node's schema after its input changed (used by optimizer rules). */
export function refresh(node: PlanNode): PlanNode {
  switch (node.kind) {
    case "project":
      return projectNode(node.input, node.exprs);
    case "udfProject":
      return udfProjectNode(node.input, node.name, node.udf);
    case "filter":
    case "limit":
    case "intoBatches":
    case "sort":
      return { ...node, schema: node.input.schema };
    case "source":
      return node.pushed.columns
        ? { ...node, schema: projectSchema(node.source.schema, node.pushed.columns) }
        : { ...node, schema: node.source.schema };
    default:
      return node;
  }
}

/** A projection that only passes columns through, by name. */
export function passThrough(input: PlanNode, names: readonly string[]): PlanNode {
  return projectNode(
    input,
    names.map((name) => ({ name, expr: { kind: "col", name } })),
  );
}
