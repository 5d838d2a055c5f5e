import { type ExprNode, some, stripAlias, transform } from "../expr/ast.js";
import { filterNode, passThrough, projectNode, udfProjectNode } from "../plan/build.js";
import { type PlanNode, transformPlan } from "../plan/nodes.js";

const hasUdf = (e: ExprNode) => some(e, (n) => n.kind === "udf");

/**
 * Moves every UDF call out of projections and filters into its own UdfProject node (one UDF
 * each), so each UDF gets an operator that owns its concurrency. Nested calls become a chain.
 */
export function splitUdfs(plan: PlanNode): PlanNode {
  let counter = 0;
  return transformPlan(plan, (node) => {
    if (node.kind === "project" && node.exprs.some((e) => hasUdf(e.expr))) {
      let input = node.input;
      const exprs = node.exprs.map(({ name, expr }) => {
        const bare = stripAlias(expr);
        const rewritten = transform(expr, (n) => {
          if (n.kind !== "udf") return n;
          // A bare UDF projection computes straight into its output name.
          const tmp =
            n === bare || (bare.kind === "udf" && n.udf === bare.udf && !hasUdfArgs(n))
              ? name
              : `__udf${counter++}`;
          input = udfProjectNode(input, tmp, n);
          return { kind: "col", name: tmp };
        });
        return { name, expr: rewritten };
      });
      return projectNode(input, exprs);
    }
    if (node.kind === "filter" && hasUdf(node.predicate)) {
      let input = node.input;
      const predicate = transform(node.predicate, (n) => {
        if (n.kind !== "udf") return n;
        const tmp = `__udf${counter++}`;
        input = udfProjectNode(input, tmp, n);
        return { kind: "col", name: tmp };
      });
      return passThrough(
        filterNode(input, predicate),
        node.schema.fields.map((f) => f.name),
      );
    }
    return node;
  });
}

const hasUdfArgs = (n: Extract<ExprNode, { kind: "udf" }>) => n.args.some(hasUdf);
