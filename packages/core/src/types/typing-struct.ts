import { type DataType, type Struct, Type } from "apache-arrow";
import type { ExprNode } from "../expr/ast.js";
import { formatExpr } from "../expr/expr.js";
import { typeName } from "./dtype.js";
import { PlanError } from "./plan-error.js";

/** The type of `.struct.field(name)`: the named field's type; the struct and field must exist. */
export function structFieldType(
  node: Extract<ExprNode, { kind: "struct" }>,
  arg: DataType,
): DataType {
  const name = String(node.args[0]);
  if (arg.typeId !== Type.Struct) {
    throw new PlanError(
      `.struct.${node.fn}("${name}") needs a struct, but ${formatExpr(node.arg)} is ${typeName(arg)}.`,
    );
  }
  const fields = (arg as Struct).children;
  const field = fields.find((f) => f.name === name);
  if (!field) {
    throw new PlanError(
      `.struct.field("${name}"): ${formatExpr(node.arg)} has no field "${name}"; its fields are ${fields.map((f) => `"${f.name}"`).join(", ")}.`,
    );
  }
  return field.type;
}
