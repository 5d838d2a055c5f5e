import type {
  AggFn,
  BinaryOp,
  ChoiceFn,
  DtFn,
  ExprNode,
  FrameBound,
  ListFn,
  MathFn,
  StrFn,
  StructFn,
  WinFn,
} from "../../expr/ast.js";
import { typeName } from "../../types/dtype.js";
import type { UdfDef } from "../../udf/types.js";
import {
  arrayAt,
  badPlan,
  decodeType,
  decodeValue,
  encodeValue,
  type Json,
  type JsonObject,
  objectAt,
  stringAt,
} from "./values.js";

/** A list of every member of a string union (the compiler checks none is missing). */
const all =
  <T extends string>() =>
  <const A extends readonly T[]>(
    xs: A & ([T] extends [A[number]] ? unknown : never),
  ): readonly T[] =>
    xs;

const BINARY = all<BinaryOp>()([
  "add",
  "sub",
  "mul",
  "div",
  "mod",
  "eq",
  "neq",
  "lt",
  "lte",
  "gt",
  "gte",
  "and",
  "or",
]);
const STR = all<StrFn>()([
  "length",
  "lower",
  "upper",
  "contains",
  "startsWith",
  "endsWith",
  "replace",
  "split",
  "slice",
  "strip",
  "like",
  "ilike",
  "matches",
  "extract",
  "extractAll",
  "countMatches",
  "padStart",
  "padEnd",
  "repeat",
  "reverse",
  "find",
  "lstrip",
  "rstrip",
  "capitalize",
  "toBytes",
]);
const LIST = all<ListFn>()(["length", "get", "join"]);
const STRUCT = all<StructFn>()(["field"]);
const DT = all<DtFn>()([
  "year",
  "month",
  "day",
  "hour",
  "minute",
  "second",
  "millisecond",
  "weekday",
  "dayOfYear",
  "quarter",
  "week",
  "date",
  "truncate",
  "strftime",
  "epoch",
  "totalDays",
  "totalHours",
  "totalMinutes",
  "totalSeconds",
  "totalMilliseconds",
  "shift",
  "toDate",
  "toTimestamp",
]);
const MATH = all<MathFn>()([
  "abs",
  "sign",
  "round",
  "floor",
  "ceil",
  "sqrt",
  "cbrt",
  "exp",
  "log",
  "log2",
  "log10",
  "log1p",
  "pow",
  "clip",
  "sin",
  "cos",
  "tan",
  "asin",
  "acos",
  "atan",
  "atan2",
  "isNan",
  "isFinite",
  "hash",
]);
const CHOICE = all<ChoiceFn>()(["coalesce", "greatest", "least", "nullIf"]);
const AGG = all<AggFn>()([
  "sum",
  "mean",
  "min",
  "max",
  "count",
  "countDistinct",
  "first",
  "last",
  "list",
  "countRows",
  "std",
  "var",
  "median",
  "quantile",
  "product",
  "any",
  "all",
  "stringAgg",
  "mode",
]);

const WIN = all<WinFn>()([
  "rowNumber",
  "rank",
  "denseRank",
  "percentRank",
  "ntile",
  "lag",
  "lead",
  "firstValue",
  "lastValue",
  "nthValue",
  "cumSum",
  "cumCount",
  "cumMin",
  "cumMax",
]);

function frameBound(j: Json | undefined, where: string): FrameBound {
  if (j === "unbounded" || typeof j === "number") return j;
  throw badPlan(where, 'expected a number or "unbounded"');
}

/** Writes an expression tree as JSON; UDFs go by their index in the plan's UDF table. */
export function encodeExpr(e: ExprNode, udf: (def: UdfDef) => number): Json {
  const x = (n: ExprNode) => encodeExpr(n, udf);
  switch (e.kind) {
    case "col":
      return { kind: e.kind, name: e.name };
    case "lit": {
      const out: JsonObject = { kind: e.kind, value: encodeValue(e.value) };
      if (e.type) out.type = typeName(e.type);
      return out;
    }
    case "binary":
      return { kind: e.kind, op: e.op, left: x(e.left), right: x(e.right) };
    case "neg":
    case "not":
      return { kind: e.kind, arg: x(e.arg) };
    case "isNull":
      return { kind: e.kind, arg: x(e.arg), negated: e.negated };
    case "fillNull":
      return { kind: e.kind, arg: x(e.arg), fill: x(e.fill) };
    case "isIn":
      return { kind: e.kind, arg: x(e.arg), values: e.values.map(encodeValue) };
    case "cast":
      return e.onError === "null"
        ? { kind: e.kind, arg: x(e.arg), to: typeName(e.to), onError: "null" }
        : { kind: e.kind, arg: x(e.arg), to: typeName(e.to) };
    case "alias":
      return { kind: e.kind, arg: x(e.arg), name: e.name };
    case "when":
      return {
        kind: e.kind,
        branches: e.branches.map((b) => ({ cond: x(b.cond), value: x(b.value) })),
        otherwise: x(e.otherwise),
      };
    case "str":
    case "list":
    case "struct":
    case "dt":
      return { kind: e.kind, fn: e.fn, arg: x(e.arg), args: e.args.map(encodeValue) };
    case "interval":
      return { kind: e.kind, months: e.months, days: e.days, ms: encodeValue(e.ms) };
    case "udf":
      return { kind: e.kind, udf: udf(e.udf), args: e.args.map(x) };
    case "concatStr":
      return {
        kind: e.kind,
        args: e.args.map(x),
        separator: e.separator,
        ignoreNulls: e.ignoreNulls,
      };
    case "math":
    case "choice":
      return { kind: e.kind, fn: e.fn, args: e.args.map(x) };
    case "agg": {
      const out: JsonObject = { kind: e.kind, fn: e.fn, arg: e.arg ? x(e.arg) : null };
      if (e.args) out.args = e.args.map(encodeValue);
      return out;
    }
    case "winFn":
      return {
        kind: e.kind,
        fn: e.fn,
        arg: e.arg ? x(e.arg) : null,
        args: e.args.map(encodeValue),
      };
    case "over": {
      const out: JsonObject = {
        kind: e.kind,
        arg: x(e.arg),
        partitionBy: e.partitionBy.map(x),
        orderBy: e.orderBy.map((k) => ({
          expr: x(k.expr),
          descending: k.descending,
          nullsFirst: k.nullsFirst,
        })),
      };
      if (e.frame) out.frame = { unit: e.frame.unit, start: e.frame.start, end: e.frame.end };
      return out;
    }
    default:
      return e satisfies never;
  }
}

function oneOf<T extends string>(j: Json | undefined, list: readonly T[], where: string): T {
  const s = stringAt(j, where);
  if (!(list as readonly string[]).includes(s))
    throw badPlan(where, `"${s}" is not one of ${list.join(", ")}`);
  return s as T;
}

/** Reads what encodeExpr wrote; `udf(i)` gives the plan's i-th UDF. */
export function decodeExpr(
  j: Json | undefined,
  where: string,
  udf: (index: number, where: string) => UdfDef,
): ExprNode {
  const o = objectAt(j, where);
  const x = (k: string) => decodeExpr(o[k], `${where}.${k}`, udf);
  const values = (k: string) =>
    arrayAt(o[k], `${where}.${k}`).map((v, i) => decodeValue(v, `${where}.${k}[${i}]`));
  const kind = stringAt(o.kind, `${where}.kind`) as ExprNode["kind"];
  switch (kind) {
    case "col":
      return { kind, name: stringAt(o.name, `${where}.name`) };
    case "lit": {
      const value = decodeValue(o.value, `${where}.value`);
      return o.type === undefined
        ? { kind, value }
        : { kind, value, type: decodeType(o.type, `${where}.type`) };
    }
    case "binary":
      return { kind, op: oneOf(o.op, BINARY, `${where}.op`), left: x("left"), right: x("right") };
    case "neg":
    case "not":
      return { kind, arg: x("arg") };
    case "isNull":
      return { kind, arg: x("arg"), negated: o.negated === true };
    case "fillNull":
      return { kind, arg: x("arg"), fill: x("fill") };
    case "isIn":
      return { kind, arg: x("arg"), values: values("values") };
    case "cast":
      if (o.onError !== undefined && o.onError !== "null" && o.onError !== "error")
        throw badPlan(
          `${where}.onError`,
          `expected "null" or "error", got ${JSON.stringify(o.onError)}`,
        );
      return o.onError === "null"
        ? { kind, arg: x("arg"), to: decodeType(o.to, `${where}.to`), onError: "null" }
        : { kind, arg: x("arg"), to: decodeType(o.to, `${where}.to`) };
    case "alias":
      return { kind, arg: x("arg"), name: stringAt(o.name, `${where}.name`) };
    case "when":
      return {
        kind,
        branches: arrayAt(o.branches, `${where}.branches`).map((b, i) => {
          const at = `${where}.branches[${i}]`;
          const bo = objectAt(b, at);
          return {
            cond: decodeExpr(bo.cond, `${at}.cond`, udf),
            value: decodeExpr(bo.value, `${at}.value`, udf),
          };
        }),
        otherwise: x("otherwise"),
      };
    case "str":
      return { kind, fn: oneOf(o.fn, STR, `${where}.fn`), arg: x("arg"), args: values("args") };
    case "list":
      return { kind, fn: oneOf(o.fn, LIST, `${where}.fn`), arg: x("arg"), args: values("args") };
    case "struct":
      return { kind, fn: oneOf(o.fn, STRUCT, `${where}.fn`), arg: x("arg"), args: values("args") };
    case "dt":
      return { kind, fn: oneOf(o.fn, DT, `${where}.fn`), arg: x("arg"), args: values("args") };
    case "interval": {
      const num = (k: string) => {
        const v = k === "ms" ? decodeValue(o[k], `${where}.${k}`) : o[k];
        if (typeof v !== "number") throw badPlan(`${where}.${k}`, "expected a number");
        return v;
      };
      return { kind, months: num("months"), days: num("days"), ms: num("ms") };
    }
    case "udf":
      return {
        kind,
        udf: udf(o.udf as number, `${where}.udf`),
        args: arrayAt(o.args, `${where}.args`).map((a, i) =>
          decodeExpr(a, `${where}.args[${i}]`, udf),
        ),
      };
    case "concatStr":
      return {
        kind,
        args: arrayAt(o.args, `${where}.args`).map((a, i) =>
          decodeExpr(a, `${where}.args[${i}]`, udf),
        ),
        separator: stringAt(o.separator, `${where}.separator`),
        ignoreNulls: o.ignoreNulls === true,
      };
    case "math":
    case "choice": {
      const args = arrayAt(o.args, `${where}.args`).map((a, i) =>
        decodeExpr(a, `${where}.args[${i}]`, udf),
      );
      return kind === "math"
        ? { kind, fn: oneOf(o.fn, MATH, `${where}.fn`), args }
        : { kind, fn: oneOf(o.fn, CHOICE, `${where}.fn`), args };
    }
    case "agg": {
      const fn = oneOf(o.fn, AGG, `${where}.fn`);
      const arg = o.arg === null || o.arg === undefined ? null : x("arg");
      return o.args === undefined ? { kind, fn, arg } : { kind, fn, arg, args: values("args") };
    }
    case "winFn":
      return {
        kind,
        fn: oneOf(o.fn, WIN, `${where}.fn`),
        arg: o.arg === null || o.arg === undefined ? null : x("arg"),
        args: values("args"),
      };
    case "over": {
      const frame =
        o.frame === undefined || o.frame === null ? null : objectAt(o.frame, `${where}.frame`);
      return {
        kind,
        arg: x("arg"),
        partitionBy: arrayAt(o.partitionBy, `${where}.partitionBy`).map((a, i) =>
          decodeExpr(a, `${where}.partitionBy[${i}]`, udf),
        ),
        orderBy: arrayAt(o.orderBy, `${where}.orderBy`).map((k, i) => {
          const at = `${where}.orderBy[${i}]`;
          const ko = objectAt(k, at);
          return {
            expr: decodeExpr(ko.expr, `${at}.expr`, udf),
            descending: ko.descending === true,
            nullsFirst: ko.nullsFirst === true,
          };
        }),
        frame: frame && {
          unit: oneOf(frame.unit, ["rows", "range"] as const, `${where}.frame.unit`),
          start: frameBound(frame.start, `${where}.frame.start`),
          end: frameBound(frame.end, `${where}.frame.end`),
        },
      };
    }
    default:
      throw badPlan(`${where}.kind`, `unknown expression kind "${kind}"`);
  }
}
