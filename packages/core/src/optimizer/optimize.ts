import { some } from "../expr/ast.js";
import type { PlanNode } from "../plan/nodes.js";
import { deriveJoinFilters } from "./derive-join-filters.js";
import { type Batch, type Rule, runBatches } from "./driver.js";
import { factorDisjunctions } from "./factor-disjunctions.js";
import { fuseProjections } from "./fuse-projections.js";
import { pruneColumns } from "./prune-columns.js";
import { pushDownFilter } from "./push-down-filter.js";
import { pushDownLimit } from "./push-down-limit.js";
import { pushGroupKeys } from "./push-group-keys.js";
import { removeIdentityProjection } from "./remove-identity-projection.js";
import { splitUdfs } from "./split-udfs.js";

const callsUdf = (node: PlanNode): boolean =>
  (node.kind === "project" && node.exprs.some((e) => some(e.expr, (n) => n.kind === "udf"))) ||
  (node.kind === "filter" && some(node.predicate, (n) => n.kind === "udf"));

/** splitUdfs as a rule of the node that calls UDFs (its inputs are split already). */
const splitUdfsRule: Rule = {
  name: "splitUdfs",
  apply: (node) => (callsUdf(node) ? splitUdfs(node) : undefined),
};

/**
 * The optimizer's batches, in order. What OR-ed filters over joins imply about each side is
 * added before pushdown, which then takes it into the sides; tests every branch of an OR
shares are then taken out of it, so they run once and push down alone. Filters settle before pruning starts: pruning puts
 * projections below filters, which filter pushdown would move back above them. Limits move
 * once the projections are final, and fusing comes after them so that pass-through columns
 * pruning removed no longer count as extra uses. Last, a group-by on one column tells the
 * scan below it its key.
 */
export const BATCHES: readonly Batch[] = [
  { name: "split UDFs", strategy: "once", rules: [splitUdfsRule] },
  { name: "derive join filters", strategy: "once", rules: [deriveJoinFilters] },
  { name: "factor disjunctions", strategy: "once", rules: [factorDisjunctions] },
  {
    name: "push down filters",
    strategy: "fixpoint",
    rules: [pushDownFilter, factorDisjunctions],
  },
  {
    name: "prune columns",
    strategy: "fixpoint",
    rules: [pruneColumns, removeIdentityProjection],
  },
  { name: "push down limits", strategy: "fixpoint", rules: [pushDownLimit] },
  {
    name: "fuse projections",
    strategy: "fixpoint",
    rules: [fuseProjections, removeIdentityProjection],
  },
  { name: "push group keys", strategy: "once", rules: [pushGroupKeys] },
];

export function optimize(plan: PlanNode): PlanNode {
  return runBatches(plan, BATCHES);
}
