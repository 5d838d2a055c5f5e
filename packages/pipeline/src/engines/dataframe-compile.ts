// Pipeline nodes on workers -> the UDF expressions of `withColumn` projections. A node (or a
// fused chain of nodes) is one worker UDF: `udf.cls` of worker-node.ts's NodeCall, loaded by
// module URL and built with the node's code and names as data. One output is the UDF's
// column; several (a tuple node, a chain) are one struct column, read with `.struct.field`.
// (Main-thread nodes are dataframe-js.ts: they call back into the shared Runner for cache,
// callbacks, retries and errors exactly as the other engines.)
import { col, type Expr, fromModule, toDataType, typeName, udf } from "@deft/core";
import type { ClassNode, FunctionNode, Node } from "../node.js";
import type { Codec } from "./dataframe-values.js";
import { type FrameNodeSpec, freeName, shipNode, WORKER_MODULE } from "./node-spec.js";

type ValueNode = FunctionNode | ClassNode;

/** The struct field type of a chain's failure record (null on rows that did not fail). */
const FAILURE_TYPE = toDataType("struct<node: int32, name: utf8, message: utf8, stack: utf8>");

export interface CompileEnv {
  /** Engine-wide worker count for sync nodes that set none (0: main thread). */
  readonly workers: number;
  readonly batchSize: number | undefined;
  /** Codecs of the columns present in the stage's frame. */
  readonly columns: ReadonlyMap<string, Codec | undefined>;
  /** Every name in use in the frame (inputs, outputs, columns): struct columns avoid them. */
  readonly taken: ReadonlySet<string>;
  /** The frame's item-index column: the argument of a UDF whose node reads no column. */
  readonly itemColumn: string;
}

/** A unit's expressions, and for a chain where its failures are read. */
export interface CompiledUnit {
  /** `[column, expression]` pairs in order: the UDF's column, then one per output. */
  readonly pairs: readonly (readonly [string, Expr])[];
  /** A chain's failure column: `{ node, name, message, stack }` where a node of it failed. */
  readonly failureColumn?: string;
}

/** Whether the node runs on a worker pool under this engine. */
export function workersFor(n: ValueNode, engineWorkers: number): number {
  const w = n.options.workers ?? engineWorkers;
  if (!w) return 0;
  // Async functions wait on I/O: they stay on the event loop, where they run concurrently.
  if (n.kind === "function" && n.fn.constructor.name === "AsyncFunction") return 0;
  return w;
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

/** The name of a unit's UDF: the node's name, or a chain's node names joined by "+". */
export function unitName(unit: readonly ValueNode[]): string {
  return unit.map((n) => n.name).join("+");
}

/** The columns a unit reads: its nodes' inputs present in the frame (or the item column). */
function argumentsOf(unit: readonly ValueNode[], env: CompileEnv): string[] {
  const produced = new Set(unit.flatMap((n) => n.outputs));
  const present = [...new Set(unit.flatMap((n) => n.inputs))].filter(
    (i) => !produced.has(i) && env.columns.has(i),
  );
  return present.length > 0 ? present : [env.itemColumn];
}

function compileUnit(
  unit: readonly ValueNode[],
  outs: readonly (readonly Codec[])[],
  env: CompileEnv,
): CompiledUnit {
  const head = unit[0]!;
  const chain = unit.length > 1;
  const outputs = unit.flatMap((n) => n.outputs);
  const codecs = outs.flat();
  const struct = chain || head.tuple;
  const failure = chain ? freeName("failure", new Set(outputs)) : null;
  const args = argumentsOf(unit, env);
  const spec: FrameNodeSpec = {
    nodes: unit.map(shipNode),
    present: args,
    decode: args.map((a) => {
      const c = env.columns.get(a);
      return c?.v8 ? "v8" : (c?.typedArray ?? null);
    }),
    encode: outputs.filter((_, j) => codecs[j]!.v8 === true),
    shape: struct ? "struct" : "value",
    failure,
    types: chain ? Object.fromEntries(outputs.map((o, j) => [o, typeName(codecs[j]!.type)])) : {},
  };
  const fields = Object.fromEntries(outputs.map((o, j) => [o, codecs[j]!.type]));
  if (failure !== null) fields[failure] = FAILURE_TYPE;
  const name = unitName(unit);
  const expr = udf.cls(fromModule(WORKER_MODULE, "NodeCall"), {
    returns: struct ? fields : codecs[0]!.type,
    workers: workersFor(head, env.workers),
    // A chain's failures are data (its failure field); a single node is retried by the core.
    retries: chain ? 0 : (head.options.retries ?? 0),
    batchSize: env.batchSize,
    name,
    args: [spec],
  })(...args.map((a) => col(a)));
  if (!struct) return { pairs: [[head.outputs[0]!, expr]] };
  const column = freeName(name, env.taken);
  const pairs: [string, Expr][] = [[column, expr]];
  for (const o of outputs) pairs.push([o, col(column).struct.field(o)]);
  if (failure === null) return { pairs };
  const failureColumn = freeName(`${column}_failure`, new Set([...env.taken, column]));
  pairs.push([failureColumn, col(column).struct.field(failure)]);
  return { pairs, failureColumn };
}

/**
 * Worker UDF expressions per node and shape, kept across runs. Reusing one keeps one UDF
 * identity, so each worker thread compiles the node's code (and builds a stateful node's
 * instance) once, not once per run, and the threads' per-UDF caches stop growing with every
 * run.
 */
export class WorkerExprs {
  private readonly byNode = new WeakMap<Node, Map<string, CompiledUnit>>();

  /**
   * The expressions computing a unit (one node, or a fused chain from `compileUnits`) given
   * each node's output codecs; a unit compiled before for the same shape is reused.
   */
  compile(
    unit: readonly ValueNode[],
    outs: readonly (readonly Codec[])[],
    env: CompileEnv,
  ): CompiledUnit {
    const codec = (c: Codec | undefined) =>
      c ? [typeName(c.type), c.typedArray ?? "", c.v8 === true] : null;
    const struct = unit.length > 1 || unit[0]!.tuple;
    const key = JSON.stringify([
      unit.map((n) => [
        n.outputs,
        n.inputs.map((i) => (env.columns.has(i) ? codec(env.columns.get(i)) : 0)),
      ]),
      outs.map((o) => o.map(codec)),
      env.workers,
      env.batchSize ?? 0,
      argumentsOf(unit, env),
      struct ? freeName(unitName(unit), env.taken) : 0,
    ]);
    let shapes = this.byNode.get(unit[0]!);
    if (!shapes) this.byNode.set(unit[0]!, (shapes = new Map()));
    let compiled = shapes.get(key);
    if (!compiled) shapes.set(key, (compiled = compileUnit(unit, outs, env)));
    return compiled;
  }
}
