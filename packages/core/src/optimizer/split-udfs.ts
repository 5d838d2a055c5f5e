import {
  children,
  columnsOf,
  type ExprNode,
  some,
  stripAlias,
  type UdfNode,
  withChildren,
} from "../expr/ast.js";
import { filterNode, passThrough, projectNode, udfProjectNode } from "../plan/build.js";
import { type NamedExpr, type PlanNode, planInputs, transformPlan } from "../plan/nodes.js";

const hasUdf = (e: ExprNode) => some(e, (n) => n.kind === "udf");

/**
 * Moves every UDF call out of projections and filters into its own UdfProject node (one UDF
 * each), so each UDF gets an operator that owns its concurrency. Nested calls become a chain.
 *
 * The UdfProjects of one projection run one after another, but every expression of the
 * projection must still read the columns as they were below it. So a UDF result gets a fresh
 * temporary name, unless it is a projection's whole expression and no other expression of that
 * projection reads the output name: only then can it compute straight into its output column.
 */
export function splitUdfs(plan: PlanNode): PlanNode {
  const names = new FreshNames(plan);
  return transformPlan(plan, (node) => {
    if (node.kind === "project" && node.exprs.some((e) => hasUdf(e.expr))) {
      return splitProject(node, names);
    }
    if (node.kind === "filter" && hasUdf(node.predicate)) {
      let input = node.input;
      const predicate = extractUdfs(node.predicate, (udf) => {
        const tmp = names.next(input);
        input = udfProjectNode(input, tmp, udf);
        return tmp;
      });
      return passThrough(
        filterNode(input, predicate),
        node.schema.fields.map((f) => f.name),
      );
    }
    return node;
  });
}

function splitProject(node: Extract<PlanNode, { kind: "project" }>, names: FreshNames): PlanNode {
  let input = node.input;
  const exprs = node.exprs.map(({ name, expr }, i): NamedExpr => {
    const bare = stripAlias(expr);
    const direct = bare.kind === "udf" && !readByOthers(node.exprs, i, name);
    const rewritten = extractUdfs(expr, (udf, isRoot) => {
      const out = direct && isRoot ? name : names.next(input);
      input = udfProjectNode(input, out, udf);
      return out;
    });
    return { name, expr: rewritten };
  });
  return projectNode(input, exprs);
}

/** Whether an expression other than the i-th one of a projection reads column `name`. */
function readByOthers(exprs: readonly NamedExpr[], i: number, name: string): boolean {
  return exprs.some((e, j) => j !== i && columnsOf(e.expr).has(name));
}

/**
 * Replaces each UDF call (innermost first, so an argument's UDF is placed before its caller)
 * by the column that `place` computes it into. `isRoot`: the call is the whole expression.
 */
function extractUdfs(expr: ExprNode, place: (udf: UdfNode, isRoot: boolean) => string): ExprNode {
  const walk = (n: ExprNode, isRoot: boolean): ExprNode => {
    if (n.kind === "alias") return { ...n, arg: walk(n.arg, isRoot) };
    const kids = children(n);
    const next = kids.length
      ? withChildren(
          n,
          kids.map((k) => walk(k, false)),
        )
      : n;
    return next.kind === "udf" ? { kind: "col", name: place(next, isRoot) } : next;
  };
  return walk(expr, true);
}

/**
 * Temporary column names that clash with no column anywhere in the plan (a user may well have
 * a column called "__udf0").
 */
class FreshNames {
  private readonly taken = new Set<string>();
  private counter = 0;
  constructor(plan: PlanNode) {
    const visit = (p: PlanNode): void => {
      for (const f of p.schema.fields) this.taken.add(f.name);
      for (const i of planInputs(p)) visit(i);
    };
    visit(plan);
  }
  next(input: PlanNode): string {
    let name: string;
    do name = `__udf${this.counter++}`;
    while (this.taken.has(name) || input.schema.fields.some((f) => f.name === name));
    this.taken.add(name);
    return name;
  }
}
