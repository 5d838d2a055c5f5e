import { Field, type Float, Precision, Schema, Type } from "apache-arrow";
import { columnsOf, type ExprNode, some } from "../expr/ast.js";
import { compileSelection } from "../kernels/evaluate.js";
import { andAll, conjuncts } from "../optimizer/predicates.js";
import { decodeExpr, encodeExpr } from "../plan/json/expr.js";
import type { Json } from "../plan/json/values.js";
import type { RowFilter } from "./parquet-native/row-group.js";
import type { NativeColumnPlan } from "./parquet-native/support.js";

// A scan's pushed filter, evaluated while a row group is decoded: its columns are decoded
// first, and the others only for the rows that pass (late materialization). The Filter above
// the scan still checks every row it gets, so this only ever drops rows that it would drop.

/**
 * The part of a scan's filter a decoding thread can evaluate, as JSON: the conjuncts made of
 * built-in expressions only (no UDF, aggregation or window). Undefined when none is.
 */
export function decodeFilterJson(filter: ExprNode | undefined): Json | undefined {
  if (!filter) return undefined;
  const builtIn = conjuncts(filter).filter(
    (c) =>
      !some(
        c,
        (n) => n.kind === "udf" || n.kind === "agg" || n.kind === "over" || n.kind === "winFn",
      ),
  );
  const e = andAll(builtIn);
  return e
    ? encodeExpr(e, () => {
        throw new Error("a UDF in a decode filter (a bug in deft)");
      })
    : undefined;
}

const compiled = new Map<string, RowFilter | undefined>();
const CACHE_LIMIT = 32;

/**
 * The row filter of `json` over a native plan, compiled once per thread; undefined when no
 * conjunct reads only columns the plan decodes in a type the kernels evaluate as read
 * (half floats and intervals are left to the Filter above, which sees them widened).
 */
export function rowFilterOf(json: Json, plan: readonly NativeColumnPlan[]): RowFilter | undefined {
  const key = `${JSON.stringify(json)}|${plan.map((p) => `${p.name}:${p.outType}`).join(",")}`;
  if (compiled.has(key)) return compiled.get(key);
  const filter = build(json, plan);
  compiled.set(key, filter);
  while (compiled.size > CACHE_LIMIT) compiled.delete(compiled.keys().next().value as string);
  return filter;
}

function build(json: Json, plan: readonly NativeColumnPlan[]): RowFilter | undefined {
  const index = new Map<string, number>();
  plan.forEach((p, i) => {
    const t = p.outType;
    const half = t.typeId === Type.Float && (t as Float).precision === Precision.HALF;
    if (!half && t.typeId !== Type.Interval) index.set(p.name, i);
  });
  const expr = decodeExpr(json, "decode filter", () => {
    throw new Error("a UDF in a decode filter (a bug in deft)");
  });
  const usable = conjuncts(expr).filter((c) => [...columnsOf(c)].every((n) => index.has(n)));
  const predicate = andAll(usable);
  if (!predicate) return undefined;
  const columns = [...columnsOf(predicate)].map((n) => index.get(n)!).sort((a, b) => a - b);
  if (columns.length === 0) return undefined;
  const schema = new Schema(columns.map((i) => new Field(plan[i]!.name, plan[i]!.outType, true)));
  try {
    return { columns, schema, select: compileSelection(predicate, schema) };
  } catch {
    return undefined;
  }
}
