import {
  Binary,
  Bool,
  type DataType,
  Field,
  Float32,
  Float64,
  Int8,
  Int16,
  Int32,
  Int64,
  type Int as IntType,
  List,
  Null,
  type Schema,
  TimestampMillisecond,
  Type,
  Utf8,
} from "apache-arrow";
import type { ExprNode, LitValue } from "../expr/ast.js";
import { formatExpr } from "../expr/expr.js";
import { isBool, isNumeric, isString, isTemporal, typeName } from "../types/dtype.js";

/** Thrown when an expression does not fit the schema; names the column or expression. */
export class PlanError extends Error {
  /** Always "PlanError". */
  override name = "PlanError";
}

export function unknownColumn(name: string, schema: Schema, where = ""): PlanError {
  const names = schema.fields.map((f) => f.name);
  return new PlanError(
    `Unknown column "${name}"${where}. The columns are: ${names.length ? names.map((n) => `"${n}"`).join(", ") : "(none)"}.`,
  );
}

export function fieldOf(schema: Schema, name: string, where = ""): Field {
  const f = schema.fields.find((x) => x.name === name);
  if (!f) throw unknownColumn(name, schema, where);
  return f;
}

/** The type a literal has on its own (numbers are float64, as JS numbers are doubles). */
export function literalType(value: LitValue): DataType {
  if (value === null) return new Null();
  switch (typeof value) {
    case "number":
      return new Float64();
    case "bigint":
      return new Int64();
    case "string":
      return new Utf8();
    case "boolean":
      return new Bool();
  }
  if (value instanceof Date) return new TimestampMillisecond();
  return new Binary();
}

/** A number literal is "weak": it takes the type of the column it meets (Polars does the same). */
function isWeakNumber(node: ExprNode): boolean {
  return (
    node.kind === "lit" &&
    !node.type &&
    (typeof node.value === "number" || typeof node.value === "bigint")
  );
}

const bits = (t: DataType): number => (t as IntType).bitWidth;
const signed = (t: DataType): boolean => (t as IntType).isSigned;

function intOfBits(b: number): DataType {
  return b <= 8 ? new Int8() : b <= 16 ? new Int16() : b <= 32 ? new Int32() : new Int64();
}

/** The common numeric type of two numeric types (Polars' supertype rules, simplified). */
export function numericSupertype(a: DataType, b: DataType): DataType {
  if (a.typeId === Type.Null) return b;
  if (b.typeId === Type.Null) return a;
  if (a.typeId === Type.Float || b.typeId === Type.Float) {
    const f32 = (t: DataType) =>
      (t.typeId === Type.Float && (t as Float32).precision === 1) ||
      (t.typeId === Type.Int && bits(t) <= 16);
    return f32(a) && f32(b) ? new Float32() : new Float64();
  }
  if (signed(a) === signed(b)) return bits(a) >= bits(b) ? a : b;
  const s = signed(a) ? a : b;
  const u = signed(a) ? b : a;
  return intOfBits(Math.max(bits(s), bits(u) * 2));
}

function commonType(l: ExprNode, r: ExprNode, lt: DataType, rt: DataType, what: string): DataType {
  if (lt.typeId === Type.Null) return rt;
  if (rt.typeId === Type.Null) return lt;
  if (isNumeric(lt) && isNumeric(rt)) {
    if (isWeakNumber(r) && !isWeakNumber(l)) return weakFit(r, lt);
    if (isWeakNumber(l) && !isWeakNumber(r)) return weakFit(l, rt);
    return numericSupertype(lt, rt);
  }
  if (isString(lt) && isString(rt)) return lt;
  if (isBool(lt) && isBool(rt)) return lt;
  if (isTemporal(lt) && isTemporal(rt)) return lt;
  throw new PlanError(
    `Type mismatch in ${what}: ${formatExpr(l)} is ${typeName(lt)} but ${formatExpr(r)} is ${typeName(rt)}. Cast one side with .cast(type).`,
  );
}

/** A weak number literal next to a column of type t: keeps t when the value fits it. */
function weakFit(lit: ExprNode, t: DataType): DataType {
  const v = (lit as { value: LitValue }).value;
  if (t.typeId === Type.Float) return t;
  if (typeof v === "number" && !Number.isInteger(v)) return new Float64();
  return t;
}

/** Resolves the output type of an expression against an input schema, or throws PlanError. */
export function resolveType(node: ExprNode, schema: Schema): DataType {
  switch (node.kind) {
    case "col":
      return fieldOf(schema, node.name).type;
    case "lit":
      return node.type ?? literalType(node.value);
    case "alias":
      return resolveType(node.arg, schema);
    case "binary": {
      const lt = resolveType(node.left, schema);
      const rt = resolveType(node.right, schema);
      const what = formatExpr(node);
      switch (node.op) {
        case "and":
        case "or":
          for (const [n, t] of [
            [node.left, lt],
            [node.right, rt],
          ] as const) {
            if (!isBool(t) && t.typeId !== Type.Null) {
              throw new PlanError(
                `${node.op}() needs booleans, but ${formatExpr(n)} is ${typeName(t)}.`,
              );
            }
          }
          return new Bool();
        case "eq":
        case "neq":
        case "lt":
        case "lte":
        case "gt":
        case "gte":
          commonType(node.left, node.right, lt, rt, what);
          return new Bool();
        default: {
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
          if (node.op === "div") {
            return t.typeId === Type.Float && (t as Float32).precision === 1 ? t : new Float64();
          }
          return t;
        }
      }
    }
    case "neg": {
      const t = resolveType(node.arg, schema);
      if (!isNumeric(t))
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
    case "isIn": {
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
    case "fillNull": {
      const t = resolveType(node.arg, schema);
      return commonType(node.arg, node.fill, t, resolveType(node.fill, schema), formatExpr(node));
    }
    case "cast":
      resolveType(node.arg, schema);
      return node.to;
    case "when": {
      let out: DataType = new Null();
      let outNode: ExprNode = node.otherwise;
      for (const b of node.branches) {
        const ct = resolveType(b.cond, schema);
        if (!isBool(ct) && ct.typeId !== Type.Null) {
          throw new PlanError(
            `when() needs a boolean condition, but ${formatExpr(b.cond)} is ${typeName(ct)}.`,
          );
        }
      }
      const values = [...node.branches.map((b) => b.value), node.otherwise];
      for (const v of values) {
        const vt = resolveType(v, schema);
        out = out.typeId === Type.Null ? vt : commonType(outNode, v, out, vt, formatExpr(node));
        if (vt.typeId !== Type.Null && !isWeakNumber(v)) outNode = v;
      }
      return out;
    }
    case "str":
      return resolveStr(node, schema);
    case "list":
      return resolveList(node, schema);
    case "udf":
      for (const a of node.args) resolveType(a, schema);
      return node.udf.returnType;
    case "agg":
      return resolveAgg(node, schema);
  }
}

function resolveStr(node: Extract<ExprNode, { kind: "str" }>, schema: Schema): DataType {
  const t = resolveType(node.arg, schema);
  if (!isString(t) && t.typeId !== Type.Null) {
    throw new PlanError(
      `.str.${node.fn}() needs a string, but ${formatExpr(node.arg)} is ${typeName(t)}. Cast it with .cast("utf8") first.`,
    );
  }
  switch (node.fn) {
    case "length":
      return new Int32();
    case "contains":
    case "startsWith":
    case "endsWith":
      return new Bool();
    case "split":
      return new List(new Field("item", new Utf8(), true));
    default:
      return new Utf8();
  }
}

function resolveList(node: Extract<ExprNode, { kind: "list" }>, schema: Schema): DataType {
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

function resolveAgg(node: Extract<ExprNode, { kind: "agg" }>, schema: Schema): DataType {
  if (node.fn === "countRows") return new Int64();
  const t = resolveType(node.arg!, schema);
  switch (node.fn) {
    case "sum":
      if (!isNumeric(t) && !isBool(t)) {
        throw new PlanError(`sum() needs numbers, but ${formatExpr(node.arg!)} is ${typeName(t)}.`);
      }
      return t.typeId === Type.Float ? new Float64() : new Int64();
    case "mean":
      if (!isNumeric(t) && !isBool(t)) {
        throw new PlanError(
          `mean() needs numbers, but ${formatExpr(node.arg!)} is ${typeName(t)}.`,
        );
      }
      return new Float64();
    case "count":
    case "countDistinct":
      return new Int64();
    case "list":
      return new List(new Field("item", t, true));
    default:
      return t;
  }
}
