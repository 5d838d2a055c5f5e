// What every engine does around a branch: before a node runs for an item, ask whether a
// branch steered the item away from it (then report the skip and leave its outputs absent);
// after a branch node ran, report its decision.
import {
  ABSENT,
  type BranchNode,
  bothProducedError,
  gateOf,
  isBranch,
  skipReason,
  targetOf,
} from "../branch.js";
import { type Callbacks, emit } from "../callbacks.js";
import type { Node } from "../node.js";
import type { Pipeline, Values } from "../pipeline.js";

/** Whether the pipeline has any branch: only then do the engines check for skips. */
export function hasBranches(pipeline: Pipeline): boolean {
  return pipeline.graph.gates.size > 0;
}

/**
 * For the per-item runner: whether `n` is skipped for item `item`, given its gathered `args`
 * (inputs that were produced) and the item's value promises. Reports the skip.
 */
export async function skippedInItem(
  callbacks: readonly Callbacks[],
  pipeline: Pipeline,
  n: Node,
  args: Values,
  values: ReadonlyMap<string, Promise<unknown>>,
  item: number,
): Promise<boolean> {
  const gates = pipeline.graph.gates.get(n);
  const decided = new Map<string, unknown>();
  for (const g of gates ?? []) {
    const gate = gateOf(g.branch);
    decided.set(gate, (await values.get(gate)) ?? ABSENT);
  }
  const why = skipReason(gates, n, (name) =>
    decided.has(name) ? decided.get(name) : name in args ? args[name] : ABSENT,
  );
  if (why === undefined) return false;
  emit(callbacks, "onNodeSkipped", { pipeline: pipeline.name, item, node: n.name, reason: why });
  return true;
}

/**
 * The value of a name two branch targets may produce: the one that ran (ABSENT when
 * neither did); both running is an error.
 */
export async function eitherOf(
  earlier: Promise<unknown>,
  mine: Promise<unknown>,
  pipeline: Pipeline,
  name: string,
  item: number,
): Promise<unknown> {
  const [a, b] = await Promise.all([earlier, mine]);
  if (a !== ABSENT && b !== ABSENT) throw bothProducedError(pipeline.name, name, item);
  return a === ABSENT ? b : a;
}

/** Reports a branch node's decision for one item (nothing for any other node). */
export function reportDecision(
  callbacks: readonly Callbacks[],
  pipeline: Pipeline,
  n: Node,
  decision: unknown,
  item: number,
): void {
  if (!isBranch(n) || typeof decision !== "boolean") return;
  emit(callbacks, "onBranchDecision", {
    pipeline: pipeline.name,
    item,
    node: n.name,
    decision,
    target: targetOf(n as BranchNode, decision).name,
  });
}

/**
 * For engines that run a node over many rows at once: the rows (values read and written in
 * place, and their item indexes) for which `n` runs. Skips are reported; a row where another
 * producer already wrote one of `n`'s outputs fails when `n` would run for it too.
 */
export function activeRows(
  callbacks: readonly Callbacks[],
  pipeline: Pipeline,
  n: Node,
  rows: { readonly values: Values[]; readonly items: readonly number[] },
): { values: Values[]; items: number[] } {
  const out = { values: [] as Values[], items: [] as number[] };
  const gates = pipeline.graph.gates.get(n);
  const shared = n.outputs.filter((o) => pipeline.graph.exclusiveProducers.has(o));
  rows.values.forEach((v, r) => {
    const item = rows.items[r]!;
    const why = skipReason(gates, n, (name) => (name in v ? v[name] : ABSENT));
    if (why !== undefined) {
      emit(callbacks, "onNodeSkipped", {
        pipeline: pipeline.name,
        item,
        node: n.name,
        reason: why,
      });
      return;
    }
    const twice = shared.find((o) => o in v);
    if (twice !== undefined) throw bothProducedError(pipeline.name, twice, item);
    out.values.push(v);
    out.items.push(item);
  });
  return out;
}

/** After a branch node ran over `rows`: reports each row's decision. */
export function reportDecisions(
  callbacks: readonly Callbacks[],
  pipeline: Pipeline,
  n: Node,
  rows: { readonly values: readonly Values[]; readonly items: readonly number[] },
): void {
  if (!isBranch(n)) return;
  rows.values.forEach((v, r) => {
    reportDecision(callbacks, pipeline, n, v[gateOf(n)], rows.items[r]!);
  });
}
