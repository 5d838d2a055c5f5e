import { columnsOf } from "../expr/ast.js";
import { passThrough } from "../plan/build.js";
import { type PlanNode, withInputs } from "../plan/nodes.js";
import type { Rule } from "./driver.js";
import { narrow } from "./narrow.js";

/**
 * Column pruning, started by the nodes that read only some of their input's columns: a
 * projection (the columns its expressions read), an aggregate (its keys and the arguments of
 * its aggregations) and the right side of a semi or anti join (its keys). Such a node narrows
 * its input to those columns (see `narrow`); the driver carries the narrowing down the plan,
 * node by node, until the scans read only the columns something above them uses.
 */
export const pruneColumns: Rule = {
  name: "pruneColumns",
  apply(node) {
    switch (node.kind) {
      case "project": {
        const need = new Set<string>();
        for (const e of node.exprs) columnsOf(e.expr, need);
        return narrowInput(node, node.input, need);
      }
      case "aggregate": {
        const need = new Set<string>();
        for (const k of node.keys) columnsOf(k.expr, need);
        for (const a of node.aggs) columnsOf(a.agg, need);
        return narrowInput(node, node.input, need);
      }
      case "join": {
        if (node.how !== "semi" && node.how !== "anti") return undefined;
        const keys = new Set(node.rightOn);
        const names = node.right.schema.fields.map((f) => f.name);
        if (names.every((n) => keys.has(n))) return undefined;
        const right = passThrough(
          node.right,
          names.filter((n) => keys.has(n)),
        );
        return { ...node, right };
      }
      default:
        return undefined;
    }
  },
};

function narrowInput(node: PlanNode, input: PlanNode, need: ReadonlySet<string>) {
  const next = narrow(input, need);
  return next ? withInputs(node, [next]) : undefined;
}
