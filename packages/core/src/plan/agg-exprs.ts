// Expressions over aggregations in groupBy().agg() and a global select():
// `col("x").sum().div(count())`, `col("x").max().sub(col("x").min())`. The plan is rewritten
// when it is built: every distinct aggregation (by structure) becomes one output of the
// Aggregate node, under its own name or a hidden one, and a projection above computes the
// expressions from those outputs and the group keys. Outputs that are plain aggregations
// need no projection, so their plans stay as they were.
import { children, type ExprNode, outputName, stripAlias, withChildren } from "../expr/ast.js";
import { formatExpr } from "../expr/expr.js";
import { exprId } from "../kernels/expr-id.js";
import { firstWindow, PlanError, typeAt } from "../types/typing.js";
import { projectNode } from "./nodes/project.js";
import type { PlanNode } from "./nodes.js";
import { aggregatePlan, type ExprInput, type KeyInput } from "./relational.js";

const toNode = (e: ExprInput): ExprNode => ("node" in e ? e.node : e);
const keyExpr = (k: KeyInput): ExprNode =>
  typeof k === "string" ? { kind: "col", name: k } : toNode(k);
const col = (name: string): ExprNode => ({ kind: "col", name });
const named = (name: string, arg: ExprNode): ExprNode => ({ kind: "alias", arg, name });

/**
 * `groupBy(...keys).agg(...outputs)`, or with no keys a global aggregation (`where` names the
 * call in errors). Each output is an aggregation or an expression over aggregations, group
 * keys (by name) and literals; a column read outside any aggregation that is not a key is a
 * PlanError naming it.
 */
export function aggregateExprsPlan(
  input: PlanNode,
  keys: readonly KeyInput[],
  outputs: readonly ExprInput[],
  where: string,
): PlanNode {
  const outs = outputs.map((o) => {
    const e = toNode(o);
    return { name: outputName(e), expr: stripAlias(e) };
  });
  if (outs.every((o) => o.expr.kind === "agg")) {
    return aggregatePlan(
      input,
      keys,
      outs.map((o) => named(o.name, o.expr)),
    );
  }
  // A window in an output is its own error, before "not inside an aggregation".
  for (const o of outs) if (firstWindow(o.expr)) typeAt(o.expr, input.schema, where, "aggregate");
  const keyNames = keys.map((k) => outputName(keyExpr(k)));
  const keySet = new Set(keyNames);
  for (const o of outs) {
    const row = rowColumnOutside(o.expr, keySet);
    if (row !== null) throw rowColumn(row, o.expr, where, keys.length > 0);
  }
  const names = new Set<string>(keyNames);
  for (const o of outs) {
    if (names.has(o.name)) {
      throw new PlanError(
        `${where}: two output columns are named "${o.name}"; give one of them another name with .alias("...").`,
      );
    }
    names.add(o.name);
  }
  for (const o of outs) typeAt(o.expr, input.schema, where, "aggregate");

  // One Aggregate output per distinct aggregation: a plain output keeps its name.
  const aggs: { name: string; agg: ExprNode }[] = [];
  const byId = new Map<number, string>();
  for (const o of outs) {
    if (o.expr.kind !== "agg" || byId.has(exprId(o.expr))) continue;
    byId.set(exprId(o.expr), o.name);
    aggs.push({ name: o.name, agg: o.expr });
  }
  let next = 0;
  const hidden = (): string => {
    let name = `_agg${next++}`;
    while (names.has(name)) name = `_agg${next++}`;
    names.add(name);
    return name;
  };
  const rewrite = (n: ExprNode): ExprNode => {
    if (n.kind === "agg") {
      const id = exprId(n);
      let name = byId.get(id);
      if (name === undefined) {
        name = hidden();
        byId.set(id, name);
        aggs.push({ name, agg: n });
      }
      return col(name);
    }
    const kids = children(n);
    return kids.length ? withChildren(n, kids.map(rewrite)) : n;
  };
  const exprs = outs.map((o) => ({ name: o.name, expr: rewrite(o.expr) }));
  const aggregate = aggregatePlan(
    input,
    keys,
    aggs.map((a) => named(a.name, a.agg)),
  );
  return projectNode(aggregate, [...keyNames.map((k) => ({ name: k, expr: col(k) })), ...exprs]);
}

/** The first column read outside every aggregation that is not a key, or null. */
function rowColumnOutside(n: ExprNode, keys: ReadonlySet<string>): string | null {
  if (n.kind === "agg") return null;
  if (n.kind === "col") return keys.has(n.name) ? null : n.name;
  for (const k of children(n)) {
    const found = rowColumnOutside(k, keys);
    if (found !== null) return found;
  }
  return null;
}

function rowColumn(name: string, whole: ExprNode, where: string, grouped: boolean): PlanError {
  const c = JSON.stringify(name);
  const shown = whole.kind === "col" ? "" : ` in ${formatExpr(whole)}`;
  return grouped
    ? new PlanError(
        `${where}: col(${name})${shown} is neither a group key nor inside an aggregation, so it has no one value per group. Aggregate it (col(${c}).first(), .max(), .sum(), …) or add it to the keys: groupBy(..., ${c}).`,
      )
    : new PlanError(
        `${where}: col(${name})${shown} is one value per row, but this select() aggregates the whole table into one row. Aggregate it too (col(${c}).first(), .max(), .sum(), …), or group by it: df.groupBy(${c}).agg(...).`,
      );
}
