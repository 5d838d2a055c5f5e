// Loop code for dates and times: a `.dt` function is a call of a per-type function (a loop
// constant, so it fuses with what surrounds it), and date/timestamp/duration arithmetic is
// integer arithmetic on the stored values in the result's unit.
import { type DataType, type Duration, type Timestamp, Type } from "apache-arrow";
import type { BinaryOp, ExprNode } from "../expr/ast.js";
import type { Emitter, Val } from "./codegen-expr.js";
import { dtScalar, isDate32 } from "./dt-parts.js";
import { type LoopNode, repOf } from "./loop-types.js";

type Gen = (n: LoopNode, e: Emitter) => Val;

const isTime = (t: DataType): boolean =>
  t.typeId === Type.Date || t.typeId === Type.Timestamp || t.typeId === Type.Duration;

const zeroOf = (t: DataType): string => (repOf(t) === "big" ? "0n" : "0");

function and(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return `(${a} && ${b})`;
}

export function genDt(n: LoopNode, e: Emitter, gen: Gen): Val {
  const node = n.node as Extract<ExprNode, { kind: "dt" }>;
  const kid = n.kids[0]!;
  const a = gen(kid, e);
  const type = n.type;
  const rep = repOf(type);
  if (a.rep === "null") return { v: zeroOf(type), k: "false", rep, type };
  const f = e.konst(dtScalar(node.fn, node.args, kid.type, type));
  const t = e.tmp();
  // Null rows are not computed: their stored value may be anything.
  e.lines.push(`const ${t} = ${a.k ? `${a.k} ? ${f}(${a.v}) : ${zeroOf(type)}` : `${f}(${a.v})`};`);
  return { v: t, k: a.k, rep, type };
}

/** Whether a binary node is add/sub over a date, timestamp or duration (genTemporalBinary). */
export function isTemporalArith(op: BinaryOp, l: DataType, r: DataType): boolean {
  return (op === "add" || op === "sub") && (isTime(l) || isTime(r));
}

/** Stored units of a date64/timestamp/duration per second: 1, 1e3, 1e6, 1e9 (date64 is ms). */
function perSecond(t: DataType): bigint {
  if (t.typeId === Type.Date) return 1000n;
  return [1n, 1000n, 1_000_000n, 1_000_000_000n][(t as Timestamp | Duration).unit]!;
}

/** `x` (a value of type `from`) as a bigint in the unit of `to` (finer or equal, except D). */
function inUnit(x: Val, from: DataType, to: DataType): string {
  const target = perSecond(to);
  if (from.typeId === Type.Date && isDate32(from)) return `(BigInt(${x.v}) * ${target * 86_400n}n)`;
  const source = perSecond(from);
  const big = x.rep === "big" ? x.v : `BigInt(${x.v})`;
  if (target === source) return big;
  if (target > source) return `(${big} * ${target / source}n)`;
  // A finer duration added to a coarser timestamp: whole units of the timestamp, toward zero.
  return `(${big} / ${source / target}n)`;
}

export function genTemporalBinary(n: LoopNode, e: Emitter, gen: Gen): Val {
  const node = n.node as Extract<ExprNode, { kind: "binary" }>;
  const [ln, rn] = n.kids as [LoopNode, LoopNode];
  const l = gen(ln, e);
  const r = gen(rn, e);
  const type = n.type;
  const rep = repOf(type);
  if (l.rep === "null" || r.rep === "null") return { v: zeroOf(type), k: "false", rep, type };
  const op = node.op === "add" ? "+" : "-";
  const t = e.tmp();
  let v: string;
  if (type.typeId === Type.Date) {
    // A date plus or minus whole days.
    const [d, days] = ln.type.typeId === Type.Date ? [l, r] : [r, l];
    const num = (x: Val) => (x.rep === "big" ? `Number(${x.v})` : x.v);
    if (isDate32(type)) v = `${num(d)} ${op} ${num(days)}`;
    else v = `${d.v} ${op} ${days.rep === "big" ? days.v : `BigInt(${days.v})`} * 86400000n`;
  } else {
    v = `${inUnit(l, ln.type, type)} ${op} ${inUnit(r, rn.type, type)}`;
  }
  e.lines.push(`const ${t} = ${v};`);
  return { v: t, k: and(l.k, r.k), rep, type };
}
