// The public surface of @deft/pipeline. Nothing but re-exports.
export { type BranchGate, type BranchNode, type BranchOptions, branch } from "./branch.js";
export { type Cache, DiskCache } from "./cache.js";
export {
  type BranchDecisionEvent,
  CallbackContext,
  type Callbacks,
  type ItemEvent,
  type NodeEvent,
  type NodeSkippedEvent,
  type PipelineEvent,
} from "./callbacks.js";
export { DataFrameEngine, type DataFrameEngineOptions } from "./engines/dataframe.js";
export type { Engine, EngineOptions, Job } from "./engines/engine.js";
export { PoolEngine, type PoolEngineOptions } from "./engines/pool.js";
export { SequentialEngine } from "./engines/sequential.js";
export { NodeError } from "./errors.js";
export type { ExecPlan, Graph } from "./graph.js";
export type { MapMode } from "./mapping.js";
export {
  type ClassNode,
  type ClassNodeOptions,
  type DualImplementations,
  type FunctionNode,
  type ModuleClassRef,
  type NestedPipelineNode,
  type Node,
  type NodeOptions,
  node,
  type StatefulClass,
} from "./node.js";
export {
  type AsNodeOptions,
  type CallableNestedNode,
  type MapOptions,
  Pipeline,
  type PipelineOptions,
  type RunOptions,
  type Values,
} from "./pipeline.js";
export type { ProgressOptions } from "./progress.js";
