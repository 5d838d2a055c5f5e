import { columnsOf } from "../expr/ast.js";
import { refresh } from "../plan/build.js";
import { type PlanNode, withInputs } from "../plan/nodes.js";

/**
 * Column pruning: works out which columns each node's consumer needs and drops the rest as
 * early as possible — projections lose unused outputs, UDFs whose output nobody reads are
 * removed, and scans read only the needed columns.
 */
export function pruneColumns(plan: PlanNode): PlanNode {
  return prune(plan, new Set(plan.schema.fields.map((f) => f.name)));
}

function prune(node: PlanNode, required: Set<string>): PlanNode {
  switch (node.kind) {
    case "source": {
      const names = node.source.schema.fields.map((f) => f.name).filter((n) => required.has(n));
      if (names.length === node.source.schema.fields.length && !node.pushed.columns) return node;
      return refresh({ ...node, pushed: { ...node.pushed, columns: names } });
    }
    case "project": {
      const exprs = node.exprs.filter((e) => required.has(e.name));
      const need = new Set<string>();
      for (const e of exprs) columnsOf(e.expr, need);
      return refresh({ ...node, exprs, input: prune(node.input, need) });
    }
    case "udfProject": {
      if (!required.has(node.name)) return prune(node.input, required);
      const need = new Set(required);
      need.delete(node.name);
      columnsOf(node.udf, need);
      return refresh({ ...node, input: prune(node.input, need) });
    }
    case "filter": {
      const need = columnsOf(node.predicate, new Set(required));
      return refresh({ ...node, input: prune(node.input, need) });
    }
    case "sort": {
      const need = new Set(required);
      for (const k of node.keys) columnsOf(k.expr, need);
      return refresh({ ...node, input: prune(node.input, need) });
    }
    case "limit":
    case "intoBatches":
      return refresh({ ...node, input: prune(node.input, required) });
    case "aggregate": {
      const need = new Set<string>();
      for (const k of node.keys) columnsOf(k.expr, need);
      for (const a of node.aggs) columnsOf(a.agg, need);
      return { ...node, input: prune(node.input, need) };
    }
    default: {
      // Joins, explode, distinct and concat keep their inputs whole (their schemas depend
      // on every input column); pruning continues inside each input.
      const kids =
        node.kind === "join"
          ? [node.left, node.right]
          : node.kind === "concat"
            ? node.inputs
            : [node.input];
      return withInputs(
        node,
        kids.map((k) => prune(k, new Set(k.schema.fields.map((f) => f.name)))),
      );
    }
  }
}
