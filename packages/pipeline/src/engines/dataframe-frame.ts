// One frame stage of the DataFrameEngine: consecutive value nodes compiled into one DataFrame
// plan (the rows and an item-index column in, one `withColumn` projection per node or chain),
// run by the core executor, and the produced columns read back into the rows.
import { DataFrame, toDataType } from "@deft/core";
import { type Callbacks, emit } from "../callbacks.js";
import { NodeError } from "../errors.js";
import type { ClassNode, FunctionNode } from "../node.js";
import type { Pipeline, Values } from "../pipeline.js";
import { compileUnits, type WorkerExprs, workersFor } from "./dataframe-compile.js";
import { jsNodeExpr } from "./dataframe-js.js";
import {
  type Codec,
  checkWorkerInput,
  codecOfType,
  codecOfValue,
  declaredReturns,
  fromColumnValue,
  toColumnValue,
} from "./dataframe-values.js";
import { freeName } from "./node-spec.js";
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
  /** The engine's `onFrame` option: shown each frame before it runs. */
  readonly onFrame?: ((frame: DataFrame) => void) | undefined;
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
  // Every name the frame may hold: the columns it adds (the item index, struct columns) avoid them.
  const taken = new Set([
    ...Object.keys(rows.values[0]!),
    ...nodes.flatMap((n) => [...n.inputs, ...n.outputs]),
  ]);
  const itemColumn = freeName("item", taken);
  taken.add(itemColumn);
  const columns = new Map<string, Codec | undefined>();
  const schema: Record<string, ReturnType<typeof toDataType>> = {
    [itemColumn]: toDataType("float64"),
  };
  for (const name of needed) {
    const sample = rows.values.find((v) => v[name] !== null && v[name] !== undefined)?.[name];
    const codec = codecs.get(name) ?? codecOfValue(sample, `Input "${name}"`);
    columns.set(name, codec);
    schema[name] = codec?.type ?? toDataType("null");
  }
  const records = rows.values.map((v, r) => {
    const rec: Values = { [itemColumn]: rows.items[r] };
    for (const name of needed) rec[name] = toColumnValue(v[name], columns.get(name));
    return rec;
  });
  let df = DataFrame.fromRecords(records, { schema });
  const onWorkers: ValueNode[] = [];
  /** Fused chains by their failure column. */
  const chains = new Map<string, readonly ValueNode[]>();
  /** Outputs of this frame's worker nodes compiled so far (columns). */
  const workerOutputs = new Set<string>();
  for (const unit of compileUnits(nodes, env.workers)) {
    const head = unit[0]!;
    if (onMain.has(head)) {
      const fromColumns = new Map<string, Codec | undefined>();
      for (const i of head.inputs) if (workerOutputs.has(i)) fromColumns.set(i, columns.get(i));
      df = df.withColumn(
        head.outputs[0]!,
        jsNodeExpr(head, fromColumns, itemColumn, { ...env, rows }),
      );
      continue;
    }
    const outs = unit.map((n) => n.outputs.map((o, i) => outputCodec(n, i, o, codecs)));
    const compiled = env.compiled.compile(unit, outs, {
      workers: env.workers,
      batchSize: env.batchSize,
      columns,
      taken,
      itemColumn,
    });
    for (const [name, expr] of compiled.pairs) {
      df = df.withColumn(name, expr);
      taken.add(name);
    }
    if (compiled.failureColumn !== undefined) chains.set(compiled.failureColumn, unit);
    unit.forEach((n, k) => {
      n.outputs.forEach((o, i) => {
        columns.set(o, outs[k]![i]);
      });
      onWorkers.push(n);
      for (const o of n.outputs) workerOutputs.add(o);
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
  const direct = [...produced].filter((name) => !jsOutputs.has(name));
  // A main-thread node's column (nulls) is selected so its projection runs; its outputs are
  // in the rows already.
  const paced = [...onMain].map((n) => n.outputs[0]!);
  const frame = df.select(...direct, ...paced, ...chains.keys());
  env.onFrame?.(frame);
  let out: Values[];
  try {
    out = await frame.toRecords();
  } catch (err) {
    throw nodeErrorOf(err, pipeline, nodes, rows);
  }
  out.forEach((rec, r) => {
    const v = rows.values[r]!;
    for (const name of direct) v[name] = fromColumnValue(rec[name], columns.get(name));
  });
  for (const [column, chain] of chains) {
    const r = out.findIndex((rec) => rec[column] !== null && rec[column] !== undefined);
    if (r >= 0) throw chainError(out[r]![column] as ChainFailure, chain, pipeline, rows, r);
  }
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

/** A chain's failure record: which of its nodes failed, and that node's error. */
interface ChainFailure {
  node: number;
  name: string;
  message: string;
  stack: string | null;
}

/** The NodeError of row `r`'s failure in a chain, naming the node that failed. */
function chainError(
  f: ChainFailure,
  chain: readonly ValueNode[],
  pipeline: Pipeline,
  rows: Rows,
  r: number,
): NodeError {
  const n = chain[f.node]!;
  const cause = new Error(f.message);
  cause.name = f.name;
  if (f.stack !== null) cause.stack = f.stack;
  return new NodeError(
    {
      pipeline: pipeline.name,
      node: n.name,
      item: rows.items[r]!,
      inputs: pick(rows.values[r]!, n.inputs),
      attempts: 1,
    },
    cause,
  );
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
  // A worker UDF is named after its node.
  const n = nodes.find((x) => x.name === e.udf);
  if (!n || e.row === undefined || rows.items[e.row] === undefined) return err;
  return new NodeError(
    {
      pipeline: pipeline.name,
      node: n.name,
      item: rows.items[e.row]!,
      inputs: pick(rows.values[e.row]!, n.inputs),
      attempts: e.attempts ?? 1,
    },
    e.cause ?? err,
  );
}
