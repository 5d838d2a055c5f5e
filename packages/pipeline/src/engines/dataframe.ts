// Compiles the pipeline into DataFrame plans: the items become rows, each node a `withColumn`
// UDF projection run by the core executor (async nodes concurrently on the event loop, sync
// nodes on worker threads when asked, stateful nodes as udf.cls). Nested pipelines and cached
// worker nodes split the plan into stages (dataframe-nested.ts, dataframe-cached.ts); the
// nodes between them run as one frame (dataframe-frame.ts).
import type { DataFrame } from "@deft/core";
import { type Callbacks, emit } from "../callbacks.js";
import type { ExecPlan } from "../graph.js";
import type { FunctionNode, NestedPipelineNode, Node } from "../node.js";
import type { Pipeline, Values } from "../pipeline.js";
import { withProgress } from "../progress.js";
import { activeRows, hasBranches, reportDecisions } from "./branching.js";
import { checkGatedTypes } from "./dataframe-branch.js";
import { cachedStage } from "./dataframe-cached.js";
import { WorkerExprs, workersFor } from "./dataframe-compile.js";
import {
  checkWorkerInputs,
  frameStage,
  type Rows,
  type StageEnv,
  type ValueNode,
} from "./dataframe-frame.js";
import { nestedStage } from "./dataframe-nested.js";
import { type Codec, codecOfValue, declaredReturns } from "./dataframe-values.js";
import { isDual } from "./dual.js";
import { callbackList, type Engine, type EngineOptions, type Job } from "./engine.js";
import { newRunState, Runner, type RunState } from "./runner.js";

export interface DataFrameEngineOptions extends EngineOptions {
  /** Worker threads for sync nodes (and stateful ones) that set no `workers` of their own. */
  workers?: number;
  /** Rows per worker task (the UDF's batchSize) for nodes that run on workers. */
  batchSize?: number;
  /**
   * Called with each frame's DataFrame just before it runs (the items as rows, one UDF column
   * per node or chain): `frame.explain()` shows how the pipeline compiled.
   */
  onFrame?: (frame: DataFrame) => void;
}

/**
 * Runs the items as rows of a @deft/core DataFrame, each node a UDF column: async nodes
 * concurrently, sync and stateful nodes on worker threads when the node or the engine sets
 * `workers`.
 */
export class DataFrameEngine implements Engine {
  /** Always "dataframe". */
  readonly name = "dataframe";
  private readonly options: DataFrameEngineOptions;
  private readonly compiled = new WorkerExprs();

  /** Throws when `workers` or `batchSize` is given and is not an integer >= 1. */
  constructor(options: DataFrameEngineOptions = {}) {
    for (const key of ["workers", "batchSize"] as const) {
      const v = options[key];
      if (v !== undefined && !(Number.isInteger(v) && v >= 1)) {
        throw new Error(`DataFrameEngine: ${key} must be an integer >= 1 (got ${String(v)}).`);
      }
    }
    this.options = options;
  }

  execute(job: Job): Promise<Values[]> {
    return withProgress(this.options.progress, job, callbackList(this.options), (callbacks) =>
      this.runPipeline(
        job.pipeline,
        job.plan,
        job.items,
        callbacks,
        newRunState(),
        job.mapped === true,
      ),
    );
  }

  private runner(callbacks: readonly Callbacks[]): Runner {
    return new Runner({
      cache: this.options.cache,
      callbacks,
      concurrentNodes: false,
      async forEachItem(n, fn) {
        const out = [];
        for (let i = 0; i < n; i++) out.push(await fn(i));
        return out;
      },
    });
  }

  private async runPipeline(
    pipeline: Pipeline,
    plan: ExecPlan,
    items: readonly Values[],
    callbacks: readonly Callbacks[],
    state: RunState,
    batched: boolean,
  ): Promise<Values[]> {
    const t0 = performance.now();
    emit(callbacks, "onPipelineStart", { pipeline: pipeline.name, items: items.length });
    try {
      const results = await this.runItems(pipeline, plan, items, callbacks, state, batched);
      emit(callbacks, "onPipelineEnd", {
        pipeline: pipeline.name,
        items: items.length,
        ms: performance.now() - t0,
      });
      return results;
    } catch (err) {
      const error = err as Error;
      emit(callbacks, "onPipelineEnd", {
        pipeline: pipeline.name,
        items: items.length,
        ms: performance.now() - t0,
        error,
      });
      throw err;
    }
  }

  private async runItems(
    pipeline: Pipeline,
    plan: ExecPlan,
    items: readonly Values[],
    callbacks: readonly Callbacks[],
    state: RunState,
    batched: boolean,
  ): Promise<Values[]> {
    const runner = this.runner(callbacks);
    const codecs = new Map<string, Codec>();
    const results: Values[] = new Array(items.length);
    let first = 0;
    const engineWorkers = this.options.workers ?? 0;
    const valueNodes = plan.nodes.filter((n): n is ValueNode => n.kind !== "pipeline");
    checkWorkerInputs(valueNodes, new Set(Object.keys(items[0] ?? {})), items, engineWorkers);
    if (items.length > 0 && plan.nodes.some((n) => undeclared(n, engineWorkers))) {
      // Types nobody declared come from the first item, run as the sequential engine would.
      // Every node's outputs are kept for that, not only the ones asked for: an intermediate
      // output feeding a later worker node needs its type too.
      const all = { ...plan, outputs: plan.nodes.flatMap((n) => n.outputs) };
      const full = await runner.runItemWithEvents(pipeline, all, items[0]!, 0, state);
      first = 1;
      for (const n of plan.nodes) {
        if (n.kind === "pipeline") continue;
        n.outputs.forEach((o) => {
          const c = codecOfValue(full[o], `Node "${n.name}" output "${o}" (item 0)`);
          if (c) codecs.set(o, c);
        });
      }
      const out: Values = { ...items[0] };
      for (const o of plan.outputs) if (o in full) out[o] = full[o];
      results[0] = out;
    }
    const allRows: Rows = { values: [], items: [] };
    for (let i = first; i < items.length; i++) {
      allRows.values.push({ ...items[i] });
      allRows.items.push(i);
    }
    const t0 = performance.now();
    for (const i of allRows.items)
      emit(callbacks, "onMapItemStart", { pipeline: pipeline.name, item: i });
    const env: StageEnv = {
      pipeline,
      runner,
      state,
      callbacks,
      codecs,
      workers: this.options.workers ?? 0,
      batchSize: this.options.batchSize,
      compiled: this.compiled,
      onFrame: this.options.onFrame,
    };
    const cache = this.options.cache;
    const branching = hasBranches(pipeline);
    if (allRows.items.length > 0) {
      const all = stages(plan.nodes, cache !== undefined, env.workers, batched);
      for (const stage of branching ? oneNodeEach(all) : all) {
        const node = stage.kind === "frame" ? stage.nodes[0]! : stage.node;
        const rows = branching ? activeRows(callbacks, pipeline, node, allRows) : allRows;
        if (rows.items.length === 0) continue;
        if (branching) checkGatedTypes(env, node);
        const runInner = (inner: Pipeline, innerPlan: ExecPlan, flat: Values[]) =>
          this.runPipeline(
            inner,
            innerPlan,
            flat,
            callbacks,
            state,
            batched || (stage.kind === "nested" && stage.node.mapOver.length > 0),
          );
        if (stage.kind === "dual")
          await runner.runBatch(pipeline, stage.node, rows.values, rows.items, state);
        else if (stage.kind === "nested")
          await nestedStage(stage.node, rows, runInner, plan.nested.get(stage.node));
        else if (stage.kind === "cached" && cache) await cachedStage(env, cache, stage.node, rows);
        else if (stage.kind === "frame") await frameStage(env, stage.nodes, rows);
        if (branching) reportDecisions(callbacks, pipeline, node, rows);
      }
    }
    allRows.items.forEach((item, r) => {
      const v = allRows.values[r]!;
      const out: Values = { ...items[item] };
      for (const o of plan.outputs) if (o in v) out[o] = v[o];
      results[item] = out;
      emit(callbacks, "onMapItemEnd", {
        pipeline: pipeline.name,
        item,
        ms: performance.now() - t0,
      });
    });
    return results;
  }
}

type Stage =
  | { kind: "frame"; nodes: ValueNode[] }
  | { kind: "dual"; node: FunctionNode }
  | { kind: "nested"; node: NestedPipelineNode }
  | { kind: "cached"; node: ValueNode };

/**
 * Splits the nodes (in order) into frame stages, nested pipelines, cached worker nodes and
 * (in a map call) dual nodes' batch calls.
 */
function stages(
  nodes: readonly Node[],
  cached: boolean,
  engineWorkers: number,
  batched: boolean,
): Stage[] {
  const out: Stage[] = [];
  /** Outputs of the current frame's main-thread nodes (JS values, not columns). */
  let jsOutputs = new Set<string>();
  for (const n of nodes) {
    if (n.kind === "pipeline") out.push({ kind: "nested", node: n });
    else if (batched && isDual(n)) out.push({ kind: "dual", node: n });
    else if (cached && n.options.cache !== false && workersFor(n, engineWorkers) > 0)
      out.push({ kind: "cached", node: n });
    else {
      const last = out.at(-1);
      const onWorkers = workersFor(n, engineWorkers) > 0;
      // A worker node reading a main-thread node's output starts a new frame: the values
      // are all known by then, and its column is typed from them.
      const readsJs = onWorkers && n.inputs.some((i) => jsOutputs.has(i));
      if (last?.kind === "frame" && !readsJs) last.nodes.push(n);
      else {
        out.push({ kind: "frame", nodes: [n] });
        jsOutputs = new Set();
      }
      if (!onWorkers) for (const o of n.outputs) jsOutputs.add(o);
    }
  }
  return out;
}

/** With a branch in the pipeline: every node a stage of its own, run over its own rows. */
function oneNodeEach(all: readonly Stage[]): Stage[] {
  return all.flatMap((s): Stage[] =>
    s.kind === "frame" ? s.nodes.map((n) => ({ kind: "frame", nodes: [n] })) : [s],
  );
}

/**
 * A worker node whose output types are not declared: its column's type comes from the first
 * item. (Main-thread nodes keep their values in JS; a worker node reading them gets a column
 * typed from all of them.)
 */
function undeclared(n: Node, engineWorkers: number): boolean {
  return (
    n.kind !== "pipeline" &&
    workersFor(n, engineWorkers) > 0 &&
    n.outputs.some((_, i) => declaredReturns(n, i) === undefined)
  );
}
