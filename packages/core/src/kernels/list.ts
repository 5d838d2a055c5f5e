import { type Data, type DataType, makeVector } from "apache-arrow";
import type { ListFn, LitValue } from "../expr/ast.js";
import { int32WithNullsOf, validityOf } from "./bits.js";
import { columnFromJs } from "./from-js.js";
import { valuesOf } from "./to-js.js";
import { buildUtf8 } from "./utf8.js";

/** `.list` kernels over List columns (offsets + a child column). */
export function listKernel(fn: ListFn, data: Data, args: LitValue[], type: DataType): Data {
  const n = data.length;
  const offs = data.valueOffsets as Int32Array;
  if (fn === "length") {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = offs[i + 1]! - offs[i]!;
    return int32WithNullsOf(data, out);
  }
  const child = data.children[0]!;
  const childValues = valuesOf(child);
  const validity = validityOf(data);
  const valid = (i: number) => !validity || ((validity[i >> 3]! >> (i & 7)) & 1) === 1;
  if (fn === "get") {
    const index = Number(args[0]);
    const out = new Array<unknown>(n);
    for (let i = 0; i < n; i++) {
      const start = offs[i]!;
      const len = offs[i + 1]! - start;
      const k = index < 0 ? len + index : index;
      out[i] = valid(i) && k >= 0 && k < len ? childValues[start + k] : null;
    }
    return columnFromJs(out, type, "list.get");
  }
  const sep = String(args[0]);
  const out = new Array<string | null>(n);
  for (let i = 0; i < n; i++) {
    if (!valid(i)) {
      out[i] = null;
      continue;
    }
    const parts: string[] = [];
    for (let k = offs[i]!; k < offs[i + 1]!; k++) {
      const v = childValues[k];
      if (v !== null && v !== undefined) parts.push(String(v));
    }
    out[i] = parts.join(sep);
  }
  void makeVector;
  return buildUtf8(out);
}
