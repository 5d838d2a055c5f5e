// Result types of the number functions (`abs`, `round`, `sqrt`, … `hash`) and of the choices
// among values (`coalesce`, `greatest`, `least`, `nullIf`).
import { Bool, type DataType, Float64, Null, Type, Uint64 } from "apache-arrow";
import type { ExprNode } from "../expr/ast.js";
import { formatExpr } from "../expr/expr.js";
import { isNumeric, typeName } from "./dtype.js";
import { PlanError } from "./plan-error.js";
import { isKeyType } from "./typing-keys.js";
import { commonType, isWeakNumber } from "./typing-supertype.js";

type MathNode = Extract<ExprNode, { kind: "math" }>;
type ChoiceNode = Extract<ExprNode, { kind: "choice" }>;

/** Functions whose result keeps the argument's type (integers stay integers, as in DuckDB). */
const KEEPS_TYPE = new Set(["abs", "sign", "round", "floor", "ceil"]);

/**
 * The type of a number function over arguments of types `types` (`types[0]` the receiver):
 * - abs, sign, round, floor, ceil: the argument's type.
 * - clip: the argument's type when the bounds fit it (a number literal does), else the
 *   supertype of the three; a null bound is an open side.
 * - sqrt, cbrt, exp, log*, pow, trigonometry: float64.
 * - isNan, isFinite: bool.
 * - hash: uint64, over any key type (numbers, bools, strings, binary, dates, timestamps).
 */
export function mathType(node: MathNode, types: readonly DataType[]): DataType {
  const [t] = types as [DataType];
  const arg = node.args[0]!;
  if (node.fn === "hash") {
    if (!isKeyType(t) && t.typeId !== Type.Null) {
      throw new PlanError(
        `hash() of ${formatExpr(arg)}: type ${typeName(t)} cannot be hashed; hash numbers, bools, strings, binary, dates or timestamps (cast it first).`,
      );
    }
    return new Uint64();
  }
  node.args.forEach((a, i) => {
    const at = types[i]!;
    if (!isNumeric(at) && at.typeId !== Type.Null) {
      throw new PlanError(
        `${node.fn}() needs numbers, but ${formatExpr(a)} is ${typeName(at)}. Cast it with .cast("float64").`,
      );
    }
  });
  if (node.fn === "round") {
    const d = node.args[1];
    if (d?.kind !== "lit" || typeof d.value !== "number" || !Number.isInteger(d.value)) {
      throw new PlanError(`round(): digits must be an integer literal.`);
    }
  }
  if (KEEPS_TYPE.has(node.fn)) return t;
  if (node.fn === "isNan" || node.fn === "isFinite") return new Bool();
  if (node.fn === "clip") return clipType(node, types);
  return new Float64();
}

function clipType(node: MathNode, types: readonly DataType[]): DataType {
  const what = formatExpr(node);
  const [x, lo, hi] = node.args as [ExprNode, ExprNode, ExprNode];
  let out = types[0]!;
  let outNode = x;
  for (const [b, bt] of [
    [lo, types[1]!],
    [hi, types[2]!],
  ] as const) {
    if (bt.typeId === Type.Null) continue;
    out = commonType(outNode, b, out, bt, what);
    if (!isWeakNumber(b)) outNode = b;
  }
  const [l, h] = [lo, hi].map((b) =>
    b.kind === "lit" && typeof b.value === "number" ? b.value : null,
  );
  if (l !== null && h !== null && l! > h!) {
    throw new PlanError(`${what}: the lower bound ${l} is above the upper bound ${h}.`);
  }
  return out;
}

/**
 * The type of a choice: every argument meets the others under the supertype rules (as the
 * branches of when() do: a weak number takes the others' type, a null takes any); nullIf
 * keeps its argument's type, its value only has to compare with it.
 */
export function choiceType(node: ChoiceNode, types: readonly DataType[]): DataType {
  const what = formatExpr(node);
  if (node.args.length === 0) {
    throw new PlanError(`${node.fn}() needs at least one expression.`);
  }
  if (node.fn === "nullIf") {
    commonType(node.args[0]!, node.args[1]!, types[0]!, types[1]!, what);
    return types[0]!;
  }
  let out: DataType = new Null();
  let outNode: ExprNode = node.args[0]!;
  node.args.forEach((a, i) => {
    const t = types[i]!;
    // Equal types meet as themselves (two list<utf8> columns, say), else by the supertype rules.
    out =
      out.typeId === Type.Null || (typeName(out) === typeName(t) && !isWeakNumber(a))
        ? out.typeId === Type.Null
          ? t
          : out
        : commonType(outNode, a, out, t, what);
    if (t.typeId !== Type.Null && !isWeakNumber(a)) outNode = a;
  });
  if (node.fn !== "coalesce" && !isKeyType(out) && out.typeId !== Type.Null) {
    throw new PlanError(
      `${what}: type ${typeName(out)} has no order; ${node.fn}() compares numbers, bools, strings, binary, dates or timestamps.`,
    );
  }
  return out;
}
