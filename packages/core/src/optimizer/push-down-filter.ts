import { columnsOf, type ExprNode, transform } from "../expr/ast.js";
import { filterNode, refresh } from "../plan/build.js";
import { type PlanNode, planInputs, withInputs } from "../plan/nodes.js";

/**
 * Moves filters as close to the data as they can go: below projections (substituting the
 * projected expressions), below UDFs that do not produce a column the filter reads (so the
 * UDF is never called for rows that are dropped), below sorts and re-chunking, merging
 * adjacent filters, and into scans that can skip data with statistics.
 */
export function pushDownFilter(plan: PlanNode): PlanNode {
  if (plan.kind === "filter") return pushInto(plan.predicate, pushDownFilter(plan.input));
  const inputs = planInputs(plan);
  return inputs.length ? withInputs(plan, inputs.map(pushDownFilter)) : plan;
}

function and(a: ExprNode, b: ExprNode): ExprNode {
  return { kind: "binary", op: "and", left: a, right: b };
}

function pushInto(pred: ExprNode, node: PlanNode): PlanNode {
  switch (node.kind) {
    case "filter":
      return pushInto(and(node.predicate, pred), node.input);
    case "project": {
      const byName = new Map(node.exprs.map((e) => [e.name, e.expr]));
      const substituted = transform(pred, (n) =>
        n.kind === "col" ? (byName.get(n.name) ?? n) : n,
      );
      return refresh({ ...node, input: pushInto(substituted, node.input) });
    }
    case "udfProject":
      if (columnsOf(pred).has(node.name)) return filterNode(node, pred);
      return refresh({ ...node, input: pushInto(pred, node.input) });
    case "sort":
      if (node.limit !== undefined) return filterNode(node, pred);
      return refresh({ ...node, input: pushInto(pred, node.input) });
    case "intoBatches":
      return refresh({ ...node, input: pushInto(pred, node.input) });
    case "source":
      if (!node.source.usesFilter) return filterNode(node, pred);
      // The scan only skips what statistics rule out; the filter above still checks each row.
      return filterNode(
        {
          ...node,
          pushed: {
            ...node.pushed,
            filter: node.pushed.filter ? and(node.pushed.filter, pred) : pred,
          },
        },
        pred,
      );
    default:
      return filterNode(node, pred);
  }
}
