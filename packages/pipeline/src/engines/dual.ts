// Dual nodes (node.dual): a per-item and a batch implementation. In a map call the batch one
// runs once over every item; the engines call these between the per-item groups of nodes.
import { withRetry } from "@deft/core/internal";
import { emit } from "../callbacks.js";
import { NodeError } from "../errors.js";
import { hashValues, sha256 } from "../hash.js";
import type { FunctionNode, Node } from "../node.js";
import type { Pipeline, Values } from "../pipeline.js";
import { signatures } from "../signature.js";
import { presentOnly, splitOutputs } from "./node-args.js";
import { asError, namedOutputs, type RunnerConfig, type RunState } from "./runner.js";
import { Semaphore } from "./semaphore.js";

type Fn = (...args: unknown[]) => unknown;

/** Whether `n` is a dual node (a function node with a batch implementation). */
export function isDual(n: Node): n is FunctionNode & { batch: NonNullable<FunctionNode["batch"]> } {
  return n.kind === "function" && n.batch !== undefined;
}

/** The nodes (in order) as runs of ordinary nodes, each dual node a group of its own. */
export function dualGroups(nodes: readonly Node[]): Node[][] {
  const groups: Node[][] = [];
  for (const n of nodes) {
    const last = groups.at(-1);
    if (isDual(n) || !last || isDual(last[0]!)) groups.push([n]);
    else last.push(n);
  }
  return groups;
}

/**
 * A dual node's batch call over `rows` (their values are read and written in place; `items`
 * are their item indexes): cache hits per row, one call of `batch` for the misses, retries,
 * callbacks per row. A failure names the node, the first item and the batch's inputs.
 */
export async function runBatch(
  config: Pick<RunnerConfig, "cache" | "callbacks">,
  pipeline: Pipeline,
  n: FunctionNode,
  rows: Values[],
  items: readonly number[],
  state: RunState,
): Promise<void> {
  const { cache, callbacks } = config;
  const batch = n.batch as Fn;
  const event = (r: number) => ({
    pipeline: pipeline.name,
    node: n.name,
    item: items[r]!,
    inputs: presentOnly(n, rows[r]!),
  });
  const keys: (string | undefined)[] = rows.map(() => undefined);
  let miss = rows.map((_, r) => r);
  if (cache && n.options.cache !== false) {
    const sig = signatures(pipeline.graph).get(n)!;
    miss = [];
    for (const [r, v] of rows.entries()) {
      const key = sha256(
        sig,
        hashValues(
          n.inputs.map((i) => v[i]),
          `node "${n.name}" inputs`,
        ),
      );
      keys[r] = key;
      const hit = await cache.get(key);
      if (!hit) {
        miss.push(r);
        continue;
      }
      const outs = hit.value as unknown[];
      n.outputs.forEach((o, j) => {
        v[o] = outs[j];
      });
      emit(callbacks, "onNodeCached", { ...event(r), outputs: namedOutputs(n, outs) });
    }
  }
  if (miss.length === 0) return;
  const lists = n.inputs.map((i) => miss.map((r) => rows[r]![i]));
  const args = n.objectParam ? [Object.fromEntries(n.inputs.map((i, k) => [i, lists[k]]))] : lists;
  const batchInputs = Object.fromEntries(n.inputs.map((i, k) => [i, lists[k]]));
  const first = { ...event(miss[0]!), inputs: batchInputs };
  let limit = state.limits.get(n);
  if (!limit && n.options.maxConcurrency !== undefined) {
    limit = new Semaphore(n.options.maxConcurrency);
    state.limits.set(n, limit);
  }
  let t0 = 0;
  const call = async () => {
    const value = await batch(...args);
    if (!Array.isArray(value) || value.length !== miss.length) {
      const got = Array.isArray(value) ? `an array of ${value.length}` : typeof value;
      throw new Error(
        `the batch implementation of dual node "${n.name}" must return an array of ${miss.length} results (one per item); it returned ${got}.`,
      );
    }
    return (value as unknown[]).map((v) => splitOutputs(n, v));
  };
  const r = await withRetry(
    () => {
      t0 = performance.now();
      for (const row of miss) emit(callbacks, "onNodeStart", event(row));
      return limit ? limit.use(call) : call();
    },
    { retries: n.options.retries ?? 0 },
    {
      retry: (attempt, _delayMs, err) =>
        emit(callbacks, "onNodeError", {
          ...first,
          error: asError(err),
          attempt,
          willRetry: true,
        }),
    },
  );
  if (!r.ok) {
    emit(callbacks, "onNodeError", {
      ...first,
      error: asError(r.error),
      attempt: r.attempts,
      willRetry: false,
    });
    throw new NodeError({ ...first, attempts: r.attempts }, r.error);
  }
  const ms = (performance.now() - t0) / miss.length;
  for (const [k, row] of miss.entries()) {
    const outs = r.value[k]!;
    n.outputs.forEach((o, j) => {
      rows[row]![o] = outs[j];
    });
    emit(callbacks, "onNodeEnd", { ...event(row), ms, outputs: namedOutputs(n, outs) });
    const key = keys[row];
    if (key !== undefined) await cache!.set(key, outs);
  }
}
