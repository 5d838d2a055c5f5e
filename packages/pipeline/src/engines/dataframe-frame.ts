// One frame stage of the DataFrameEngine: consecutive value nodes compiled into one DataFrame
// plan (the rows in, one `withColumn` projection per node), run by the core executor, and the
// produced columns read back into the rows.
import { deserialize } from "node:v8";
import { DataFrame, toDataType } from "@deft/core";
import { type Callbacks, emit } from "../callbacks.js";
import { NodeError } from "../errors.js";
import type { ClassNode, FunctionNode } from "../node.js";
import type { Pipeline, Values } from "../pipeline.js";
import {
  chainColumn,
  chainName,
  compileUnits,
  ITEM,
  type WorkerExprs,
  workersFor,
} from "./dataframe-compile.js";
import { jsNodeExpr } from "./dataframe-js.js";
import { NODE_TAG } from "./dataframe-ship.js";
import {
  type Codec,
  checkWorkerInput,
  codecOfType,
  codecOfValue,
  declaredReturns,
  fromColumnValue,
  toColumnValue,
} from "./dataframe-values.js";
import type { Runner, RunState } from "./runner.js";

export type ValueNode = FunctionNode | ClassNode;

/** One frame's worth of work: the rows still being computed and their job item indexes. */
export interface Rows {
  values: Values[];
  items: number[];
}

/** What every stage of one pipeline run shares. */
export interface StageEnv {
  readonly pipeline: Pipeline;
  readonly runner: Runner;
  readonly state: RunState;
  readonly callbacks: readonly Callbacks[];
  /** Output codecs learned from the first item (for nodes that declare no `returns`). */
  readonly codecs: Map<string, Codec>;
  /** Engine-wide worker count for sync nodes that set none (0: main thread). */
  readonly workers: number;
  readonly batchSize: number | undefined;
  /** The engine's compiled worker expressions, reused across runs. */
  readonly compiled: WorkerExprs;
}

/** Consecutive value nodes as one DataFrame plan: rows in, one projection per node. */
export async function frameStage(
  env: StageEnv,
  nodes: readonly ValueNode[],
  rows: Rows,
): Promise<void> {
  const { pipeline, callbacks, codecs } = env;
  const produced = new Set(nodes.flatMap((n) => n.outputs));
  // Main-thread nodes read and write the rows' JS values; only worker nodes read columns.
  const onMain = new Set(nodes.filter((n) => workersFor(n, env.workers) === 0));
  const jsOutputs = new Set([...onMain].flatMap((n) => n.outputs));
  const needed = [...new Set(nodes.filter((n) => !onMain.has(n)).flatMap((n) => n.inputs))].filter(
    (i) => !produced.has(i) && i in rows.values[0]!,
  );
  checkWorkerInputs(
    nodes.filter((n) => !onMain.has(n)),
    new Set(needed),
    rows.values,
    env.workers,
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
  const compileEnv = {
    pipeline,
    runner: env.runner,
    state: env.state,
    workers: env.workers,
    batchSize: env.batchSize,
    columns,
  };
  const chains = new Map<string, readonly ValueNode[]>();
  /** Fused chains' hidden columns and the outputs each holds, in order. */
  const chainColumns = new Map<string, readonly string[]>();
  const units = compileUnits(nodes, env.workers);
  /** Outputs of this frame's worker nodes compiled so far (columns). */
  const workerOutputs = new Set<string>();
  for (const [u, unit] of units.entries()) {
    const head = unit[0]!;
    if (onMain.has(head)) {
      const fromColumns = new Map<string, Codec | undefined>();
      for (const i of head.inputs) if (workerOutputs.has(i)) fromColumns.set(i, columns.get(i));
      df = df.withColumn(head.outputs[0]!, jsNodeExpr(head, fromColumns, ITEM, { ...env, rows }));
      continue;
    }
    const outs = unit.map((n) => n.outputs.map((o, i) => outputCodec(n, i, o, codecs)));
    const readLater = new Set(
      units.slice(u + 1).flatMap((later) => later.flatMap((n) => n.inputs)),
    );
    for (const [name, expr] of env.compiled.compile(unit, outs, { ...compileEnv, readLater })) {
      df = df.withColumn(name, expr);
    }
    if (unit.length > 1) {
      chains.set(chainName(unit), unit);
      chainColumns.set(
        chainColumn(unit),
        unit.flatMap((n) => n.outputs),
      );
    }
    unit.forEach((n, k) => {
      n.outputs.forEach((o, i) => {
        columns.set(o, outs[k]![i]);
      });
      if (workersFor(n, env.workers) > 0) {
        onWorkers.push(n);
        for (const o of n.outputs) workerOutputs.add(o);
      }
    });
  }
  // Worker nodes cannot call back per row: their start events go out as the stage starts.
  // (Built only when someone listens: that is a few objects per row and node.)
  const listening = callbacks.length > 0;
  for (const n of listening ? onWorkers : []) {
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
  // A chain's outputs are read from its hidden column: the values exactly as its nodes
  // returned them, with no Arrow column built and decoded in between.
  const inChains = new Set([...chainColumns.values()].flat());
  const direct = [...produced].filter((name) => !inChains.has(name) && !jsOutputs.has(name));
  // A main-thread node's column (nulls) is selected so its projection runs; its outputs are
  // in the rows already.
  const paced = [...onMain].map((n) => n.outputs[0]!);
  let out: Values[];
  try {
    out = await df.select(...direct, ...paced, ...chainColumns.keys()).toRecords();
  } catch (err) {
    throw nodeErrorOf(err, pipeline, nodes, chains, rows);
  }
  out.forEach((rec, r) => {
    const v = rows.values[r]!;
    for (const name of direct) v[name] = fromColumnValue(rec[name], columns.get(name));
    for (const [hidden, outputs] of chainColumns) {
      const values = deserialize(rec[hidden] as Uint8Array) as unknown[];
      outputs.forEach((o, j) => {
        v[o] = values[j];
      });
    }
  });
  const ms = (performance.now() - t0) / Math.max(1, rows.items.length);
  for (const n of listening ? onWorkers : []) {
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

/** Throws, naming node and input, when a worker node would receive a class instance. */
export function checkWorkerInputs(
  nodes: readonly ValueNode[],
  names: ReadonlySet<string>,
  values: readonly Values[],
  engineWorkers: number,
): void {
  for (const n of nodes) {
    const w = workersFor(n, engineWorkers);
    if (w === 0) continue;
    for (const i of n.inputs) {
      if (!names.has(i)) continue;
      for (const v of values) checkWorkerInput(n.name, w, i, v[i]);
    }
  }
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

export function pick(v: Values, names: readonly string[]): Values {
  const out: Values = {};
  for (const n of names) if (n in v) out[n] = v[n];
  return out;
}

/** The core's UdfError as the NodeError the other engines raise (node, item, inputs). */
function nodeErrorOf(
  err: unknown,
  pipeline: Pipeline,
  nodes: readonly ValueNode[],
  chains: ReadonlyMap<string, readonly ValueNode[]>,
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
  const chain = e.udf === undefined ? undefined : chains.get(e.udf);
  const n = chain
    ? chainNode(chain, e.cause)
    : nodes.find((x) => x.name === e.udf || e.udf?.startsWith(`${x.name}.`));
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

/** The node of a fused chain that threw (its index tagged onto the error's name), untagged. */
function chainNode(chain: readonly ValueNode[], cause: unknown): ValueNode | undefined {
  const c = cause as { name?: unknown } | undefined;
  if (typeof c?.name !== "string") return undefined;
  const at = c.name.lastIndexOf(NODE_TAG);
  if (at < 0) return undefined;
  const k = Number(c.name.slice(at + NODE_TAG.length));
  c.name = c.name.slice(0, at);
  return chain[k];
}
