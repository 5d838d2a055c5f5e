import { Schema } from "apache-arrow";
import { columnsOf } from "../expr/ast.js";
import { passThrough, projectNode, refresh } from "../plan/build.js";
import { type PlanNode, withInputs } from "../plan/nodes.js";
import { type JoinNode, joinColumns } from "./join-columns.js";

/**
 * Rewrites `node` so that it outputs fewer of its columns, keeping at least those in
 * `needed` (under the same names, in the same relative order); undefined when it cannot
 * drop any. Nodes that compute columns drop the unread ones (a projection's outputs, an
 * aggregate's aggregations, a UDF nobody reads, a scan's columns); nodes that pass columns
 * through get a projection below them that keeps what they pass on plus what they read
 * themselves, and that projection is narrowed in turn.
 */
export function narrow(node: PlanNode, needed: ReadonlySet<string>): PlanNode | undefined {
  const names = node.schema.fields.map((f) => f.name);
  if (names.every((n) => needed.has(n))) return undefined;
  switch (node.kind) {
    case "source": {
      const columns = names.filter((n) => needed.has(n));
      return refresh({ ...node, pushed: { ...node.pushed, columns } });
    }
    case "project":
      return projectNode(
        node.input,
        node.exprs.filter((e) => needed.has(e.name)),
      );
    case "udfProject": {
      if (!needed.has(node.name)) return node.input;
      const need = new Set(needed);
      need.delete(node.name);
      return below(node, columnsOf(node.udf, need));
    }
    case "filter":
      return below(node, columnsOf(node.predicate, new Set(needed)));
    case "sort": {
      const need = new Set(needed);
      for (const k of node.keys) columnsOf(k.expr, need);
      return below(node, need);
    }
    // Tail and sample pick rows by position only, whatever their columns.
    case "limit":
    case "intoBatches":
    case "tail":
    case "sample":
      return below(node, needed);
    case "rowIndex": {
      // Unread, the numbering is dropped (the rows it numbers are the input's own).
      if (!needed.has(node.name)) return node.input;
      const need = new Set(needed);
      need.delete(node.name);
      return below(node, need);
    }
    // Explode still multiplies rows by its column's lengths, and distinct still compares its
    // columns, when the consumer reads neither.
    case "explode":
      return below(node, new Set([...needed, node.column]));
    case "distinct":
      return below(node, new Set([...needed, ...node.columns]));
    case "aggregate": {
      const aggs = node.aggs.filter((a) => needed.has(a.name));
      // A global aggregate must still yield its one row.
      if (aggs.length === 0 && node.keys.length === 0) aggs.push(node.aggs[0]!);
      if (aggs.length === node.aggs.length) return undefined;
      const keep = new Set([...node.keys.map((k) => k.name), ...aggs.map((a) => a.name)]);
      return { ...node, aggs, schema: keepFields(node.schema, keep) };
    }
    case "window": {
      // Unread functions go; the node keeps passing on what is read and reading its keys.
      const fns = node.fns.filter((f) => needed.has(f.name));
      const need = new Set([...needed, ...node.partitionBy, ...node.orderBy.map((k) => k.name)]);
      for (const f of fns) columnsOf(f.fn, need);
      if (fns.length === 0)
        return passThrough(
          node.input,
          names.filter((n) => needed.has(n)),
        );
      const dropped = new Set(node.fns.filter((f) => !needed.has(f.name)).map((f) => f.name));
      const next = dropped.size
        ? {
            ...node,
            fns,
            schema: new Schema(node.schema.fields.filter((f) => !dropped.has(f.name))),
          }
        : node;
      return below(next, need) ?? (next === node ? undefined : next);
    }
    case "join":
      return narrowJoin(node, needed);
    case "concat": {
      // Every input keeps exactly the same names, so the schemas stay equal.
      const keep = names.filter((n) => needed.has(n));
      const inputs = node.inputs.map((i) => select(i, keep));
      return { ...node, inputs, schema: keepFields(node.schema, new Set(keep)) };
    }
  }
}

/** `node` over a projection of its input to `need`, if that drops a column. */
function below(
  node: Exclude<PlanNode, { kind: "source" | "join" | "concat" }>,
  need: ReadonlySet<string>,
) {
  const input = node.input;
  const keep = input.schema.fields.map((f) => f.name).filter((n) => need.has(n));
  if (keep.length === input.schema.fields.length) return undefined;
  const next = withInputs(node, [passThrough(input, keep)]);
  // Explode and distinct output their input's columns (explode retyped); keep those fields.
  return next.kind === "explode" || next.kind === "distinct"
    ? { ...next, schema: keepFields(next.schema, new Set(keep)) }
    : refresh(next);
}

/** `node` with exactly the columns `keep`, in its own order. */
function select(node: PlanNode, keep: readonly string[]): PlanNode {
  const names = node.schema.fields.map((f) => f.name);
  if (names.length === keep.length) return node;
  const set = new Set(keep);
  return passThrough(
    node,
    names.filter((n) => set.has(n)),
  );
}

const keepFields = (schema: Schema, keep: ReadonlySet<string>) =>
  new Schema(schema.fields.filter((f) => keep.has(f.name)));

/**
 * Each side keeps its join keys and the columns read above. A right column renamed with the
 * suffix keeps the column it clashed with, so that every name stays what it was.
 */
function narrowJoin(join: JoinNode, needed: ReadonlySet<string>): PlanNode | undefined {
  const cols = joinColumns(join);
  const needL = new Set(join.leftOn);
  for (const n of cols.left) if (needed.has(n)) needL.add(n);
  const needR = new Set(join.rightOn);
  for (const c of cols.right) if (needed.has(c.out)) needR.add(c.name);
  const byOut = new Map(cols.right.map((c) => [c.out, c.name]));
  for (let grew = true; grew; ) {
    grew = false;
    for (const c of cols.right) {
      if (!needR.has(c.name) || c.out === c.name) continue;
      const other = cols.left.includes(c.name) ? undefined : byOut.get(c.name);
      if (other === undefined) needL.add(c.name);
      else if (!needR.has(other)) {
        needR.add(other);
        grew = true;
      }
    }
  }
  const left = select(
    join.left,
    cols.left.filter((n) => needL.has(n)),
  );
  const rightNames = join.right.schema.fields.map((f) => f.name);
  const right = select(
    join.right,
    rightNames.filter((n) => needR.has(n)),
  );
  if (left === join.left && right === join.right) return undefined;
  const keep = new Set(cols.left.filter((n) => needL.has(n)));
  for (const c of cols.right) if (needR.has(c.name)) keep.add(c.out);
  return { ...join, left, right, schema: keepFields(join.schema, keep) };
}
