import { Field, Schema } from "apache-arrow";
import type { ExprNode, FrameBound, OverNode, WindowFrame } from "../../expr/ast.js";
import { formatExpr } from "../../expr/expr.js";
import { fieldOf, PlanError, resolveType } from "../../types/typing.js";
import {
  arrayAt,
  badPlan,
  type Json,
  type JsonObject,
  objectAt,
  stringAt,
} from "../json/values.js";
import type { NodeKindDef } from "../node-kind.js";
import type { PlanNode } from "../nodes.js";
import { oneInput } from "./inputs.js";

/** One order key of a window, by column name. */
export interface WindowOrder {
  name: string;
  descending: boolean;
  nullsFirst: boolean;
}

/**
 * One function a Window node computes: an aggregation (sum, mean, min, max, count,
 * countDistinct, first, last, count()) or a window function (rowNumber, rank, denseRank,
 * percentRank, ntile, lag, lead, firstValue, lastValue, nthValue) whose argument is a column.
 * `frame` is set (the default made explicit) for aggregations and firstValue/lastValue/
 * nthValue, null for the rest.
 */
export interface WindowFnDef {
  name: string;
  fn: ExprNode;
  frame: WindowFrame | null;
}

/**
 * Window functions over partitions of the input (rows with equal `partitionBy` columns),
 * each partition ordered by `orderBy`: every input column in input order, then one column per
 * function. Keys and arguments are columns of the input (the plan builder computes
 * expressions into columns below).
 */
export interface WindowNode {
  kind: "window";
  schema: Schema;
  input: PlanNode;
  partitionBy: string[];
  orderBy: WindowOrder[];
  fns: WindowFnDef[];
}

/** The fn as the `over` expression it came from (how it is typed and printed). */
export function overOf(
  node: Pick<WindowNode, "partitionBy" | "orderBy">,
  fn: WindowFnDef,
): OverNode {
  return {
    kind: "over",
    arg: fn.fn,
    partitionBy: node.partitionBy.map((name) => ({ kind: "col", name })),
    orderBy: node.orderBy.map((k) => ({
      expr: { kind: "col", name: k.name },
      descending: k.descending,
      nullsFirst: k.nullsFirst,
    })),
    frame: fn.frame,
  };
}

/** A Window node, checked: key columns exist, each function types over its window. */
export function windowNode(
  input: PlanNode,
  partitionBy: string[],
  orderBy: WindowOrder[],
  fns: WindowFnDef[],
): WindowNode {
  const schema = input.schema;
  for (const p of partitionBy) fieldOf(schema, p, " in over() partitionBy");
  for (const o of orderBy) fieldOf(schema, o.name, " in over() orderBy");
  const names = new Set(schema.fields.map((f) => f.name));
  const fields = [...schema.fields];
  for (const f of fns) {
    if (names.has(f.name)) {
      throw new PlanError(
        `window: the output column "${f.name}" already exists; name it otherwise.`,
      );
    }
    names.add(f.name);
    const type = resolveType(overOf({ partitionBy, orderBy }, f), schema);
    fields.push(new Field(f.name, type, true));
  }
  if (fns.length === 0) throw new PlanError("window: give at least one window function.");
  return { kind: "window", schema: new Schema(fields), input, partitionBy, orderBy, fns };
}

const frameText = (f: WindowFrame | null) => (f ? ` ${f.unit}=[${f.start}, ${f.end}]` : "");

function frameBound(j: Json | undefined, where: string): FrameBound {
  if (j === "unbounded" || typeof j === "number") return j;
  throw badPlan(where, 'expected a number or "unbounded"');
}

/** Reads a frame as the window node's JSON writes it (null: the function has none). */
export function decodeFrame(j: Json | undefined, where: string): WindowFrame | null {
  if (j === null || j === undefined) return null;
  const o = objectAt(j, where);
  const unit = stringAt(o.unit, `${where}.unit`);
  if (unit !== "rows" && unit !== "range")
    throw badPlan(`${where}.unit`, 'expected "rows" or "range"');
  return {
    unit,
    start: frameBound(o.start, `${where}.start`),
    end: frameBound(o.end, `${where}.end`),
  };
}

export const windowKind: NodeKindDef<WindowNode> = {
  inputs: (node) => [node.input],
  withInputs: (node, [input]) => ({ ...node, input: input! }),
  refresh: (node) => windowNode(node.input, node.partitionBy, node.orderBy, node.fns),
  explain: (node) => {
    const parts: string[] = [];
    if (node.partitionBy.length) parts.push(`partitionBy=[${node.partitionBy.join(", ")}]`);
    if (node.orderBy.length) {
      const keys = node.orderBy.map(
        (k) => `${k.name}${k.descending ? " desc" : ""}${k.nullsFirst ? " nulls first" : ""}`,
      );
      parts.push(`orderBy=[${keys.join(", ")}]`);
    }
    const fns = node.fns.map((f) => `${f.name}=${formatExpr(f.fn)}${frameText(f.frame)}`);
    return `Window: ${[...parts, ...fns].join(", ")}`;
  },
  encode: (node, enc): JsonObject => ({
    partitionBy: [...node.partitionBy],
    orderBy: node.orderBy.map((k) => ({ ...k })),
    fns: node.fns.map((f) => {
      const out: JsonObject = { name: f.name, fn: enc.expr(f.fn) };
      if (f.frame) out.frame = { ...f.frame };
      return out;
    }),
  }),
  decode(json, inputs, dec, where) {
    const partitionBy = arrayAt(json.partitionBy, `${where}.partitionBy`).map((p, i) =>
      stringAt(p, `${where}.partitionBy[${i}]`),
    );
    const orderBy = arrayAt(json.orderBy, `${where}.orderBy`).map((k, i) => {
      const o = objectAt(k, `${where}.orderBy[${i}]`);
      return {
        name: stringAt(o.name, `${where}.orderBy[${i}].name`),
        descending: o.descending === true,
        nullsFirst: o.nullsFirst === true,
      };
    });
    const fns = arrayAt(json.fns, `${where}.fns`).map((f, i) => {
      const at = `${where}.fns[${i}]`;
      const o = objectAt(f, at);
      return {
        name: stringAt(o.name, `${at}.name`),
        fn: dec.expr(o.fn, `${at}.fn`),
        frame: decodeFrame(o.frame, `${at}.frame`),
      };
    });
    return windowNode(oneInput(inputs, where), partitionBy, orderBy, fns);
  },
};
