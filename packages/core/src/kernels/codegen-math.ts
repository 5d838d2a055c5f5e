// Loop code for the number functions: Math calls on the loop's values, integer functions in
// the integer's own representation (number or bigint), and a call of a loop constant that
// throws where an integer result has no value in its type (abs of the minimum).
import { type DataType, Float64, type Int, Type } from "apache-arrow";
import type { ExprNode } from "../expr/ast.js";
import { formatExpr } from "../expr/expr.js";
import { typeName } from "../types/dtype.js";
import { and, coerce, type Emitter, type Val } from "./codegen-expr.js";
import { type LoopNode, repOf } from "./loop-types.js";
import { intRange, roundFloat, roundInt } from "./math-scalar.js";

type Gen = (n: LoopNode, e: Emitter) => Val;
type MathNode = Extract<ExprNode, { kind: "math" }>;

const F64 = new Float64();

const zeroOf = (t: DataType): string => {
  const rep = repOf(t);
  return rep === "big" ? "0n" : rep === "bool" ? "false" : "0";
};

/** Math.* functions of one float64 argument, by deft name. */
const UNARY: Partial<Record<MathNode["fn"], string>> = {
  sqrt: "Math.sqrt",
  cbrt: "Math.cbrt",
  exp: "Math.exp",
  log2: "Math.log2",
  log10: "Math.log10",
  log1p: "Math.log1p",
  sin: "Math.sin",
  cos: "Math.cos",
  tan: "Math.tan",
  asin: "Math.asin",
  acos: "Math.acos",
  atan: "Math.atan",
};

/** The error for a row whose integer result does not fit (the row is the batch's). */
function overflow(node: MathNode, type: DataType): (row: number, value: unknown) => never {
  const what = `${formatExpr(node)}`;
  return (row, value) => {
    throw new RangeError(
      `${what} overflows ${typeName(type)} at row ${row}: the result for ${String(value)} does not fit. Cast the column to a wider type first (e.g. .cast("int64")).`,
    );
  };
}

export function genMath(n: LoopNode, e: Emitter, gen: Gen): Val {
  const node = n.node as MathNode;
  const type = n.type;
  const rep = repOf(type);
  const argType = n.kids[0]!.type;
  const x0 = gen(n.kids[0]!, e);
  if (x0.rep === "null") return { v: zeroOf(type), k: "false", rep, type };
  const isFloat = argType.typeId === Type.Float;
  const t = e.tmp();
  const out = (v: string, k: string | null = x0.k): Val => {
    e.lines.push(`const ${t} = ${v};`);
    return { v: t, k, rep, type };
  };
  const fn = node.fn;
  const unary = UNARY[fn];
  if (unary) return out(`${unary}(${coerce(x0, F64, e).v})`);
  switch (fn) {
    case "abs": {
      const x = coerce(x0, type, e);
      if (isFloat) return out(`Math.abs(${x.v})`);
      const it = type as Int;
      if (!it.isSigned) return out(x.v);
      const min = intRange(it)[0];
      const zero = zeroOf(type);
      const lit = rep === "big" ? `(${min}n)` : `(${min})`;
      const fail = e.konst(overflow(node, type));
      e.lines.push(`if (${x.k ? `${x.k} && ` : ""}${x.v} === ${lit}) ${fail}(i, ${x.v});`);
      return out(`${x.v} < ${zero} ? -${x.v} : ${x.v}`);
    }
    case "sign": {
      const x = coerce(x0, type, e);
      if (isFloat) return out(`${x.v} > 0 ? 1 : ${x.v} < 0 ? -1 : ${x.v}`);
      if (rep === "big") return out(`${x.v} > 0n ? 1n : ${x.v} < 0n ? -1n : 0n`);
      return out(`${x.v} > 0 ? 1 : ${x.v} < 0 ? -1 : 0`);
    }
    case "floor":
    case "ceil": {
      const x = coerce(x0, type, e);
      return out(isFloat ? `Math.${fn}(${x.v})` : x.v);
    }
    case "round": {
      const digits = (node.args[1] as { value: number }).value;
      const x = coerce(x0, type, e);
      if (isFloat) return out(`${e.konst(roundFloat(digits))}(${x.v})`);
      if (digits >= 0) return out(x.v);
      const r = e.konst(roundInt(digits, type as Int, overflow(node, type)));
      // Null rows are not rounded: their stored value may be anything.
      return out(x.k ? `${x.k} ? ${r}(${x.v}, i) : ${zeroOf(type)}` : `${r}(${x.v}, i)`);
    }
    case "log": {
      const x = coerce(x0, F64, e);
      if (n.kids.length === 1) return out(`Math.log(${x.v})`);
      const b = gen(n.kids[1]!, e);
      if (b.rep === "null") return { v: "0", k: "false", rep, type };
      const bf = coerce(b, F64, e);
      return out(`Math.log(${x.v}) / Math.log(${bf.v})`, and(x.k, bf.k));
    }
    case "pow":
    case "atan2": {
      const x = coerce(x0, F64, e);
      const y0 = gen(n.kids[1]!, e);
      if (y0.rep === "null") return { v: "0", k: "false", rep, type };
      const y = coerce(y0, F64, e);
      return out(`Math.${fn}(${x.v}, ${y.v})`, and(x.k, y.k));
    }
    case "isNan":
      return out(isFloat ? `${x0.v} !== ${x0.v}` : "false");
    case "isFinite":
      return out(isFloat ? `Number.isFinite(${x0.v})` : "true");
    case "clip":
      return genClip(n, x0, e, gen);
    default:
      throw new Error(`internal: ${fn}() is not a loop function`);
  }
}

/** clip: a bound that is null (the literal, or in a row) leaves its side open. */
function genClip(n: LoopNode, x0: Val, e: Emitter, gen: Gen): Val {
  const type = n.type;
  const x = coerce(x0, type, e);
  let v = x.v;
  for (const [kid, op] of [
    [n.kids[1]!, "<"],
    [n.kids[2]!, ">"],
  ] as const) {
    const b0 = gen(kid, e);
    if (b0.rep === "null") continue;
    const b = coerce(b0, type, e);
    const t = e.tmp();
    e.lines.push(`const ${t} = ${b.k ? `${b.k} && ` : ""}${v} ${op} ${b.v} ? ${b.v} : ${v};`);
    v = t;
  }
  return { v, k: x.k, rep: repOf(type), type };
}
