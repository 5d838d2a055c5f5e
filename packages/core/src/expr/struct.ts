import type { ExprNode } from "./ast.js";
import { Expr } from "./expr.js";

/** `.struct` functions on a struct expression (a multi-output UDF's result, a nested column). */
export class StructNamespace {
  constructor(private readonly node: ExprNode) {}
  /** The field `name` of each struct, as a column named after the field; null where the struct is null. */
  field(name: string): Expr {
    if (typeof name !== "string" || name === "") {
      throw new TypeError(`.struct.field(name) needs a field name, got ${String(name)}.`);
    }
    return new Expr({ kind: "struct", fn: "field", arg: this.node, args: [name] });
  }
}
