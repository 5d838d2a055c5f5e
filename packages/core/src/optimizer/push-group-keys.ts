import type { ExprNode } from "../expr/ast.js";
import type { PlanNode } from "../plan/nodes.js";
import type { Rule } from "./driver.js";

/**
 * Tells the scan under a group-by on one column which column that is (`groupKeys`), through
 * filters and projections that pass the column on (renamed or not): a Parquet scan then keeps
 * that column's dictionary codes, and the group-by maps each dictionary entry to its group
 * once instead of hashing every row's value. Other scans ignore the hint.
 */
export const pushGroupKeys: Rule = {
  name: "pushGroupKeys",
  apply(node) {
    if (node.kind !== "aggregate" || node.keys.length !== 1) return undefined;
    const key = columnOf(node.keys[0]!.expr);
    if (key === undefined) return undefined;
    const input = hint(key, node.input);
    return input ? { ...node, input } : undefined;
  },
};

/** The column an expression merely names (through aliases), if it is one. */
function columnOf(e: ExprNode): string | undefined {
  if (e.kind === "alias") return columnOf(e.arg);
  return e.kind === "col" ? e.name : undefined;
}

/** `node` with the scan below it told that `name` is a group key (undefined: no change). */
function hint(name: string, node: PlanNode): PlanNode | undefined {
  switch (node.kind) {
    case "filter": {
      const input = hint(name, node.input);
      return input ? { ...node, input } : undefined;
    }
    case "project": {
      const out = node.exprs.find((e) => e.name === name);
      const from = out && columnOf(out.expr);
      const input = from === undefined ? undefined : hint(from, node.input);
      return input ? { ...node, input } : undefined;
    }
    case "source":
      if (node.pushed.groupKeys?.includes(name)) return undefined;
      return { ...node, pushed: { ...node.pushed, groupKeys: [name] } };
    default:
      return undefined;
  }
}
