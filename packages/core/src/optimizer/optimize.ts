import type { PlanNode } from "../plan/nodes.js";
import { fuseProjections } from "./fuse-projections.js";
import { pruneColumns } from "./prune-columns.js";
import { pushDownFilter } from "./push-down-filter.js";
import { pushDownLimit } from "./push-down-limit.js";
import { splitUdfs } from "./split-udfs.js";

/** The rules in the order they run; each is a pure function plan -> plan. */
export const RULES: readonly { name: string; apply: (plan: PlanNode) => PlanNode }[] = [
  { name: "splitUdfs", apply: splitUdfs },
  { name: "pushDownFilter", apply: pushDownFilter },
  { name: "pushDownLimit", apply: pushDownLimit },
  // Pruning first drops pass-through outputs nobody reads, which would otherwise count as
  // extra uses and keep fuseProjections from inlining (withColumn("x").withColumn("y", x + 1)).
  { name: "pruneColumns", apply: pruneColumns },
  { name: "fuseProjections", apply: fuseProjections },
];

export function optimize(plan: PlanNode): PlanNode {
  let p = plan;
  for (const rule of RULES) p = rule.apply(p);
  return p;
}
