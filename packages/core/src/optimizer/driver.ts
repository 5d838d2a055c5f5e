import { type PlanNode, planInputs, transformPlan, withInputs } from "../plan/nodes.js";

/**
 * An optimizer rule rewrites one node, looking at its inputs (and their inputs) as it needs,
 * and returns the replacement — or `undefined` when it has nothing to do. A rule must return
 * `undefined` once its rewrite is done, or the driver would apply it forever.
 */
export interface Rule {
  readonly name: string;
  apply(node: PlanNode): PlanNode | undefined;
}

/**
 * Rules that run together. `once`: one bottom-up walk, each rule tried once per node.
 * `fixpoint`: every node is rewritten until no rule of the batch applies to it or below it.
 */
export interface Batch {
  readonly name: string;
  readonly strategy: "once" | "fixpoint";
  readonly rules: readonly Rule[];
}

/** Runs the batches in order over a plan. */
export function runBatches(plan: PlanNode, batches: readonly Batch[]): PlanNode {
  let p = plan;
  for (const batch of batches)
    p = batch.strategy === "once" ? runOnce(p, batch) : runToFixpoint(p, batch);
  return p;
}

function runOnce(plan: PlanNode, batch: Batch): PlanNode {
  return transformPlan(plan, (node) => {
    let n = node;
    for (const rule of batch.rules) n = rule.apply(n) ?? n;
    return n;
  });
}

const countNodes = (n: PlanNode): number =>
  1 + planInputs(n).reduce((s, i) => s + countNodes(i), 0);

/**
 * Bottom-up to a fixpoint: a node's inputs are settled first, then rules are applied to the
 * node until none fires; whatever a rewrite puts below the node is settled in turn. Nodes are
 * immutable and rules pure, so a settled node stays settled and is never visited again.
 * Every rewrite counts against a bound proportional to the plan's size: rules that undo each
 * other would otherwise loop forever, and the error names them.
 */
export function runToFixpoint(plan: PlanNode, batch: Batch): PlanNode {
  const settled = new WeakSet<PlanNode>();
  const bound = 1000 + 200 * countNodes(plan);
  const recent: string[] = [];
  let rewrites = 0;

  const settleInputs = (node: PlanNode): PlanNode => {
    const inputs = planInputs(node);
    const next = inputs.map(settle);
    return next.some((n, i) => n !== inputs[i]) ? withInputs(node, next) : node;
  };

  const settle = (node: PlanNode): PlanNode => {
    if (settled.has(node)) return node;
    let cur = settleInputs(node);
    for (;;) {
      let fired: PlanNode | undefined;
      for (const rule of batch.rules) {
        fired = rule.apply(cur);
        if (fired === undefined) continue;
        rewrites++;
        recent.push(rule.name);
        if (recent.length > 20) recent.shift();
        if (rewrites > bound) throw oscillation(batch, recent, rewrites);
        break;
      }
      if (fired === undefined) break;
      cur = settleInputs(fired);
    }
    settled.add(cur);
    return cur;
  };

  return settle(plan);
}

function oscillation(batch: Batch, recent: string[], rewrites: number): Error {
  const counts = new Map<string, number>();
  for (const r of recent) counts.set(r, (counts.get(r) ?? 0) + 1);
  const names = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([n]) => `"${n}"`);
  const who = names.length > 1 ? `rules ${names.join(" and ")} keep` : `rule ${names[0]} keeps`;
  return new Error(
    `internal: optimizer batch "${batch.name}" did not settle after ${rewrites} rewrites; ${who} rewriting the plan (a rule that never finishes, or rules that undo each other). This is a bug in deft; please report it with the query's explain().`,
  );
}
