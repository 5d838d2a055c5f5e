// The shapes both halves of the loop generator share: how a value is represented inside a
// generated loop and the annotated tree the caller hands over.
import { type DataType, type Int, Type } from "apache-arrow";
import type { ExprNode } from "../expr/ast.js";

/** How a value lives in the generated loop. */
export type Rep = "num" | "big" | "bool" | "null";

export function repOf(t: DataType): Rep {
  switch (t.typeId) {
    case Type.Int:
      return (t as Int).bitWidth === 64 ? "big" : "num";
    case Type.Float:
      return "num";
    case Type.Bool:
      return "bool";
    case Type.Date:
      return (t as unknown as { unit: number }).unit === 0 ? "num" : "big";
    case Type.Timestamp:
    case Type.Duration:
      return "big";
    case Type.Null:
      return "null";
    default:
      throw new Error(`internal: type ${String(t)} is not a loop type`);
  }
}

/** Whether values of this type can be computed inside a generated loop. */
export function isLoopType(t: DataType): boolean {
  return (
    t.typeId === Type.Int ||
    t.typeId === Type.Float ||
    t.typeId === Type.Bool ||
    t.typeId === Type.Date ||
    t.typeId === Type.Timestamp ||
    t.typeId === Type.Duration ||
    t.typeId === Type.Null
  );
}

export interface LoopLeaf {
  /** Index into the inputs array. */
  index: number;
  type: DataType;
  hasNulls: boolean;
  /** Only the validity is read (isNull over a string column, say). */
  validityOnly: boolean;
}

/** A tree node already annotated by the caller: its type and, for leaves, the input slot. */
export interface LoopNode {
  node: ExprNode;
  type: DataType;
  kids: LoopNode[];
  leaf?: LoopLeaf;
}
