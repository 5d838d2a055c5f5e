// The dependency graph of a pipeline: an edge wherever an input name equals another node's
// output. Everything here is checked before any node runs.
import { type BranchGate, gatesOf, isGate } from "./branch.js";
import type { NestedPipelineNode, Node } from "./node.js";

/** A pipeline's checked dependency graph (`Pipeline.graph`). */
export interface Graph {
  /** All nodes, in a topological order (ties keep the order they were given in). */
  readonly order: readonly Node[];
  /** Produced name -> the node producing it (the first one, for a name branch targets share). */
  readonly producers: ReadonlyMap<string, Node>;
  /**
   * Names produced by more than one node -> those nodes: allowed only for branch targets,
   * which exclude each other per item (the result holds the one that ran).
   */
  readonly exclusiveProducers: ReadonlyMap<string, readonly Node[]>;
  /** Branch target -> the branches it waits on and the decisions under which it runs. */
  readonly gates: ReadonlyMap<Node, readonly BranchGate[]>;
  /** Names some node consumes and no node produces: the pipeline's inputs. */
  readonly rootInputs: readonly string[];
  /** Root inputs every consumer declares with a default value. */
  readonly optionalInputs: ReadonlySet<string>;
  /** Every produced name, in topological order (branch decisions are not among them). */
  readonly outputs: readonly string[];
  /**
   * Outputs of nested pipeline nodes that no other node reads while another output of the
   * same nested node is read: left out of a run's default outputs, so they are not computed.
   */
  readonly pruned: ReadonlySet<string>;
}

/** What one `run`/`map` call executes: the needed nodes in order and what to return. */
export interface ExecPlan {
  /** Only the nodes the outputs need, in topological order. */
  readonly nodes: readonly Node[];
  /** The produced names the caller asked for. */
  readonly outputs: readonly string[];
  /** Per nested pipeline node in `nodes`: the inner outputs to compute (the others are not). */
  readonly nested: ReadonlyMap<NestedPipelineNode, readonly string[]>;
}

const quote = (n: Node) => `node "${n.name}"`;

/** Builds and checks the graph: two producers of one name, or a cycle, throw here. */
export function buildGraph(nodes: readonly Node[], pipeline: string): Graph {
  const gates = gatesOf(nodes, pipeline);
  const producers = new Map<string, Node>();
  const exclusive = new Map<string, Node[]>();
  for (const n of nodes) {
    for (const out of n.outputs) {
      const other = producers.get(out);
      if (other) {
        if (isGate(out) || !gates.has(other) || !gates.has(n)) {
          throw new Error(
            `Pipeline "${pipeline}": "${out}" is produced by both ${quote(other)} and ${quote(n)}. ` +
              "Give one of them another output name (only the targets of branches may share one).",
          );
        }
        const list = exclusive.get(out) ?? [other];
        list.push(n);
        exclusive.set(out, list);
        continue;
      }
      producers.set(out, n);
    }
  }
  const producersOf = (name: string): readonly Node[] => {
    const p = producers.get(name);
    return exclusive.get(name) ?? (p ? [p] : []);
  };
  const order = topologicalOrder(nodes, producersOf, gates, pipeline);
  const rootInputs: string[] = [];
  const required = new Set<string>();
  for (const n of order) {
    for (const input of n.inputs) {
      if (producers.has(input)) continue;
      if (!rootInputs.includes(input)) rootInputs.push(input);
      if (!n.optional.has(input)) required.add(input);
    }
  }
  const optionalInputs = new Set(rootInputs.filter((name) => !required.has(name)));
  const outputs = [...new Set(order.flatMap((n) => n.outputs))].filter((o) => !isGate(o));
  const read = new Set(order.flatMap((n) => n.inputs));
  const pruned = new Set<string>();
  for (const n of order) {
    if (n.kind !== "pipeline") continue;
    const unread = n.outputs.filter((o) => !read.has(o));
    if (unread.length < n.outputs.length) for (const o of unread) pruned.add(o);
  }
  return {
    order,
    producers,
    exclusiveProducers: exclusive,
    gates,
    rootInputs,
    optionalInputs,
    outputs,
    pruned,
  };
}

function topologicalOrder(
  nodes: readonly Node[],
  producersOf: (name: string) => readonly Node[],
  gates: ReadonlyMap<Node, readonly BranchGate[]>,
  pipeline: string,
): Node[] {
  const deps = new Map<Node, Set<Node>>();
  for (const n of nodes) {
    const d = new Set<Node>();
    for (const input of n.inputs) for (const p of producersOf(input)) d.add(p);
    for (const g of gates.get(n) ?? []) d.add(g.branch);
    deps.set(n, d);
  }
  const done = new Set<Node>();
  const order: Node[] = [];
  while (order.length < nodes.length) {
    const ready = nodes.find((n) => !done.has(n) && [...deps.get(n)!].every((d) => done.has(d)));
    if (!ready)
      throw cycleError(
        nodes.filter((n) => !done.has(n)),
        deps,
        pipeline,
      );
    done.add(ready);
    order.push(ready);
  }
  return order;
}

function cycleError(left: Node[], deps: Map<Node, Set<Node>>, pipeline: string): Error {
  // Every remaining node waits on another remaining one; walking dependencies must revisit one.
  const path: Node[] = [];
  let at = left[0]!;
  while (!path.includes(at)) {
    path.push(at);
    at = [...deps.get(at)!].find((d) => left.includes(d))!;
  }
  const cycle = [...path.slice(path.indexOf(at)), at].reverse();
  const steps = cycle.map((n, i) => {
    const next = cycle[i + 1];
    if (!next) return quote(n);
    const via =
      next.inputs.find((input) => n.outputs.includes(input)) ??
      (n.outputs.some(isGate) ? "branch" : undefined);
    return `${quote(n)} -(${via})->`;
  });
  return new Error(
    `Pipeline "${pipeline}" has a cycle: ${steps.join(" ")}. A node cannot depend on its own output.`,
  );
}

/**
 * Picks the nodes needed for `outputs` given the names the caller provides (a provided name
 * is used as is: its producer does not run). Throws, naming the nodes, when a needed input is
 * neither produced nor provided.
 */
export function planRun(
  graph: Graph,
  given: ReadonlySet<string>,
  outputs: readonly string[] | undefined,
  pipeline: string,
): ExecPlan {
  const wanted = outputs
    ? [...outputs]
    : graph.outputs.filter((o) => !given.has(o) && !graph.pruned.has(o));
  for (const o of wanted) {
    if (!graph.producers.has(o) && !given.has(o)) {
      throw new Error(
        `Pipeline "${pipeline}": no node produces the requested output "${o}". ` +
          `Outputs: ${graph.outputs.join(", ") || "(none)"}.`,
      );
    }
  }
  const needed = new Set<Node>();
  const nestedOuter = new Map<NestedPipelineNode, Set<string>>();
  const missing = new Map<string, string[]>();
  const visit = (name: string, consumer?: Node) => {
    if (given.has(name)) return;
    const first = graph.producers.get(name);
    if (first) {
      for (const producer of graph.exclusiveProducers.get(name) ?? [first]) {
        if (producer.kind === "pipeline") {
          const names = nestedOuter.get(producer) ?? new Set();
          names.add(name);
          nestedOuter.set(producer, names);
        }
        if (needed.has(producer)) continue;
        needed.add(producer);
        for (const input of producer.inputs) visit(input, producer);
        for (const g of graph.gates.get(producer) ?? []) visit(g.branch.outputs[0]!, producer);
      }
      return;
    }
    if (!consumer || consumer.optional.has(name)) return;
    const list = missing.get(name) ?? [];
    if (!list.includes(consumer.name)) list.push(consumer.name);
    missing.set(name, list);
  };
  for (const o of wanted) visit(o);
  if (missing.size > 0) {
    const parts = [...missing].map(
      ([name, users]) => `"${name}" (needed by ${users.map((u) => `node "${u}"`).join(", ")})`,
    );
    throw new Error(
      `Pipeline "${pipeline}": missing input${missing.size > 1 ? "s" : ""} ${parts.join(", ")}: ` +
        "no node produces it and it was not given. Pass it in the inputs of run()/map(), or bind() it.",
    );
  }
  const nested = new Map<NestedPipelineNode, string[]>();
  for (const [n, outer] of nestedOuter) {
    nested.set(
      n,
      Object.keys(n.outputMap).filter((inner) => outer.has(n.outputMap[inner]!)),
    );
  }
  return { nodes: graph.order.filter((n) => needed.has(n)), outputs: wanted, nested };
}
