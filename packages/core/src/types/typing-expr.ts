// Result types of row-wise expressions (one value per row).
import {
  Bool,
  type DataType,
  Float64,
  Int32,
  type List,
  type Schema,
  Type,
  Utf8,
} from "apache-arrow";
import type { ExprNode } from "../expr/ast.js";
import { formatExpr } from "../expr/expr.js";
import { isBool, isFloat16, isNumeric, isString, isTemporal, typeName } from "./dtype.js";
import { fieldOf, PlanError } from "./plan-error.js";
import { aggResultType } from "./typing-agg.js";
import { asDecimal, decimalResult, isDecimalType } from "./typing-decimal.js";
import { dtType, temporalArithType } from "./typing-dt.js";
import { choiceType, mathType } from "./typing-num.js";
import { concatStrType, strResultType } from "./typing-str.js";
import { structFieldType } from "./typing-struct.js";
import { commonType, isWeakNumber, literalType } from "./typing-supertype.js";
import { overType, winFnType } from "./typing-window.js";

/** Resolves the output type of an expression against an input schema, or throws PlanError. */
export function resolveType(node: ExprNode, schema: Schema): DataType {
  switch (node.kind) {
    case "col":
      return fieldOf(schema, node.name).type;
    case "lit":
      return node.type ?? literalType(node.value);
    case "alias":
      return resolveType(node.arg, schema);
    case "binary":
      return binaryType(node, schema);
    case "neg": {
      const t = resolveType(node.arg, schema);
      if (!isNumeric(t) && !isDecimalType(t))
        throw new PlanError(`neg() needs a number, but ${formatExpr(node.arg)} is ${typeName(t)}.`);
      return t;
    }
    case "not": {
      const t = resolveType(node.arg, schema);
      if (!isBool(t) && t.typeId !== Type.Null) {
        throw new PlanError(
          `not() needs a boolean, but ${formatExpr(node.arg)} is ${typeName(t)}.`,
        );
      }
      return new Bool();
    }
    case "isNull":
      resolveType(node.arg, schema);
      return new Bool();
    case "isIn":
      return isInType(node, schema);
    case "fillNull": {
      const t = resolveType(node.arg, schema);
      const ft = resolveType(node.fill, schema);
      return commonType(node.arg, node.fill, t, ft, formatExpr(node));
    }
    case "cast":
      resolveType(node.arg, schema);
      // Sources widen float16 to float32 on read; no kernel computes half floats.
      if (isFloat16(node.to))
        throw new PlanError(`cast() to float16 is not supported; cast to "float32" instead.`);
      return node.to;
    case "when":
      return whenType(node, schema);
    case "str":
      return strType(node, schema);
    case "list":
      return listType(node, schema);
    case "struct":
      return structFieldType(node, resolveType(node.arg, schema));
    case "concatStr":
      return concatStrType(
        node,
        node.args.map((a) => resolveType(a, schema)),
      );
    case "dt":
      return dtType(node, resolveType(node.arg, schema));
    case "math":
      return mathType(
        node,
        node.args.map((a) => resolveType(a, schema)),
      );
    case "choice":
      return choiceType(
        node,
        node.args.map((a) => resolveType(a, schema)),
      );
    case "interval":
      throw new PlanError(
        `${formatExpr(node)} on its own has no column type; add it to or subtract it from a date or timestamp: col("d").add(interval({ months: 1 })).`,
      );
    case "udf":
      for (const a of node.args) resolveType(a, schema);
      return node.udf.returnType;
    case "agg":
      return aggResultType(
        node.fn,
        node.arg ? resolveType(node.arg, schema) : null,
        formatExpr(node.arg ?? node),
      );
    case "winFn":
      return winFnType(node, schema);
    case "over":
      return overType(node, schema);
  }
}

const CMP = new Set(["eq", "neq", "lt", "lte", "gt", "gte"]);

function binaryType(node: Extract<ExprNode, { kind: "binary" }>, schema: Schema): DataType {
  const what = formatExpr(node);
  if (node.op === "and" || node.op === "or") {
    for (const n of [node.left, node.right]) {
      const t = resolveType(n, schema);
      if (!isBool(t) && t.typeId !== Type.Null) {
        throw new PlanError(`${node.op}() needs booleans, but ${formatExpr(n)} is ${typeName(t)}.`);
      }
    }
    return new Bool();
  }
  const lt = resolveType(node.left, schema);
  const rt = resolveType(node.right, schema);
  if (CMP.has(node.op)) {
    commonType(node.left, node.right, lt, rt, what);
    return new Bool();
  }
  const temporal = temporalArithType(node, lt, rt);
  if (temporal) return temporal;
  if (isDecimalType(lt) || isDecimalType(rt)) return decimalArithType(node, lt, rt, what);
  for (const [n, t] of [
    [node.left, lt],
    [node.right, rt],
  ] as const) {
    if (!isNumeric(t) && t.typeId !== Type.Null) {
      throw new PlanError(
        `${node.op}() needs numbers, but ${formatExpr(n)} is ${typeName(t)}. Cast it with .cast("float64") or use a string function.`,
      );
    }
  }
  const t = commonType(node.left, node.right, lt, rt, what);
  // Division is true division: float32 stays float32, everything else divides as float64.
  if (node.op === "div") {
    return t.typeId === Type.Float && (t as Float64).precision === 1 ? t : new Float64();
  }
  return t;
}

/** Arithmetic with a decimal side: exact decimals (typing-decimal.ts), or float64 with a float. */
function decimalArithType(
  node: Extract<ExprNode, { kind: "binary" }>,
  lt: DataType,
  rt: DataType,
  what: string,
): DataType {
  for (const [n, t] of [
    [node.left, lt],
    [node.right, rt],
  ] as const) {
    if (!isNumeric(t) && !isDecimalType(t) && t.typeId !== Type.Null) {
      throw new PlanError(
        `${node.op}() needs numbers, but ${formatExpr(n)} is ${typeName(t)}. Cast it with .cast("decimal(p, s)") or .cast("float64").`,
      );
    }
  }
  if (lt.typeId === Type.Null) return node.op === "div" ? new Float64() : rt;
  if (rt.typeId === Type.Null) return node.op === "div" ? new Float64() : lt;
  const a = asDecimal(node.left, lt);
  const b = asDecimal(node.right, rt);
  if (!a || !b) return new Float64();
  return decimalResult(node.op, a, b, what);
}

function isInType(node: Extract<ExprNode, { kind: "isIn" }>, schema: Schema): DataType {
  const t = resolveType(node.arg, schema);
  for (const v of node.values) {
    if (v === null) continue;
    const vt = literalType(v);
    const ok =
      (isNumeric(t) && isNumeric(vt)) ||
      (isString(t) && isString(vt)) ||
      (isBool(t) && isBool(vt)) ||
      (isTemporal(t) && isTemporal(vt));
    if (!ok) {
      throw new PlanError(
        `isIn() on ${formatExpr(node.arg)} (${typeName(t)}) got ${JSON.stringify(String(v))} (${typeName(vt)}). Give values of the column's type.`,
      );
    }
  }
  return new Bool();
}

function whenType(node: Extract<ExprNode, { kind: "when" }>, schema: Schema): DataType {
  for (const b of node.branches) {
    const ct = resolveType(b.cond, schema);
    if (!isBool(ct) && ct.typeId !== Type.Null) {
      throw new PlanError(
        `when() needs a boolean condition, but ${formatExpr(b.cond)} is ${typeName(ct)}.`,
      );
    }
  }
  // The branches meet pairwise, left to right; a weak number or a null takes the others' type.
  let out: DataType | null = null;
  let outNode: ExprNode = node.otherwise;
  for (const v of [...node.branches.map((b) => b.value), node.otherwise]) {
    const vt = resolveType(v, schema);
    out =
      out === null || out.typeId === Type.Null
        ? vt
        : commonType(outNode, v, out, vt, formatExpr(node));
    if (vt.typeId !== Type.Null && !isWeakNumber(v)) outNode = v;
  }
  return out!;
}

function strType(node: Extract<ExprNode, { kind: "str" }>, schema: Schema): DataType {
  return strResultType(node, resolveType(node.arg, schema));
}

function listType(node: Extract<ExprNode, { kind: "list" }>, schema: Schema): DataType {
  const t = resolveType(node.arg, schema);
  if (t.typeId !== Type.List) {
    throw new PlanError(
      `.list.${node.fn}() needs a list, but ${formatExpr(node.arg)} is ${typeName(t)}.`,
    );
  }
  const item = (t as List).children[0]!.type;
  switch (node.fn) {
    case "length":
      return new Int32();
    case "get":
      return item;
    case "join":
      if (!isString(item)) {
        throw new PlanError(
          `.list.join() needs a list of strings, but ${formatExpr(node.arg)} is ${typeName(t)}.`,
        );
      }
      return new Utf8();
  }
}
