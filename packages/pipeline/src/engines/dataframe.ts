// Compiles the pipeline into DataFrame plans: the items become rows, each node a `withColumn`
// UDF projection run by the core executor (async nodes concurrently on the event loop, sync
// nodes on worker threads when asked, stateful nodes as udf.cls). Nested pipelines split the
// plan into stages: their elements are flattened into one frame, run, and grouped back.
import { DataFrame } from "@deft/core";
import { toDataType } from "@deft/core/internal";
import type { Cache } from "../cache.js";
import { type Callbacks, emit } from "../callbacks.js";
import { NodeError } from "../errors.js";
import { type ExecPlan, planRun } from "../graph.js";
import { hashValues, sha256 } from "../hash.js";
import type { ClassNode, FunctionNode, NestedPipelineNode, Node } from "../node.js";
import type { Pipeline, Values } from "../pipeline.js";
import { withProgress } from "../progress.js";
import { signatures } from "../signature.js";
import { compileNode, ITEM, workersFor } from "./dataframe-compile.js";
import {
  type Codec,
  codecOfType,
  codecOfValue,
  declaredReturns,
  fromColumnValue,
  toColumnValue,
} from "./dataframe-values.js";
import { callbackList, type Engine, type EngineOptions, type Job } from "./engine.js";
import { newRunState, Runner, type RunState } from "./runner.js";

export interface DataFrameEngineOptions extends EngineOptions {
  /** Worker threads for sync nodes (and stateful ones) that set no `workers` of their own. */
  workers?: number;
  /** Rows per worker task (the UDF's batchSize) for nodes that run on workers. */
  batchSize?: number;
}

type ValueNode = FunctionNode | ClassNode;

/** One frame's worth of work: the rows still being computed and their job item indexes. */
interface Rows {
  values: Values[];
  items: number[];
}

export class DataFrameEngine implements Engine {
  readonly name = "dataframe";
  private readonly options: DataFrameEngineOptions;

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
      this.runPipeline(job.pipeline, job.plan, job.items, callbacks, newRunState()),
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
  ): Promise<Values[]> {
    const t0 = performance.now();
    emit(callbacks, "onPipelineStart", { pipeline: pipeline.name, items: items.length });
    try {
      const results = await this.runItems(pipeline, plan, items, callbacks, state);
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
  ): Promise<Values[]> {
    const runner = this.runner(callbacks);
    const codecs = new Map<string, Codec>();
    const results: Values[] = new Array(items.length);
    let first = 0;
    if (items.length > 0 && plan.nodes.some((n) => undeclared(n))) {
      // Types nobody declared come from the first item, run as the sequential engine would.
      results[0] = await runner.runItemWithEvents(pipeline, plan, items[0]!, 0, state);
      first = 1;
      for (const n of plan.nodes) {
        if (n.kind === "pipeline") continue;
        n.outputs.forEach((o) => {
          const c = codecOfValue(results[0]![o], `Node "${n.name}" output "${o}" (item 0)`);
          if (c) codecs.set(o, c);
        });
      }
    }
    const rows: Rows = { values: [], items: [] };
    for (let i = first; i < items.length; i++) {
      rows.values.push({ ...items[i] });
      rows.items.push(i);
    }
    const t0 = performance.now();
    for (const i of rows.items)
      emit(callbacks, "onMapItemStart", { pipeline: pipeline.name, item: i });
    if (rows.items.length > 0) {
      for (const stage of stages(
        plan.nodes,
        this.options.cache !== undefined,
        this.options.workers ?? 0,
      )) {
        if (stage.kind === "nested") await this.nestedStage(stage.node, rows, callbacks, state);
        else if (stage.kind === "cached")
          await this.cachedStage(pipeline, stage.node, rows, codecs, runner, state, callbacks);
        else await this.frameStage(pipeline, stage.nodes, rows, codecs, runner, state, callbacks);
      }
    }
    rows.items.forEach((item, r) => {
      const out: Values = { ...items[item] };
      for (const o of plan.outputs) out[o] = rows.values[r]![o];
      results[item] = out;
      emit(callbacks, "onMapItemEnd", {
        pipeline: pipeline.name,
        item,
        ms: performance.now() - t0,
      });
    });
    return results;
  }

  /** Consecutive value nodes as one DataFrame plan: rows in, one projection per node. */
  private async frameStage(
    pipeline: Pipeline,
    nodes: readonly ValueNode[],
    rows: Rows,
    codecs: Map<string, Codec>,
    runner: Runner,
    state: RunState,
    callbacks: readonly Callbacks[],
  ): Promise<void> {
    const produced = new Set(nodes.flatMap((n) => n.outputs));
    const needed = [...new Set(nodes.flatMap((n) => n.inputs))].filter(
      (i) => !produced.has(i) && i in rows.values[0]!,
    );
    const columns = new Map<string, Codec | undefined>();
    const schema: Record<string, ReturnType<typeof toDataType>> = { [ITEM]: toDataType("float64") };
    for (const name of needed) {
      const sample = rows.values.find((v) => v[name] !== null && v[name] !== undefined)?.[name];
      const codec = codecs.get(name) ?? codecOfValue(sample, `Input "${name}"`);
      columns.set(name, codec);
      schema[name] = codec?.type ?? toDataType("null");
    }
    const records = rows.values.map((v, r) => {
      const rec: Values = { [ITEM]: rows.items[r] };
      for (const name of needed) rec[name] = toColumnValue(v[name]);
      return rec;
    });
    let df = DataFrame.fromRecords(records, { schema });
    const onWorkers: ValueNode[] = [];
    for (const n of nodes) {
      const out = n.outputs.map((o, i) => outputCodec(n, i, o, codecs));
      const env = {
        pipeline,
        runner,
        state,
        workers: this.options.workers ?? 0,
        batchSize: this.options.batchSize,
        columns,
      };
      for (const [name, expr] of compileNode(n, out, env)) df = df.withColumn(name, expr);
      n.outputs.forEach((o, i) => {
        columns.set(o, out[i]);
      });
      if (workersFor(n, env.workers) > 0) onWorkers.push(n);
    }
    // Worker nodes cannot call back per row: their start events go out as the stage starts.
    for (const n of onWorkers) {
      rows.values.forEach((v, r) => {
        emit(callbacks, "onNodeStart", {
          pipeline: pipeline.name,
          node: n.name,
          item: rows.items[r]!,
          inputs: pick(v, n.inputs),
        });
      });
    }
    const t0 = performance.now();
    let out: Values[];
    try {
      out = await df.select(...produced).toRecords();
    } catch (err) {
      throw nodeErrorOf(err, pipeline, nodes, rows);
    }
    out.forEach((rec, r) => {
      for (const name of produced)
        rows.values[r]![name] = fromColumnValue(rec[name], columns.get(name));
    });
    const ms = (performance.now() - t0) / Math.max(1, rows.items.length);
    for (const n of onWorkers) {
      rows.values.forEach((v, r) => {
        const event = {
          pipeline: pipeline.name,
          node: n.name,
          item: rows.items[r]!,
          inputs: pick(v, n.inputs),
        };
        emit(callbacks, "onNodeEnd", { ...event, ms, outputs: pick(v, n.outputs) });
      });
    }
  }

  /** A worker node under a cache: hits come from the cache, only the misses go to the frame. */
  private async cachedStage(
    pipeline: Pipeline,
    n: ValueNode,
    rows: Rows,
    codecs: Map<string, Codec>,
    runner: Runner,
    state: RunState,
    callbacks: readonly Callbacks[],
  ): Promise<void> {
    const cache = this.options.cache as Cache;
    const sig = signatures(pipeline.graph).get(n)!;
    const keys = rows.values.map((v) =>
      sha256(
        sig,
        hashValues(
          n.inputs.map((i) => v[i]),
          `node "${n.name}" inputs`,
        ),
      ),
    );
    const hits = await Promise.all(keys.map((k) => cache.get(k)));
    const miss: Rows = { values: [], items: [] };
    const missKeys: string[] = [];
    hits.forEach((hit, r) => {
      const v = rows.values[r]!;
      if (hit) {
        const outs = hit.value as unknown[];
        n.outputs.forEach((o, i) => {
          v[o] = outs[i];
        });
        emit(callbacks, "onNodeCached", {
          pipeline: pipeline.name,
          node: n.name,
          item: rows.items[r]!,
          inputs: pick(v, n.inputs),
          outputs: pick(v, n.outputs),
        });
      } else {
        miss.values.push(v);
        miss.items.push(rows.items[r]!);
        missKeys.push(keys[r]!);
      }
    });
    if (miss.items.length === 0) return;
    await this.frameStage(pipeline, [n], miss, codecs, runner, state, callbacks);
    await Promise.all(
      miss.values.map((v, r) =>
        cache.set(
          missKeys[r]!,
          n.outputs.map((o) => v[o]),
        ),
      ),
    );
  }

  /** A nested pipeline: all elements of all rows run as one inner job, then grouped back. */
  private async nestedStage(
    n: NestedPipelineNode,
    rows: Rows,
    callbacks: readonly Callbacks[],
    state: RunState,
  ): Promise<void> {
    const inner = n.pipeline;
    const innerOf = (outer: string) => n.inputMap[outer] ?? outer;
    const flat: Values[] = [];
    const counts: number[] = [];
    rows.values.forEach((v, r) => {
      const base: Values = {};
      for (const outer of n.inputs)
        if (outer in v && !n.mapOver.includes(outer)) base[innerOf(outer)] = v[outer];
      if (n.mapOver.length === 0) {
        flat.push(base);
        counts.push(1);
        return;
      }
      const lists = n.mapOver.map((m) => v[m]);
      const bad = n.mapOver.find((_, j) => !Array.isArray(lists[j]));
      if (bad !== undefined) {
        throw new Error(
          `Nested pipeline node "${n.name}" (item ${rows.items[r]}): mapOver input "${bad}" must be an array.`,
        );
      }
      const len = (lists[0] as unknown[]).length;
      if (lists.some((l) => (l as unknown[]).length !== len)) {
        const lengths = n.mapOver
          .map((m, j) => `${m}: ${(lists[j] as unknown[]).length}`)
          .join(", ");
        throw new Error(
          `Nested pipeline node "${n.name}" (item ${rows.items[r]}): mapped inputs must have equal lengths, got ${lengths}.`,
        );
      }
      for (let e = 0; e < len; e++) {
        const it: Values = { ...base };
        n.mapOver.forEach((m, j) => {
          it[innerOf(m)] = (lists[j] as unknown[])[e];
        });
        flat.push(it);
      }
      counts.push(len);
    });
    const innerOutputs = Object.keys(n.outputMap);
    const given = new Set(flat.length > 0 ? Object.keys(flat[0]!) : n.inputs.map(innerOf));
    const plan = planRun(inner.graph, given, innerOutputs, inner.name);
    const results = await this.runPipeline(inner, plan, flat, callbacks, state);
    let at = 0;
    rows.values.forEach((v, r) => {
      const mine = results.slice(at, at + counts[r]!);
      at += counts[r]!;
      for (const o of innerOutputs) {
        v[n.outputMap[o]!] = n.mapOver.length === 0 ? mine[0]![o] : mine.map((x) => x[o]);
      }
    });
  }
}

type Stage =
  | { kind: "frame"; nodes: ValueNode[] }
  | { kind: "nested"; node: NestedPipelineNode }
  | { kind: "cached"; node: ValueNode };

/** Splits the nodes (in order) into frame stages, nested pipelines and cached worker nodes. */
function stages(nodes: readonly Node[], cached: boolean, engineWorkers: number): Stage[] {
  const out: Stage[] = [];
  for (const n of nodes) {
    if (n.kind === "pipeline") out.push({ kind: "nested", node: n });
    else if (cached && n.options.cache !== false && workersFor(n, engineWorkers) > 0)
      out.push({ kind: "cached", node: n });
    else {
      const last = out.at(-1);
      if (last?.kind === "frame") last.nodes.push(n);
      else out.push({ kind: "frame", nodes: [n] });
    }
  }
  return out;
}

function undeclared(n: Node): boolean {
  return n.kind !== "pipeline" && n.outputs.some((_, i) => declaredReturns(n, i) === undefined);
}

function outputCodec(n: ValueNode, i: number, o: string, codecs: Map<string, Codec>): Codec {
  const declared = declaredReturns(n, i);
  if (declared !== undefined) return codecOfType(declared);
  const c = codecs.get(o);
  if (c) return c;
  throw new Error(
    `Node "${n.name}": the type of output "${o}" is unknown (it was null or undefined for the first item). Declare it: node({ output: "${o}", returns: "utf8" }, fn).`,
  );
}

function pick(v: Values, names: readonly string[]): Values {
  const out: Values = {};
  for (const n of names) if (n in v) out[n] = v[n];
  return out;
}

/** The core's UdfError as the NodeError the other engines raise (node, item, inputs). */
function nodeErrorOf(
  err: unknown,
  pipeline: Pipeline,
  nodes: readonly ValueNode[],
  rows: Rows,
): unknown {
  const e = err as {
    name?: string;
    cause?: unknown;
    udf?: string;
    row?: number;
    attempts?: number;
  };
  if (e?.name !== "UdfError") return err;
  if (e.cause instanceof NodeError) return e.cause;
  const n = nodes.find((x) => x.name === e.udf || e.udf?.startsWith(`${x.name}.`));
  if (!n || e.row === undefined || rows.items[e.row] === undefined) return err;
  const inputs = pick(rows.values[e.row]!, n.inputs);
  return new NodeError(
    {
      pipeline: pipeline.name,
      node: n.name,
      item: rows.items[e.row]!,
      inputs,
      attempts: e.attempts ?? 1,
    },
    e.cause ?? err,
  );
}
