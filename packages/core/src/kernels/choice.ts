// coalesce, greatest, least and nullIf over types the generated loops do not hold (strings,
// binary, lists): per row over decoded values. Numbers, bools and dates never come here.
import { type Data, type DataType, Type } from "apache-arrow";
import type { ExprNode } from "../expr/ast.js";
import { formatExpr } from "../expr/expr.js";
import { columnFromJs } from "./from-js.js";
import { valuesOf } from "./to-js.js";

type ChoiceNode = Extract<ExprNode, { kind: "choice" }>;

/** Code-point order of strings (UTF-8 byte order, as sort and min/max use), bytes by byte. */
function compare(a: unknown, b: unknown): number {
  if (typeof a === "string" && typeof b === "string") {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const x = a.codePointAt(i)!;
      const y = b.codePointAt(i)!;
      if (x !== y) return x - y;
      if (x > 0xffff) i++;
    }
    return a.length - b.length;
  }
  const x = a as Uint8Array;
  const y = b as Uint8Array;
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

export function choiceKernel(
  node: ChoiceNode,
  kids: Data[],
  kidTypes: DataType[],
  type: DataType,
  n: number,
): Data {
  const cols = kids.map((k, i) =>
    kidTypes[i]!.typeId === Type.Null ? new Array<null>(n).fill(null) : valuesOf(k),
  );
  const out = new Array<unknown>(n);
  if (node.fn === "nullIf") {
    const [x, v] = cols as [unknown[], unknown[]];
    for (let i = 0; i < n; i++) {
      const a = x[i] ?? null;
      const b = v[i] ?? null;
      out[i] = a !== null && b !== null && compare(a, b) === 0 ? null : a;
    }
    return columnFromJs(out, type, formatExpr(node));
  }
  const sign = node.fn === "greatest" ? 1 : node.fn === "least" ? -1 : 0;
  for (let i = 0; i < n; i++) {
    let best: unknown = null;
    for (const c of cols) {
      const v = c[i] ?? null;
      if (v === null) continue;
      if (best === null) {
        best = v;
        if (sign === 0) break;
      } else if (compare(v, best) * sign > 0) best = v;
    }
    out[i] = best;
  }
  return columnFromJs(out, type, formatExpr(node));
}
