// PoolEngine's worker path: a sync node with workers runs each call as one task on the node
// pool (node-pool.ts), the node called directly with the item's inputs: no DataFrame, no plan,
// no Arrow column; values cross threads by structured clone.
import type { ClassNode, FunctionNode, Node } from "../node.js";
import type { Values } from "../pipeline.js";
import { workersFor } from "./dataframe-compile.js";
import { checkWorkerInput } from "./dataframe-values.js";
import { runOnNodePool } from "./node-pool.js";
import { type ShippedNode, shipNode } from "./node-spec.js";

type ValueNode = FunctionNode | ClassNode;

let nextKey = 1;

/**
 * The nodes an engine ships, each with the key its threads know it by: kept for the
 * engine's life, so a node's code compiles, and a stateful node is built, once per thread.
 */
export class ShippedNodes {
  private readonly byNode = new WeakMap<Node, { key: string; node: ShippedNode }>();

  of(n: ValueNode): { key: string; node: ShippedNode } {
    let s = this.byNode.get(n);
    if (!s) {
      s = { key: `${process.pid}:${nextKey++}`, node: shipNode(n) };
      this.byNode.set(n, s);
    }
    return s;
  }
}

export class WorkerCalls {
  constructor(
    private readonly engineWorkers: number,
    private readonly shipped: ShippedNodes,
  ) {}

  /**
   * The call's outputs computed on a worker thread, or undefined when the node runs here
   * (no `workers` on it or the engine, or an async function).
   */
  call(n: ValueNode, args: Values): Promise<unknown[]> | undefined {
    const w = workersFor(n, this.engineWorkers);
    if (w === 0) return undefined;
    for (const i of n.inputs) checkWorkerInput(n.name, w, i, args[i]);
    return this.run(n, args, w);
  }

  private async run(n: ValueNode, args: Values, threads: number): Promise<unknown[]> {
    const { key, node } = this.shipped.of(n);
    const values: Values = {};
    for (const i of n.inputs) if (i in args) values[i] = args[i];
    const reply = await runOnNodePool({ key, node, values }, threads);
    if (reply.ok) return reply.outputs;
    // The runner names the node, item and inputs; the cause is the node's own error.
    const e = new Error(reply.error.message);
    e.name = reply.error.name;
    if (reply.error.stack !== undefined) e.stack = reply.error.stack;
    throw e;
  }
}
