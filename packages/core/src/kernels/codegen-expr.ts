// Expression -> JavaScript source for the generated loops: how each node reads, coerces and
// combines typed-array values and validity bits (codegen.ts assembles and caches the loop).
import { type DataType, type Int, type Timestamp, Type } from "apache-arrow";
import type { ExprNode, LitValue } from "../expr/ast.js";
import { formatExpr } from "../expr/expr.js";
import { typeName } from "../types/dtype.js";
import { genChoice } from "./codegen-choice.js";
import { genDt, genTemporalBinary, isTemporalArith } from "./codegen-dt.js";
import { genMath } from "./codegen-math.js";
import { type LoopNode, type Rep, repOf } from "./loop-types.js";
import { intRange } from "./math-scalar.js";

/** How a value lives in the generated loop: its expression, validity expression and form. */
export interface Val {
  v: string;
  k: string | null;
  rep: Rep;
  type: DataType;
  /**
   * A 64-bit column value as a JS number read from its two 32-bit words, for code that
   * needs the number (comparisons with number literals, float arithmetic): no BigInt is
   * made per row. Rounds like Number(bigint) beyond 2^53.
   */
  asNumber?: string;
}

/** Milliseconds per stored unit of a temporal type. */
function unitMs(t: DataType): number {
  if (t.typeId === Type.Date) return (t as unknown as { unit: number }).unit === 0 ? 86_400_000 : 1;
  return [1000, 1, 1e-3, 1e-6][(t as Timestamp).unit]!;
}

export class Emitter {
  lines: string[] = [];
  consts: unknown[] = [];
  private n = 0;
  tmp(): string {
    return `t${this.n++}`;
  }
  konst(value: unknown): string {
    this.consts.push(value);
    return `C[${this.consts.length - 1}]`;
  }
}

function literal(value: LitValue, type: DataType): Val {
  const rep = repOf(type);
  if (value === null)
    return { v: rep === "big" ? "0n" : rep === "bool" ? "false" : "0", k: "false", rep, type };
  let x: number | bigint | boolean;
  if (value instanceof Date) {
    const ms = value.getTime();
    x = type.typeId === Type.Date || type.typeId === Type.Timestamp ? ms / unitMs(type) : ms;
    if (rep === "big") x = BigInt(Math.trunc(x));
  } else if (typeof value === "boolean") x = value;
  else if (typeof value === "number" || typeof value === "bigint") {
    if (rep === "big") x = typeof value === "bigint" ? value : BigInt(Math.trunc(value));
    else if (rep === "bool") x = value !== 0 && value !== 0n;
    else x = Number(value);
  } else throw new Error("internal: non-loop literal");
  let v: string;
  if (typeof x === "bigint") v = `${x}n`;
  else if (typeof x === "boolean") v = String(x);
  else if (Number.isNaN(x)) v = "NaN";
  else if (!Number.isFinite(x)) v = x > 0 ? "Infinity" : "-Infinity";
  else v = Object.is(x, -0) ? "-0" : String(x);
  if (v.startsWith("-")) v = `(${v})`;
  return { v, k: null, rep, type };
}

/** Converts a value to the representation of type `to`. */
export function coerce(x: Val, to: DataType, e: Emitter): Val {
  const rep = repOf(to);
  // Temporal values change representation with their unit too (timestamp[s] -> [ms]).
  const sameTemporal =
    x.type.typeId === to.typeId && (!isTemporalId(to) || unitMs(x.type) === unitMs(to));
  if (x.rep === rep && (sameTemporal || (!isTemporalId(x.type) && !isTemporalId(to)))) {
    return { ...x, type: to };
  }
  let v: string;
  if (isTemporalId(x.type) && isTemporalId(to)) {
    const f = unitMs(x.type) / unitMs(to);
    const num = x.rep === "big" ? (x.asNumber ?? `Number(${x.v})`) : x.v;
    // To a coarser unit: round down, so times before 1970 keep their second / day.
    // (Dividing by the whole inverse: x * 0.001 can land just below an integer.)
    const scaled = f < 1 ? `Math.floor(${num} / ${Math.round(1 / f)})` : `(${num} * ${f})`;
    v = rep === "big" ? `BigInt(${f < 1 ? scaled : `Math.trunc(${scaled})`})` : scaled;
  } else if (rep === "big") {
    v =
      x.rep === "bool"
        ? `(${x.v} ? 1n : 0n)`
        : x.rep === "null"
          ? "0n"
          : x.rep === "big"
            ? x.v // int64 <-> timestamp: already a bigint (Math.trunc throws on one)
            : `BigInt(Math.trunc(${x.v}))`;
  } else if (rep === "num") {
    v =
      x.rep === "big"
        ? (x.asNumber ?? `Number(${x.v})`)
        : x.rep === "bool"
          ? `(${x.v} ? 1 : 0)`
          : x.rep === "null"
            ? "0"
            : x.v;
  } else if (rep === "bool") {
    v = x.rep === "big" ? `(${x.v} !== 0n)` : x.rep === "null" ? "false" : `(${x.v} !== 0)`;
  } else v = "0";
  const t = e.tmp();
  e.lines.push(`const ${t} = ${v};`);
  return { v: t, k: x.k, rep, type: to };
}

const isTemporalId = (t: DataType) =>
  t.typeId === Type.Date || t.typeId === Type.Timestamp || t.typeId === Type.Duration;

export function and(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  if (a === "false" || b === "false") return "false";
  return `(${a} && ${b})`;
}

/** Wraps an integer result to its type's width (JS numbers do not overflow on their own). */
export function wrap(v: string, t: DataType): string {
  if (t.typeId !== Type.Int) return v;
  const it = t as Int;
  // BigInts never overflow: wrap so a fused comparison sees the value the column would store.
  if (it.bitWidth === 64) return `BigInt.as${it.isSigned ? "Int" : "Uint"}N(64, ${v})`;
  if (it.isSigned) {
    if (it.bitWidth === 32) return `(${v} | 0)`;
    const s = 32 - it.bitWidth;
    return `((${v} << ${s}) >> ${s})`;
  }
  if (it.bitWidth === 32) return `(${v} >>> 0)`;
  return `(${v} & ${it.bitWidth === 8 ? 255 : 65535})`;
}

export function gen(n: LoopNode, e: Emitter): Val {
  const node = n.node;
  const type = n.type;
  if (n.leaf) {
    const { index, hasNulls, validityOnly } = n.leaf;
    const k = hasNulls ? `((m${index}[i >> 3] >> (i & 7)) & 1) === 1` : null;
    const rep = validityOnly ? "null" : repOf(n.leaf.type);
    let v = "0";
    if (rep === "bool") v = `((a${index}[i >> 3] >> (i & 7)) & 1) === 1`;
    else if (rep === "num" || rep === "big") v = `a${index}[i]`;
    let kv: string | null = null;
    if (k) {
      kv = e.tmp();
      e.lines.push(`const ${kv} = ${k};`);
    }
    if (rep === "big") {
      // Read where used: a loop that only needs the number never makes the BigInt.
      const unsigned = n.leaf.type.typeId === Type.Int && !(n.leaf.type as Int).isSigned;
      const hi = unsigned ? `(w${index}[2 * i + 1] >>> 0)` : `w${index}[2 * i + 1]`;
      const asNumber = `(${hi} * 4294967296 + (w${index}[2 * i] >>> 0))`;
      return { v, k: kv, rep, type: n.leaf.type, asNumber };
    }
    const t = e.tmp();
    e.lines.push(`const ${t} = ${v};`);
    return { v: t, k: kv, rep, type: n.leaf.type };
  }
  switch (node.kind) {
    case "lit":
      return literal(node.value, type);
    case "alias":
      return gen(n.kids[0]!, e);
    case "binary":
      return isTemporalArith(node.op, n.kids[0]!.type, n.kids[1]!.type)
        ? genTemporalBinary(n, e, gen)
        : genBinary(n, e);
    case "dt":
      return genDt(n, e, gen);
    case "math":
      return genMath(n, e, gen);
    case "choice":
      return genChoice(n, e, gen);
    case "neg": {
      const a = coerce(gen(n.kids[0]!, e), type, e);
      const t = e.tmp();
      e.lines.push(`const ${t} = ${wrap(`-${a.v}`, type)};`);
      return { v: t, k: a.k, rep: a.rep, type };
    }
    case "not": {
      const a = gen(n.kids[0]!, e);
      const t = e.tmp();
      e.lines.push(`const ${t} = !${a.v};`);
      return { v: t, k: a.k, rep: "bool", type };
    }
    case "isNull": {
      const a = gen(n.kids[0]!, e);
      const valid = a.k ?? "true";
      return { v: node.negated ? `(${valid})` : `!(${valid})`, k: null, rep: "bool", type };
    }
    case "fillNull": {
      const a = coerce(gen(n.kids[0]!, e), type, e);
      if (a.k === null) return a;
      const f = coerce(gen(n.kids[1]!, e), type, e);
      const t = e.tmp();
      e.lines.push(`const ${t} = ${a.k} ? ${a.v} : ${f.v};`);
      const k = f.k === null ? null : `(${a.k} || ${f.k})`;
      return { v: t, k, rep: a.rep, type };
    }
    case "isIn": {
      const argType = n.kids[0]!.type;
      const a = gen(n.kids[0]!, e);
      // A fraction never equals an integer column (and must not be truncated into a match).
      const fits = (x: LitValue) =>
        argType.typeId !== Type.Int || typeof x !== "number" || Number.isInteger(x);
      const vals = node.values
        .filter((x) => x !== null && fits(x))
        .map((x) => literal(x, argType).v);
      const t = e.tmp();
      if (vals.length <= 8) {
        e.lines.push(
          `const ${t} = ${vals.length ? vals.map((x) => `${a.v} === ${x}`).join(" || ") : "false"};`,
        );
      } else {
        const set = e.konst(new Set(vals.map((x) => Function(`return ${x}`)() as unknown)));
        e.lines.push(`const ${t} = ${set}.has(${a.v});`);
      }
      return { v: t, k: a.k, rep: "bool", type };
    }
    case "cast":
      return genCast(n, e);
    case "when": {
      const vals = n.kids.map((kid) => kid);
      const branches = node.branches.length;
      const t = e.tmp();
      const tk = e.tmp();
      const rep = repOf(type);
      e.lines.push(
        `let ${t} = ${rep === "big" ? "0n" : rep === "bool" ? "false" : "0"}; let ${tk} = false;`,
      );
      // Evaluate every branch (no short circuit: loops stay branch-light), pick the first true.
      const parts: string[] = [];
      for (let b = 0; b < branches; b++) {
        const c = gen(vals[2 * b]!, e);
        const x = coerce(gen(vals[2 * b + 1]!, e), type, e);
        parts.push(
          `${b ? "else " : ""}if (${c.k ? `${c.k} && ` : ""}${c.v}) { ${t} = ${x.v}; ${tk} = ${x.k ?? "true"}; }`,
        );
      }
      const o = coerce(gen(vals[vals.length - 1]!, e), type, e);
      parts.push(`else { ${t} = ${o.v}; ${tk} = ${o.k ?? "true"}; }`);
      e.lines.push(parts.join(" "));
      return { v: t, k: tk, rep, type };
    }
    default:
      throw new Error(`internal: ${node.kind} is not a loop expression`);
  }
}

/**
 * A cast in the loop. To an integer type every value is range-checked: one that does not fit
 * (1e20 to int32, -1 to uint8) throws naming the column and row, or is null with
 * `onError: "null"`. Floats truncate; NaN and the infinities have no integer value: null.
 */
function genCast(n: LoopNode, e: Emitter): Val {
  const node = n.node as Extract<ExprNode, { kind: "cast" }>;
  const type = n.type;
  const from = n.kids[0]!.type;
  const a = gen(n.kids[0]!, e);
  if (type.typeId !== Type.Int || a.rep === "null" || a.rep === "bool") return coerce(a, type, e);
  const it = type as Int;
  const [lo, hi] = intRange(it);
  const t = e.tmp();
  const fromInt = from.typeId === Type.Int ? intRange(from as Int) : null;
  const fits = fromInt !== null && fromInt[0] >= lo && fromInt[1] <= hi;
  if (fits) {
    const c = coerce(a, type, e);
    e.lines.push(`const ${t} = ${c.v};`);
    return { v: t, k: c.k, rep: c.rep, type };
  }
  let x = a.v;
  let ok: string;
  let k = a.k;
  if (a.rep === "num") {
    if (from.typeId === Type.Float) {
      // NaN and the infinities have no integer value: null, as documented.
      const nan = e.tmp();
      e.lines.push(`const ${nan} = ${a.k ?? "true"} && Number.isFinite(${a.v});`);
      k = nan;
      x = `Math.trunc(${a.v})`;
    }
    // 2^63 and 2^64 are exact doubles; the top of a 64-bit range is not.
    const top = it.bitWidth === 64 ? `${x} < ${Number(hi + 1n)}` : `${x} <= ${Number(hi)}`;
    ok = `(${x} >= ${Number(lo)} && ${top})`;
  } else ok = `(${x} >= ${lo}n && ${x} <= ${hi}n)`;
  const okv = e.tmp();
  e.lines.push(`const ${okv} = ${ok};`);
  if (node.onError === "null") {
    k = and(k, okv);
  } else {
    const fail = e.konst(castError(node, type));
    e.lines.push(`if (${k ? `${k} && ` : ""}!${okv}) ${fail}(i, ${a.v});`);
  }
  const zero = a.rep === "big" ? "0n" : "0";
  const c = coerce({ ...a, v: `(${okv} ? ${x} : ${zero})` }, type, e);
  e.lines.push(`const ${t} = ${c.v};`);
  return { v: t, k, rep: c.rep, type };
}

/** The column a cast reads: its name when it casts a column, else the expression. */
export function castSource(node: Extract<ExprNode, { kind: "cast" }>): string {
  let a = node.arg;
  while (a.kind === "alias") a = a.arg;
  return a.kind === "col" ? a.name : formatExpr(a);
}

/** The error for a row whose value does not fit the cast's type (the row is the batch's). */
function castError(
  node: Extract<ExprNode, { kind: "cast" }>,
  type: DataType,
): (row: number, value: unknown) => never {
  const column = castSource(node);
  const name = typeName(type);
  return (row, value) => {
    throw new RangeError(
      `Column "${column}" row ${row}: ${String(value)} is out of range for ${name} (cast to ${name}). Cast to a wider type, or use .cast("${name}", { onError: "null" }) to get null instead.`,
    );
  };
}

function genBinary(n: LoopNode, e: Emitter): Val {
  const node = n.node as Extract<ExprNode, { kind: "binary" }>;
  const type = n.type;
  const [ln, rn] = n.kids as [LoopNode, LoopNode];
  const l0 = gen(ln, e);
  const r0 = gen(rn, e);
  const t = e.tmp();
  if (node.op === "and" || node.op === "or") {
    const isAnd = node.op === "and";
    e.lines.push(`const ${t} = ${l0.v} ${isAnd ? "&&" : "||"} ${r0.v};`);
    if (l0.k === null && r0.k === null) return { v: t, k: null, rep: "bool", type };
    // Three-valued: a definite false (AND) or true (OR) on either side decides the result.
    const lk = l0.k ?? "true";
    const rk = r0.k ?? "true";
    const dec = isAnd ? "!" : "";
    const k = e.tmp();
    e.lines.push(
      `const ${k} = (${lk} && ${rk}) || (${lk} && ${dec}${l0.v}) || (${rk} && ${dec}${r0.v});`,
    );
    return { v: t, k, rep: "bool", type };
  }
  const cmp = ["eq", "neq", "lt", "lte", "gt", "gte"].includes(node.op);
  // Operands are computed in a common type: the node's type for arithmetic, the wider side
  // for comparisons (a temporal column keeps its unit; a Date literal is converted to it).
  const common = cmp ? compareType(ln.type, rn.type) : type;
  const l = coerce(l0, common, e);
  const r = coerce(r0, common, e);
  let k = and(l.k, r.k);
  let v: string;
  switch (node.op) {
    case "eq":
      v = `${l.v} === ${r.v}`;
      break;
    case "neq":
      v = `${l.v} !== ${r.v}`;
      break;
    case "lt":
      v = `${l.v} < ${r.v}`;
      break;
    case "lte":
      v = `${l.v} <= ${r.v}`;
      break;
    case "gt":
      v = `${l.v} > ${r.v}`;
      break;
    case "gte":
      v = `${l.v} >= ${r.v}`;
      break;
    case "add":
      v = wrap(`${l.v} + ${r.v}`, type);
      break;
    case "sub":
      v = wrap(`${l.v} - ${r.v}`, type);
      break;
    case "mul":
      v =
        type.typeId === Type.Int && (type as Int).bitWidth === 32
          ? wrap(`Math.imul(${l.v}, ${r.v})`, type)
          : wrap(`${l.v} * ${r.v}`, type);
      break;
    case "div":
      v = `${l.v} / ${r.v}`;
      break;
    case "mod": {
      if (type.typeId === Type.Int) {
        // Integer remainder by zero has no value: null, as in Polars.
        const zero = l.rep === "big" ? "0n" : "0";
        const nz = e.tmp();
        e.lines.push(`const ${nz} = ${r.v} !== ${zero};`);
        k = and(k, nz);
        v = `${nz} ? ${l.v} % ${r.v} : ${zero}`;
      } else v = `${l.v} % ${r.v}`;
      break;
    }
  }
  e.lines.push(`const ${t} = ${v!};`);
  return { v: t, k, rep: cmp ? "bool" : repOf(type), type };
}

export function compareType(a: DataType, b: DataType): DataType {
  if (a.typeId === Type.Null) return b;
  if (b.typeId === Type.Null) return a;
  if (isTemporalId(a) && isTemporalId(b)) return unitMs(a) <= unitMs(b) ? a : b;
  const ra = repOf(a);
  const rb = repOf(b);
  if (ra === rb) return a;
  if (ra === "bool") return b;
  if (rb === "bool") return a;
  // One side bigint, the other a number: compare as float64 when the number is a float.
  if (a.typeId === Type.Float) return a;
  if (b.typeId === Type.Float) return b;
  return ra === "big" ? a : b;
}
