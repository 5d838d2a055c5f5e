import type { PlanNode } from "../plan/nodes.js";

export type JoinNode = Extract<PlanNode, { kind: "join" }>;

/**
 * Where a join's output columns come from. The output is the left columns under their own
 * names, then (except for semi and anti joins) the right non-key columns, some renamed with
 * the suffix where they clash; read from the join's schema, so this follows whatever naming
 * the join was built with.
 */
export interface JoinColumns {
  left: string[];
  /** Right non-key columns in input order, with their output names. */
  right: { name: string; out: string }[];
}

export function joinColumns(join: JoinNode): JoinColumns {
  const left = join.left.schema.fields.map((f) => f.name);
  if (join.how === "semi" || join.how === "anti") return { left, right: [] };
  const outs = join.schema.fields.slice(left.length).map((f) => f.name);
  const names = join.right.schema.fields
    .map((f) => f.name)
    .filter((n) => !join.rightOn.includes(n));
  return { left, right: names.map((name, i) => ({ name, out: outs[i]! })) };
}
