// Loop code for the choices among values: coalesce (the first non-null), greatest and least
// (nulls skipped, NaN above every number, as DuckDB orders them) and nullIf.
import { type DataType, Type } from "apache-arrow";
import type { ExprNode } from "../expr/ast.js";
import { coerce, compareType, type Emitter, type Val } from "./codegen-expr.js";
import { type LoopNode, repOf } from "./loop-types.js";

type Gen = (n: LoopNode, e: Emitter) => Val;
type ChoiceNode = Extract<ExprNode, { kind: "choice" }>;

const zeroOf = (t: DataType): string => {
  const rep = repOf(t);
  return rep === "big" ? "0n" : rep === "bool" ? "false" : "0";
};

export function genChoice(n: LoopNode, e: Emitter, gen: Gen): Val {
  const node = n.node as ChoiceNode;
  const type = n.type;
  const rep = repOf(type);
  if (node.fn === "nullIf") return genNullIf(n, e, gen);
  // Every argument is computed (loops stay branch-light); an untyped null is never chosen.
  const args = n.kids
    .map((k) => gen(k, e))
    .filter((a) => a.rep !== "null")
    .map((a) => coerce(a, type, e));
  if (rep === "null" || args.length === 0) return { v: zeroOf(type), k: "false", rep, type };
  const t = e.tmp();
  const tk = e.tmp();
  const first = args[0]!;
  e.lines.push(`let ${t} = ${first.v}; let ${tk} = ${first.k ?? "true"};`);
  const float = type.typeId === Type.Float;
  for (const a of args.slice(1)) {
    let better: string;
    if (node.fn === "coalesce") better = `!${tk}`;
    else if (node.fn === "greatest")
      better = `!${tk} || ${a.v} > ${t}${float ? ` || ${a.v} !== ${a.v}` : ""}`;
    else better = `!${tk} || ${a.v} < ${t}${float ? ` || ${t} !== ${t}` : ""}`;
    e.lines.push(`if (${a.k ? `${a.k} && ` : ""}(${better})) { ${t} = ${a.v}; ${tk} = true; }`);
  }
  return { v: t, k: args.every((a) => a.k !== null) ? tk : null, rep, type };
}

/**
 * `x.nullIf(v)`: null where x equals v (compared in their common type; NaN equals NaN, as
 * in DuckDB), else x.
 */
function genNullIf(n: LoopNode, e: Emitter, gen: Gen): Val {
  const type = n.type;
  const rep = repOf(type);
  const [xn, vn] = n.kids as [LoopNode, LoopNode];
  const x0 = gen(xn, e);
  if (x0.rep === "null") return { v: zeroOf(type), k: "false", rep, type };
  const v0 = gen(vn, e);
  if (v0.rep === "null") return x0;
  const common = compareType(xn.type, vn.type);
  const a = coerce(x0, common, e);
  const b = coerce(v0, common, e);
  const eq =
    common.typeId === Type.Float
      ? `(${a.v} === ${b.v} || (${a.v} !== ${a.v} && ${b.v} !== ${b.v}))`
      : `${a.v} === ${b.v}`;
  const k = e.tmp();
  e.lines.push(`const ${k} = ${x0.k ?? "true"} && !(${b.k ? `${b.k} && ` : ""}${eq});`);
  return { ...x0, k };
}
