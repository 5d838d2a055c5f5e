import { columnsOf, type ExprNode } from "../expr/ast.js";
import { filterNode, refresh } from "../plan/build.js";
import { scanSource } from "../plan/nodes/source.js";
import { type PlanNode, withInputs } from "../plan/nodes.js";
import type { Rule } from "./driver.js";
import {
  and,
  andAll,
  callsUdf,
  conjunctKey,
  conjuncts,
  readsOnly,
  substitute,
} from "./predicates.js";
import { pushFilterIntoJoin } from "./push-filter-join.js";

type FilterNode = Extract<PlanNode, { kind: "filter" }>;

/**
 * Moves a filter below the node under it, conjunct by conjunct, as far as each may go: below
 * projections (substituting the projected expressions), UDFs whose output it does not read
 * (so the UDF never sees the rows that are dropped), sorts without a limit, re-chunking,
 * explode (not reading the exploded column), distinct (reading only the distinct columns),
 * windows (reading only partition keys),
 * aggregates (reading only group keys), into every input of a concat and into the sides of a
 * join its kind allows. Adjacent filters merge; scans that can skip data by statistics get the
 * predicate too. Never below a limit, tail, sample or row numbering: that would change which
 * rows they keep or how they number them.
 */
export const pushDownFilter: Rule = {
  name: "pushDownFilter",
  apply(node) {
    if (node.kind !== "filter") return undefined;
    const x = node.input;
    switch (x.kind) {
      case "filter":
        return filterNode(x.input, and(x.predicate, node.predicate));
      case "source":
        return pushIntoScan(node, x);
      case "join":
        return pushFilterIntoJoin(node.predicate, x);
      case "concat":
        return refresh(
          withInputs(
            x,
            x.inputs.map((i) => filterNode(i, node.predicate)),
          ),
        );
      default:
        return pushBelow(node, x);
    }
  },
};

/** Through a one-input node: each conjunct that may cross goes below, rewritten for it. */
function pushBelow(f: FilterNode, x: PlanNode): PlanNode | undefined {
  const pushed: ExprNode[] = [];
  const kept: ExprNode[] = [];
  for (const c of conjuncts(f.predicate)) {
    const below = crossing(x, c);
    (below ? pushed : kept).push(below ?? c);
  }
  const predicate = andAll(pushed);
  if (!predicate || x.kind === "source" || x.kind === "join" || x.kind === "concat")
    return undefined;
  const moved = refresh(withInputs(x, [filterNode(x.input, predicate)]));
  const rest = andAll(kept);
  return rest ? filterNode(moved, rest) : moved;
}

/** The conjunct `c` (a filter over `x`) as it reads below `x`, or undefined when it stays. */
function crossing(x: PlanNode, c: ExprNode): ExprNode | undefined {
  switch (x.kind) {
    case "project": {
      const byName = new Map(x.exprs.map((e) => [e.name, e.expr]));
      const below = substitute(c, (n) => byName.get(n));
      return callsUdf(below) ? undefined : below;
    }
    case "udfProject":
      return columnsOf(c).has(x.name) ? undefined : c;
    case "sort":
      return x.limit === undefined ? c : undefined;
    case "intoBatches":
      return c;
    case "explode":
      return columnsOf(c).has(x.column) ? undefined : c;
    case "distinct":
      // Whole groups of equal distinct columns pass or fail together, so the first row of each
      // surviving group is the same either way.
      return readsOnly(c, new Set(x.columns)) ? c : undefined;
    case "window":
      // Whole partitions pass or fail together on a predicate over the partition keys only,
      // so every window of a kept row sees the same rows either way.
      return x.partitionBy.length && readsOnly(c, new Set(x.partitionBy)) ? c : undefined;
    case "aggregate": {
      // A global aggregate yields one row even from no input, so nothing crosses it.
      if (x.keys.length === 0) return undefined;
      const keys = new Map(x.keys.map((k) => [k.name, k.expr]));
      return readsOnly(c, new Set(keys.keys())) ? substitute(c, (n) => keys.get(n)) : undefined;
    }
    default:
      return undefined;
  }
}

/** The scan only skips what statistics rule out; the filter above still checks each row. */
function pushIntoScan(f: FilterNode, x: Extract<PlanNode, { kind: "source" }>) {
  if (!scanSource(x).usesFilter) return undefined;
  const have = x.pushed.filter ? conjuncts(x.pushed.filter) : [];
  const seen = new Set(have.map(conjunctKey));
  const fresh = conjuncts(f.predicate).filter((c) => !seen.has(conjunctKey(c)));
  if (fresh.length === 0) return undefined;
  const filter = andAll([...have, ...fresh]);
  return filterNode({ ...x, pushed: { ...x.pushed, filter } }, f.predicate);
}
