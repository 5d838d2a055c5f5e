import type { NodeKindDef } from "./node-kind.js";
import { type AggregateNode, aggregateKind } from "./nodes/aggregate.js";
import { type ConcatNode, concatKind } from "./nodes/concat.js";
import { type DistinctNode, distinctKind } from "./nodes/distinct.js";
import { type ExplodeNode, explodeKind } from "./nodes/explode.js";
import { type FilterNode, filterKind } from "./nodes/filter.js";
import { type IntoBatchesNode, intoBatchesKind } from "./nodes/into-batches.js";
import { type JoinNode, joinKind } from "./nodes/join.js";
import { type LimitNode, limitKind } from "./nodes/limit.js";
import { type ProjectNode, projectKind } from "./nodes/project.js";
import { type RowIndexNode, rowIndexKind } from "./nodes/row-index.js";
import { type SampleNode, sampleKind } from "./nodes/sample.js";
import { type SinkNode, sinkKind } from "./nodes/sink.js";
import { type SortNode, sortKind } from "./nodes/sort.js";
import { type SourceNode, sourceKind } from "./nodes/source.js";
import { type TailNode, tailKind } from "./nodes/tail.js";
import { type UdfProjectNode, udfProjectKind } from "./nodes/udf-project.js";
import { type WindowNode, windowKind } from "./nodes/window.js";

export type { AggregateNode } from "./nodes/aggregate.js";
export type { ConcatNode } from "./nodes/concat.js";
export type { DistinctNode } from "./nodes/distinct.js";
export type { ExplodeNode } from "./nodes/explode.js";
export type { FilterNode } from "./nodes/filter.js";
export type { IntoBatchesNode } from "./nodes/into-batches.js";
export type { JoinHow, JoinNode } from "./nodes/join.js";
export type { LimitNode } from "./nodes/limit.js";
export type { NamedExpr, ProjectNode } from "./nodes/project.js";
export type { RowIndexNode } from "./nodes/row-index.js";
export type { SampleNode } from "./nodes/sample.js";
export type { SinkNode, SinkTarget } from "./nodes/sink.js";
export type { SortKey, SortNode } from "./nodes/sort.js";
export type { SourceNode } from "./nodes/source.js";
export type { TailNode } from "./nodes/tail.js";
export type { UdfProjectNode } from "./nodes/udf-project.js";
export type { WindowFnDef, WindowNode, WindowOrder } from "./nodes/window.js";

/**
 * The logical plan: a tree of nodes, each carrying its resolved output schema. Nodes are
 * immutable plain data; the DataFrame only ever adds a node on top, and optimizer rules build
 * new trees. Each kind's type and behaviour live in plan/nodes/<kind>.ts.
 */
export type PlanNode =
  | SourceNode
  | ProjectNode
  | UdfProjectNode
  | FilterNode
  | LimitNode
  | IntoBatchesNode
  | SortNode
  | AggregateNode
  | JoinNode
  | ExplodeNode
  | DistinctNode
  | ConcatNode
  | TailNode
  | RowIndexNode
  | SampleNode
  | WindowNode
  | SinkNode;

export type PlanKind = PlanNode["kind"];
export type NodeOf<K extends PlanKind> = Extract<PlanNode, { kind: K }>;

/** Every node kind's definition; a kind missing here is a compile error. */
export const NODE_KINDS: { [K in PlanKind]: NodeKindDef<NodeOf<K>> } = {
  source: sourceKind,
  project: projectKind,
  udfProject: udfProjectKind,
  filter: filterKind,
  limit: limitKind,
  intoBatches: intoBatchesKind,
  sort: sortKind,
  aggregate: aggregateKind,
  join: joinKind,
  explode: explodeKind,
  distinct: distinctKind,
  concat: concatKind,
  tail: tailKind,
  rowIndex: rowIndexKind,
  sample: sampleKind,
  window: windowKind,
  sink: sinkKind,
};

/** The definition of a node's kind. */
export const kindOf = <N extends PlanNode>(node: N): NodeKindDef<N> =>
  NODE_KINDS[node.kind] as unknown as NodeKindDef<N>;

export function planInputs(node: PlanNode): PlanNode[] {
  return kindOf(node).inputs(node);
}

export function withInputs(node: PlanNode, inputs: PlanNode[]): PlanNode {
  return kindOf(node).withInputs(node, inputs);
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
