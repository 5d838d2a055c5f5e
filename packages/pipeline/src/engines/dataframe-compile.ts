// One pipeline node on workers -> the UDF expression(s) of a `withColumn` projection, shipped
// by generated, self-contained source. (Main-thread nodes are dataframe-js.ts: they call back
// into the shared Runner for cache, callbacks, retries and errors exactly as the other engines.)
import { deserialize } from "node:v8";
import { col, type Expr, typeName, udf } from "@deft/core";
import type { ClassNode, FunctionNode, Node } from "../node.js";
import type { Pipeline } from "../pipeline.js";
import { shippedChain, shippedSource } from "./dataframe-ship.js";
import { type Codec, toColumnValue, tupleType } from "./dataframe-values.js";
import type { Runner, RunState } from "./runner.js";

/** The hidden column carrying each row's item index (callbacks and errors name items by it). */
export const ITEM = "__deft_item";

export interface CompileEnv {
  readonly pipeline: Pipeline;
  readonly runner: Runner;
  readonly state: RunState;
  /** Engine-wide worker count for sync nodes that set none (0: main thread). */
  readonly workers: number;
  readonly batchSize: number | undefined;
  /** Codecs of the columns present in the stage's frame. */
  readonly columns: ReadonlyMap<string, Codec | undefined>;
  /** False when the caller retries failed calls itself (the pool engine's runner does). */
  readonly udfRetries?: boolean;
  /**
   * Names that nodes after this unit in the frame read: a fused chain makes columns only of
   * those outputs (the others are read from its hidden column, see `chainColumn`).
   */
  readonly readLater?: ReadonlySet<string>;
}

type ValueNode = FunctionNode | ClassNode;

/** Whether the node runs on a worker pool under this engine. */
export function workersFor(n: ValueNode, engineWorkers: number): number {
  const w = n.options.workers ?? engineWorkers;
  if (!w) return 0;
  // Async functions wait on I/O: they stay on the event loop, where they run concurrently.
  if (n.kind === "function" && n.fn.constructor.name === "AsyncFunction") return 0;
  return w;
}

/** `[column, expression]` pairs that compute the node's outputs, in order. */
export function compileNode(
  n: ValueNode,
  out: readonly Codec[],
  env: CompileEnv,
): [string, Expr][] {
  const present = n.inputs.filter((i) => env.columns.has(i));
  const returns = n.tuple ? tupleType(out) : out[0]!.type;
  const hidden = `__deft_tuple_${n.outputs.join("_")}`;
  const target = n.tuple ? hidden : n.outputs[0]!;
  const workers = workersFor(n, env.workers);
  let expr: Expr;
  if (workers === 0) {
    throw new Error(`internal: node "${n.name}" runs on the main thread (see dataframe-js.ts)`);
  } else if (n.kind === "class" && typeof n.cls !== "function") {
    if (n.tuple || n.objectParam || present.length !== n.inputs.length) {
      throw new Error(
        `Node "${n.name}": a fromModule() class on workers is called with its inputs as they are, so it cannot have a tuple output, an object parameter or a missing input. Export a class that returns one value, or give the class itself.`,
      );
    }
    const opts = {
      returns,
      workers,
      retries: env.udfRetries === false ? 0 : (n.options.retries ?? 0),
      batchSize: env.batchSize,
      name: n.name,
    };
    expr = udf.cls(
      { kind: "module", ...n.cls },
      { ...opts, args: [...n.args] },
    )(...present.map((p) => col(p)));
  } else {
    const opts = {
      returns,
      workers,
      retries: env.udfRetries === false ? 0 : (n.options.retries ?? 0),
      batchSize: env.batchSize,
      name: n.name,
    };
    const source = shippedSource(n, present, env.columns);
    expr =
      n.kind === "function"
        ? udf(source as (...a: never[]) => unknown, opts)(col(ITEM), ...present.map((p) => col(p)))
        : udf.cls(source as new () => object, { ...opts, args: [...n.args] })(
            col(ITEM),
            ...present.map((p) => col(p)),
          );
  }
  const pairs: [string, Expr][] = [[target, expr]];
  if (n.tuple) {
    n.outputs.forEach((o, i) => {
      pairs.push([o, structField(hidden, `o${i}`, out[i]!, `${n.name}.${o}`)]);
    });
  }
  return pairs;
}

/** Field `field` of the hidden struct column `hidden`, as a column of type `codec`. */
function structField(hidden: string, field: string, codec: Codec, name: string): Expr {
  const pick = udf((t: Record<string, unknown> | null) => (t === null ? null : t[field]), {
    returns: codec.type,
    name,
  });
  return pick(col(hidden));
}

/** Whether a node can join a fused chain: a plain function on workers that is not retried. */
function fusible(n: ValueNode, engineWorkers: number): n is FunctionNode {
  return n.kind === "function" && workersFor(n, engineWorkers) > 0 && !n.options.retries;
}

/**
 * Splits a frame's nodes (in order) into units compiled together: runs of consecutive fusible
 * nodes on the same number of workers become one chain (one worker task per chunk of rows for
 * all of them, instead of one round trip per node); every other node is a unit of its own.
 */
export function compileUnits(nodes: readonly ValueNode[], engineWorkers: number): ValueNode[][] {
  const units: ValueNode[][] = [];
  for (const n of nodes) {
    const last = units.at(-1);
    const head = last?.[0];
    if (
      last &&
      head &&
      fusible(head, engineWorkers) &&
      fusible(n, engineWorkers) &&
      workersFor(head, engineWorkers) === workersFor(n, engineWorkers)
    ) {
      last.push(n);
    } else units.push([n]);
  }
  return units;
}

/** The name of a fused chain's UDF (errors from it are mapped back to the node that threw). */
export function chainName(chain: readonly ValueNode[]): string {
  return chain.map((n) => n.name).join("+");
}

/**
 * The hidden column of a fused chain: one v8-serialized array of its outputs per row (in the
 * order of `chain.flatMap((n) => n.outputs)`), read back with node:v8's `deserialize`.
 */
export function chainColumn(chain: readonly ValueNode[]): string {
  return `__deft_chain_${chain.flatMap((n) => n.outputs).join("_")}`;
}

/**
 * `[column, expression]` pairs for a fused chain: one worker UDF writing the hidden column,
 * then a column for each output that a later node of the frame reads.
 */
function compileChain(
  chain: readonly FunctionNode[],
  outs: readonly (readonly Codec[])[],
  env: CompileEnv,
): [string, Expr][] {
  const produced = new Set(chain.flatMap((n) => n.outputs));
  const present = [...new Set(chain.flatMap((n) => n.inputs))].filter(
    (i) => !produced.has(i) && env.columns.has(i),
  );
  const outputs = chain.flatMap((n) => n.outputs);
  const codecs = outs.flat();
  const name = chainName(chain);
  const hidden = chainColumn(chain);
  const fn = shippedChain(chain, present, env.columns) as (...a: never[]) => unknown;
  const expr = udf(fn, {
    returns: "binary",
    workers: workersFor(chain[0]!, env.workers),
    batchSize: env.batchSize,
    name,
  })(col(ITEM), ...present.map((p) => col(p)));
  const pairs: [string, Expr][] = [[hidden, expr]];
  outputs.forEach((o, j) => {
    if (!env.readLater?.has(o)) return;
    const pick = udf(
      (bytes: Uint8Array | null) =>
        bytes === null ? null : toColumnValue((deserialize(bytes) as unknown[])[j]),
      { returns: codecs[j]!.type, name: `${name}.${o}` },
    );
    pairs.push([o, pick(col(hidden))]);
  });
  return pairs;
}

/**
 * Worker UDF expressions per node and shape, kept across runs. Reusing one keeps one UDF
 * identity, so each worker thread compiles the shipped source (and builds a stateful node's
 * instance) once, not once per run — with 16 threads on 2 cores that setup cost ~3 ms a node
 * a run — and the threads' per-UDF caches stop growing with every run.
 */
export class WorkerExprs {
  private readonly byNode = new WeakMap<Node, Map<string, [string, Expr][]>>();

  /**
   * The pairs computing a unit (one node, or a fused chain from `compileUnits`) given each
   * node's output codecs; a unit on workers compiled before for the same shape is reused.
   */
  compile(
    unit: readonly ValueNode[],
    outs: readonly (readonly Codec[])[],
    env: CompileEnv,
  ): [string, Expr][] {
    const head = unit[0]!;
    const build = () =>
      unit.length === 1
        ? compileNode(head, outs[0]!, env)
        : compileChain(unit as FunctionNode[], outs, env);
    if (workersFor(head, env.workers) === 0) return build();
    const codec = (c: Codec | undefined) => (c ? [typeName(c.type), c.typedArray ?? ""] : null);
    const key = JSON.stringify([
      unit.map((n) => [
        n.outputs,
        n.inputs.map((i) => (env.columns.has(i) ? codec(env.columns.get(i)) : 0)),
      ]),
      outs.map((o) => o.map(codec)),
      env.workers,
      env.batchSize ?? 0,
      env.udfRetries ?? true,
      unit.length > 1 ? unit.flatMap((n) => n.outputs).filter((o) => env.readLater?.has(o)) : 0,
    ]);
    let shapes = this.byNode.get(head);
    if (!shapes) this.byNode.set(head, (shapes = new Map()));
    let pairs = shapes.get(key);
    if (!pairs) shapes.set(key, (pairs = build()));
    return pairs;
  }
}
