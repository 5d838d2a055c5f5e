// Window expressions in withColumn/withColumns, select and filter. The plan is rewritten when
// it is built: every distinct window (by structure) becomes one output of a Window node, the
// windows sharing partition and order keys one node; keys and arguments that are not plain
// columns are computed by a projection below; the expressions above read the windows' outputs
// as columns. `withColumn("r", rank().over({ orderBy: "x" }))` is one Window node and, when
// nothing else changes, no projection.
import { children, type ExprNode, stripAlias, withChildren } from "../expr/ast.js";
import { exprId } from "../kernels/expr-id.js";
import { isWindow } from "../types/typing.js";
import { filterNode, passThrough, projectNode } from "./build.js";
import type { NamedExpr } from "./nodes/project.js";
import { type WindowFnDef, type WindowOrder, windowNode } from "./nodes/window.js";
import type { PlanNode } from "./nodes.js";

const CUM = { cumSum: "sum", cumCount: "count", cumMin: "min", cumMax: "max" } as const;
const FRAMED = new Set(["firstValue", "lastValue", "nthValue"]);

interface Spec {
  partitionBy: string[];
  orderBy: WindowOrder[];
  fns: WindowFnDef[];
}

/** Projections of `input` under `outputs` (names and expressions that may hold windows). */
export function windowProjectPlan(input: PlanNode, outputs: readonly NamedExpr[]): PlanNode {
  const prefer = new Map<number, string>();
  const inputNames = new Set(input.schema.fields.map((f) => f.name));
  for (const o of outputs) {
    const e = stripAlias(o.expr);
    if (isWindow(e) && !inputNames.has(o.name) && !prefer.has(exprId(e))) {
      prefer.set(exprId(e), o.name);
    }
  }
  const { plan, rewrite } = computeWindows(
    input,
    outputs.map((o) => o.expr),
    prefer,
  );
  return projectNode(
    plan,
    outputs.map((o, i) => ({ name: o.name, expr: rewrite[i]! })),
  );
}

/** `filter(predicate)` where the predicate reads windows: the rows kept, with their columns. */
export function windowFilterPlan(input: PlanNode, predicate: ExprNode): PlanNode {
  const { plan, rewrite } = computeWindows(input, [predicate], new Map());
  return passThrough(
    filterNode(plan, rewrite[0]!),
    input.schema.fields.map((f) => f.name),
  );
}

/** The windows of `exprs` computed over `input`, and the expressions reading their columns. */
function computeWindows(
  input: PlanNode,
  exprs: readonly ExprNode[],
  prefer: ReadonlyMap<number, string>,
): { plan: PlanNode; rewrite: ExprNode[] } {
  const taken = new Set(input.schema.fields.map((f) => f.name));
  for (const name of prefer.values()) taken.add(name);
  let next = 0;
  const hidden = (stem: string): string => {
    let name = `_${stem}${next++}`;
    while (taken.has(name)) name = `_${stem}${next++}`;
    taken.add(name);
    return name;
  };
  // Keys and arguments that are expressions become columns of a projection below.
  const computed: NamedExpr[] = [];
  const computedById = new Map<number, string>();
  const column = (e: ExprNode): string => {
    const plain = stripAlias(e);
    if (plain.kind === "col") return plain.name;
    const id = exprId(plain);
    let name = computedById.get(id);
    if (name === undefined) {
      name = hidden("wkey");
      computedById.set(id, name);
      computed.push({ name, expr: plain });
    }
    return name;
  };
  const specs = new Map<string, Spec>();
  const outName = new Map<number, string>();
  const add = (w: ExprNode): void => {
    const id = exprId(w);
    if (outName.has(id)) return;
    const name = prefer.get(id) ?? hidden("win");
    outName.set(id, name);
    const over = w.kind === "over" ? w : null;
    let fn = over ? over.arg : w;
    let frame = over?.frame ?? null;
    const orderBy = (over?.orderBy ?? []).map((k) => ({
      name: column(k.expr),
      descending: k.descending,
      nullsFirst: k.nullsFirst,
    }));
    if (fn.kind === "winFn" && fn.fn in CUM) {
      fn = { kind: "agg", fn: CUM[fn.fn as keyof typeof CUM], arg: fn.arg };
      frame = { unit: "rows", start: "unbounded", end: 0 };
    } else if (fn.kind === "agg" || (fn.kind === "winFn" && FRAMED.has(fn.fn))) {
      frame ??= orderBy.length
        ? { unit: "range", start: "unbounded", end: 0 }
        : { unit: "rows", start: "unbounded", end: "unbounded" };
    } else frame = null;
    if ((fn.kind === "agg" || fn.kind === "winFn") && fn.arg) {
      fn = { ...fn, arg: { kind: "col", name: column(fn.arg) } };
    }
    const partitionBy = (over?.partitionBy ?? []).map(column);
    const key = JSON.stringify([partitionBy, orderBy]);
    let spec = specs.get(key);
    if (!spec) {
      spec = { partitionBy, orderBy, fns: [] };
      specs.set(key, spec);
    }
    spec.fns.push({ name, fn, frame });
  };
  const collect = (n: ExprNode): void => {
    if (isWindow(n)) add(n);
    else for (const k of children(n)) collect(k);
  };
  for (const e of exprs) collect(e);

  const names = input.schema.fields.map((f) => f.name);
  let plan: PlanNode = computed.length
    ? projectNode(input, [...names.map((name) => ({ name, expr: col(name) })), ...computed])
    : input;
  for (const s of specs.values()) plan = windowNode(plan, s.partitionBy, s.orderBy, s.fns);
  const rewrite = (n: ExprNode): ExprNode => {
    if (isWindow(n)) return col(outName.get(exprId(n))!);
    const kids = children(n);
    return kids.length ? withChildren(n, kids.map(rewrite)) : n;
  };
  return { plan, rewrite: exprs.map(rewrite) };
}

const col = (name: string): ExprNode => ({ kind: "col", name });
