import {
  Bool,
  type Data,
  type DataType,
  type Decimal,
  Field,
  List,
  makeData,
  type Timestamp,
  Type,
  Utf8,
} from "apache-arrow";
import type { ExprNode, LitValue } from "../expr/ast.js";
import { formatExpr } from "../expr/expr.js";
import { isNumeric, isString, isTemporal, typeName } from "../types/dtype.js";
import { bitmapBytes, validityOf } from "./bits.js";
import { choiceKernel } from "./choice.js";
import { castSource } from "./codegen-expr.js";
import { isDecimal } from "./decimal.js";
import { decimalBinary, decimalNeg } from "./decimal-arith.js";
import { castDecimal } from "./decimal-cast.js";
import { dtVectorKernel, temporalToUtf8 } from "./dt-vector.js";
import { columnFromJs } from "./from-js.js";
import { hashKernel } from "./hash64.js";
import { listKernel } from "./list.js";
import { compareUtf8, strKernel } from "./str.js";
import { concatKernel } from "./str-concat.js";
import { structField } from "./struct.js";
import { msFactor, valuesOf } from "./to-js.js";
import { asUtf8, buildUtf8, encodeUtf8 } from "./utf8.js";

/** A literal repeated n times as a column of `type`. */
export function broadcastLiteral(value: LitValue, type: DataType, n: number): Data {
  if (value === null) {
    if (type.typeId === Type.Null)
      return makeData({ type, length: n, nullCount: n } as never) as Data;
    // Real (all-zero) validity and value buffers: readers test bits rather than nullCount.
    return columnFromJs(new Array<null>(n).fill(null), type, "literal");
  }
  if (isString(type)) {
    // The bytes repeated n times: Arrow offsets must not decrease, so rows cannot share one
    // range of bytes.
    const bytes = new TextEncoder().encode(String(value));
    const offsets = new Int32Array(n + 1);
    for (let i = 0; i <= n; i++) offsets[i] = i * bytes.length;
    const data = new Uint8Array(bytes.length * n);
    for (let i = 0; i < n; i++) data.set(bytes, i * bytes.length);
    return makeData({ type: new Utf8(), length: n, nullCount: 0, valueOffsets: offsets, data });
  }
  return columnFromJs(new Array<LitValue>(n).fill(value), type, "literal");
}

/** Kernels that are not generated loops: strings, lists, casts from/to strings, mixed types. */
export function vectorKernel(
  node: ExprNode,
  kids: Data[],
  kidTypes: DataType[],
  type: DataType,
  n: number,
): Data {
  switch (node.kind) {
    case "str":
      // A string function of an untyped null (lit(null)) is null on every row.
      if (kidTypes[0]!.typeId === Type.Null)
        return columnFromJs(new Array<null>(n).fill(null), type, formatExpr(node));
      return strKernel(node, kids[0]!);
    case "list":
      return listKernel(node.fn, kids[0]!, node.args, type);
    case "struct":
      return structField(kids[0]!, kidTypes[0]!, String(node.args[0]));
    case "dt":
      if (kidTypes[0]!.typeId === Type.Null)
        return columnFromJs(new Array<null>(n).fill(null), type, formatExpr(node));
      return dtVectorKernel(node, kids[0]!, kidTypes[0]!, type);
    case "concatStr": {
      // Non-string pieces are converted as .cast("utf8") converts them.
      const pieces = kids.map((k, i) =>
        isString(kidTypes[i]!) || kidTypes[i]!.typeId === Type.Null
          ? k
          : castKernel(k, kidTypes[i]!, new Utf8()),
      );
      return concatKernel(pieces, encodeUtf8(node.separator), node.ignoreNulls, n);
    }
    case "binary":
      // A comparison with an untyped null is null on every row.
      if (kidTypes[0]!.typeId === Type.Null || kidTypes[1]!.typeId === Type.Null) {
        return columnFromJs(new Array<null>(n).fill(null), type, formatExpr(node));
      }
      if (isString(kidTypes[0]!) && isString(kidTypes[1]!))
        return compareStrings(node.op, asUtf8(kids[0]!), asUtf8(kids[1]!));
      if (isDecimal(kidTypes[0]!) || isDecimal(kidTypes[1]!))
        return decimalBinary(node, kids, kidTypes, type, n);
      return rowWise(node, kids, type, n);
    case "isIn":
      if (isString(kidTypes[0]!)) return isInStrings(kids[0]!, node.values);
      return rowWise(node, kids, type, n);
    case "cast":
      return castKernel(kids[0]!, kidTypes[0]!, type, castSource(node), node.onError === "null");
    case "math":
      if (node.fn === "hash") return hashKernel(kids[0]!, kidTypes[0]!);
      return rowWise(node, kids, type, n);
    case "choice":
      return choiceKernel(node, kids, kidTypes, type, n);
    case "neg":
      if (isDecimal(type)) return decimalNeg(kids[0]!, type as Decimal, formatExpr(node));
      return rowWise(node, kids, type, n);
    default:
      return rowWise(node, kids, type, n);
  }
}

function compareStrings(op: string, a: Data, b: Data): Data {
  const n = a.length;
  const out = new Uint8Array(bitmapBytes(n));
  const test: (c: number) => boolean =
    op === "eq"
      ? (c) => c === 0
      : op === "neq"
        ? (c) => c !== 0
        : op === "lt"
          ? (c) => c < 0
          : op === "lte"
            ? (c) => c <= 0
            : op === "gt"
              ? (c) => c > 0
              : op === "gte"
                ? (c) => c >= 0
                : () => {
                    throw new Error(`internal: ${op} on strings`);
                  };
  const va = validityOf(a);
  const vb = validityOf(b);
  let validity: Uint8Array | null = null;
  let nulls = 0;
  if (va || vb) {
    validity = new Uint8Array(bitmapBytes(n));
    for (let i = 0; i < n; i++) {
      const ok = (!va || (va[i >> 3]! >> (i & 7)) & 1) && (!vb || (vb[i >> 3]! >> (i & 7)) & 1);
      if (ok) validity[i >> 3]! |= 1 << (i & 7);
      else nulls++;
    }
  }
  for (let i = 0; i < n; i++) if (test(compareUtf8(a, i, b, i))) out[i >> 3]! |= 1 << (i & 7);
  return makeData({
    type: new Bool(),
    length: n,
    nullCount: nulls,
    nullBitmap: nulls ? validity : null,
    data: out,
  });
}

function isInStrings(a: Data, values: LitValue[]): Data {
  const set = new Set(values.filter((v) => v !== null).map(String));
  const strs = valuesOf(a) as (string | null)[];
  const n = strs.length;
  const out = new Uint8Array(bitmapBytes(n));
  for (let i = 0; i < n; i++) {
    const s = strs[i];
    if (s !== null && set.has(s)) out[i >> 3]! |= 1 << (i & 7);
  }
  const validity = validityOf(a);
  return makeData({
    type: new Bool(),
    length: n,
    nullCount: validity ? a.nullCount : 0,
    nullBitmap: validity,
    data: out,
  });
}

/**
 * Casts that involve strings or nested types. Strict: a value that does not parse or fit is
 * an error naming the column and row, or null when `nullOnError`.
 */
function castKernel(
  src: Data,
  from: DataType,
  to: DataType,
  column = "value",
  nullOnError = false,
): Data {
  const n = src.length;
  const dec = castDecimal(src, from, to, column, nullOnError);
  if (dec) return dec;
  if (isString(to)) {
    if (isTemporal(from)) return temporalToUtf8(src, from);
    const vals = valuesOf(src);
    const out = new Array<string | null>(n);
    for (let i = 0; i < n; i++) {
      const v = vals[i];
      out[i] = v === null ? null : v instanceof Date ? v.toISOString() : String(v);
    }
    return buildUtf8(out);
  }
  if (isString(from)) {
    const strs = valuesOf(src) as (string | null)[];
    const out = new Array<unknown>(n);
    for (let i = 0; i < n; i++) {
      const s = strs[i];
      if (s === null) out[i] = null;
      else if (nullOnError) {
        try {
          out[i] = parseAs(s, to, i, column);
        } catch {
          out[i] = null;
        }
      } else out[i] = parseAs(s, to, i, column);
    }
    return columnFromJs(out, to, column, { onError: nullOnError ? "null" : "error" });
  }
  if (from.typeId === Type.Timestamp && to.typeId === Type.Timestamp) {
    const f = msFactor(src) / msFactor({ type: to, typeId: Type.Timestamp } as Data);
    const vals = src.values as BigInt64Array;
    const out = new BigInt64Array(n);
    const inv = Math.round(1 / f);
    for (let i = 0; i < n; i++)
      out[i] = BigInt(
        f < 1 ? Math.floor(Number(vals[i]!) / inv) : Math.trunc(Number(vals[i]!) * f),
      );
    const validity = validityOf(src);
    return makeData({
      type: to as Timestamp,
      length: n,
      nullCount: validity ? src.nullCount : 0,
      nullBitmap: validity,
      data: out,
    });
  }
  const vals = valuesOf(src);
  return columnFromJs(vals, to, column, { onError: nullOnError ? "null" : "error" });
}

function parseAs(s: string, to: DataType, row: number, column: string): unknown {
  const t = s.trim();
  const fail = (): never => {
    throw new TypeError(
      `Column "${column}" row ${row}: cast to ${typeName(to)} failed: "${s.slice(0, 100)}" is not a ${typeName(to)}. Fix the value, or use .cast("${typeName(to)}", { onError: "null" }) to get null instead.`,
    );
  };
  if (isNumeric(to)) {
    if ((to as { bitWidth?: number }).bitWidth === 64 && to.typeId === Type.Int) {
      if (!/^[+-]?\d+$/.test(t)) fail();
      return BigInt(t);
    }
    const x = Number(t);
    if (t === "" || (Number.isNaN(x) && !/^nan$/i.test(t))) fail();
    if (to.typeId === Type.Int && !Number.isInteger(x)) fail();
    return x;
  }
  if (to.typeId === Type.Bool) {
    if (/^(true|1)$/i.test(t)) return true;
    if (/^(false|0)$/i.test(t)) return false;
    return fail();
  }
  if (to.typeId === Type.Date || to.typeId === Type.Timestamp) {
    const d = new Date(t);
    if (Number.isNaN(d.getTime())) fail();
    return d;
  }
  return fail();
}

/**
 * The general path for choices over non-loop types (fillNull/when/isIn over strings, lists,
 * structs): per row over decoded values. Numeric work never comes here.
 */
function rowWise(node: ExprNode, kids: Data[], type: DataType, n: number): Data {
  const cols = kids.map((k) => valuesOf(k));
  const out = new Array<unknown>(n);
  switch (node.kind) {
    case "fillNull":
      for (let i = 0; i < n; i++) out[i] = cols[0]![i] ?? cols[1]![i] ?? null;
      break;
    case "when": {
      const branches = node.branches.length;
      for (let i = 0; i < n; i++) {
        let v: unknown = cols[cols.length - 1]![i];
        for (let b = 0; b < branches; b++) {
          if (cols[2 * b]![i] === true) {
            v = cols[2 * b + 1]![i];
            break;
          }
        }
        out[i] = v ?? null;
      }
      break;
    }
    case "isIn": {
      const set = new Set<unknown>(node.values);
      for (let i = 0; i < n; i++) out[i] = cols[0]![i] === null ? null : set.has(cols[0]![i]);
      break;
    }
    default:
      throw new Error(`internal: no kernel for ${formatExpr(node)} (${typeName(type)})`);
  }
  if (type.typeId === Type.List && (type as List).children[0]!.type.typeId === Type.Null) {
    return columnFromJs(out, new List(new Field("item", new Utf8(), true)), "when");
  }
  return columnFromJs(out, type, formatExpr(node));
}
