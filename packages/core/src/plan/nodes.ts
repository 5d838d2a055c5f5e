import type { Schema } from "apache-arrow";
import type { AggNode, ExprNode, UdfNode } from "../expr/ast.js";
import type { ScanRequest, ScanSource } from "./source.js";

/** One output column of a projection: its name and the expression that computes it. */
export interface NamedExpr {
  name: string;
  expr: ExprNode;
}

export interface SortKey {
  expr: ExprNode;
  descending: boolean;
  nullsFirst: boolean;
}

/**
 * Join kind: "inner" (matching rows), "left"/"right" (plus the unmatched rows of that side),
 * "outer" (plus both), "semi" (left rows with a match), "anti" (left rows without one).
 */
export type JoinHow = "inner" | "left" | "right" | "outer" | "semi" | "anti";

/**
 * The logical plan: a tree of nodes, each carrying its resolved output schema. Nodes are
 * immutable; the DataFrame only ever adds a node on top, and optimizer rules build new trees.
 */
export type PlanNode =
  | { kind: "source"; schema: Schema; source: ScanSource; pushed: ScanRequest }
  | { kind: "project"; schema: Schema; input: PlanNode; exprs: NamedExpr[] }
  | {
      /** Exactly one UDF: output = pass-through columns (in schema order) + `name`. */
      kind: "udfProject";
      schema: Schema;
      input: PlanNode;
      name: string;
      udf: UdfNode;
    }
  | { kind: "filter"; schema: Schema; input: PlanNode; predicate: ExprNode }
  | { kind: "limit"; schema: Schema; input: PlanNode; n: number; offset: number }
  | { kind: "intoBatches"; schema: Schema; input: PlanNode; rows: number }
  | { kind: "sort"; schema: Schema; input: PlanNode; keys: SortKey[]; limit?: number }
  | {
      kind: "aggregate";
      schema: Schema;
      input: PlanNode;
      keys: NamedExpr[];
      aggs: { name: string; agg: AggNode }[];
    }
  | {
      kind: "join";
      schema: Schema;
      left: PlanNode;
      right: PlanNode;
      leftOn: string[];
      rightOn: string[];
      how: JoinHow;
      suffix: string;
    }
  | { kind: "explode"; schema: Schema; input: PlanNode; column: string }
  | { kind: "distinct"; schema: Schema; input: PlanNode; columns: string[] }
  | { kind: "concat"; schema: Schema; inputs: PlanNode[] };

export type PlanKind = PlanNode["kind"];

export function planInputs(node: PlanNode): PlanNode[] {
  switch (node.kind) {
    case "source":
      return [];
    case "join":
      return [node.left, node.right];
    case "concat":
      return node.inputs;
    default:
      return [node.input];
  }
}

export function withInputs(node: PlanNode, inputs: PlanNode[]): PlanNode {
  switch (node.kind) {
    case "source":
      return node;
    case "join":
      return { ...node, left: inputs[0]!, right: inputs[1]! };
    case "concat":
      return { ...node, inputs };
    default:
      return { ...node, input: inputs[0]! } as PlanNode;
  }
}

/** Bottom-up rewrite of a plan tree. */
export function transformPlan(node: PlanNode, fn: (n: PlanNode) => PlanNode): PlanNode {
  const inputs = planInputs(node);
  const next = inputs.length
    ? withInputs(
        node,
        inputs.map((i) => transformPlan(i, fn)),
      )
    : node;
  return fn(next);
}
