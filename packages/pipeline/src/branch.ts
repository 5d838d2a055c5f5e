// Branch nodes: a predicate over named inputs that picks which of two target nodes runs, per
// item. The target not chosen, and every node that needs a value only a skipped node would
// have produced, is skipped: its outputs are absent from the result. Every engine asks
// `skipReason` the same question before it runs a node for an item.
import { type AnyFunction, callable, type FunctionNode, type Node } from "./node.js";
import { parseParams } from "./params.js";

/** Options of `branch(opts, predicate)`. */
export interface BranchOptions {
  /** The node that runs when the predicate returns true (it must be in the same pipeline). */
  whenTrue: Node;
  /** The node that runs when the predicate returns false (it must be in the same pipeline). */
  whenFalse: Node;
  /** Shown in errors and callbacks; by default the predicate's function name. */
  name?: string;
  /** Input names; by default the predicate's parameter names. */
  inputs?: readonly string[];
}

/** A branch node made by `branch(opts, predicate)`: a function node whose output is its decision. */
export interface BranchNode extends FunctionNode {
  /** The two targets: only the one the predicate picks runs for an item. */
  readonly branch: {
    /** Runs when the predicate returns true. */
    readonly whenTrue: Node;
    /** Runs when the predicate returns false. */
    readonly whenFalse: Node;
  };
}

/** Whether `n` is a branch node. */
export function isBranch(n: Node): n is BranchNode {
  return n.kind === "function" && (n as Partial<BranchNode>).branch !== undefined;
}

/** The hidden name a branch node's decision travels under (never part of a result). */
export function gateOf(b: BranchNode): string {
  return b.outputs[0]!;
}

/** Whether `name` is a branch decision's hidden name. */
export function isGate(name: string): boolean {
  return name.startsWith(GATE_PREFIX);
}

const GATE_PREFIX = "\u0000branch:";

/**
 * A branch node: `predicate` (sync or async, its parameters are its inputs, like `node()`)
 * returns true or false per item, and only `whenTrue` or `whenFalse` runs. Both targets may
 * produce the same output name; the result then holds the chosen one's. The node is also the
 * plain predicate: `isPositive(5)` returns `true`. It always runs on the main thread and is
 * never cached.
 */
export function branch<F extends AnyFunction>(opts: BranchOptions, predicate: F): BranchNode & F {
  if (typeof predicate !== "function") {
    throw new TypeError("branch(opts, predicate): predicate must be a function.");
  }
  const label =
    opts.name ??
    (predicate.name && predicate.name !== "anonymous" ? predicate.name : undefined) ??
    "branch";
  for (const side of ["whenTrue", "whenFalse"] as const) {
    const t = opts[side] as Partial<Node> | undefined;
    if (!t || typeof t.kind !== "string" || !Array.isArray(t.outputs)) {
      throw new TypeError(
        `Branch "${label}": ${side} must be a node (made by node(), node.cls(), branch() or asNode()).`,
      );
    }
  }
  const parsed =
    opts.inputs === undefined
      ? parseParams(predicate, label)
      : { names: [...opts.inputs], optional: [], objectParam: parseObject(predicate, label) };
  const fn = predicate as unknown as (...a: unknown[]) => unknown;
  // Async, so that no engine ships it to worker threads: the decision steers the main thread.
  const decide = async (...args: unknown[]): Promise<boolean> => {
    const d = await fn(...args);
    if (typeof d !== "boolean") {
      throw new TypeError(
        `branch "${label}" must return true or false; it returned ${typeof d === "string" ? JSON.stringify(d) : String(d)} (${typeof d}).`,
      );
    }
    return d;
  };
  const props: BranchNode = {
    kind: "function",
    fn: decide,
    objectParam: parsed.objectParam,
    name: label,
    inputs: parsed.names,
    outputs: [`${GATE_PREFIX}${label}`],
    optional: new Set(parsed.optional),
    tuple: false,
    options: { cache: false },
    branch: { whenTrue: opts.whenTrue, whenFalse: opts.whenFalse },
  };
  return callable((...args: never[]) => predicate(...args), props) as BranchNode & F;
}

function parseObject(fn: AnyFunction, label: string): boolean {
  try {
    return parseParams(fn, label).objectParam;
  } catch {
    return false;
  }
}

/** One branch a target waits on, and the decisions under which the target runs. */
export interface BranchGate {
  /** The branch node whose decision the target waits for. */
  readonly branch: BranchNode;
  /** The decisions under which the target runs (both when it is both targets). */
  readonly when: readonly boolean[];
}

/** Marks a value no node produced for an item (its producer was skipped). */
export const ABSENT: unique symbol = Symbol("deft.absent");

/**
 * Why node `n` does not run for an item, or undefined when it runs. `get(name)` is the item's
 * value of `name`, or ABSENT. A target runs when each branch it waits on ran and chose it; any
 * node is skipped when one of its required inputs is ABSENT.
 */
export function skipReason(
  gates: readonly BranchGate[] | undefined,
  n: Node,
  get: (name: string) => unknown,
): string | undefined {
  for (const g of gates ?? []) {
    const d = get(gateOf(g.branch));
    if (d === ABSENT) return `branch "${g.branch.name}" was skipped`;
    if (!g.when.includes(d as boolean)) {
      return `branch "${g.branch.name}" chose ${d ? "whenTrue" : "whenFalse"} (node "${targetOf(g.branch, d as boolean).name}")`;
    }
  }
  for (const i of n.inputs) {
    if (!n.optional.has(i) && get(i) === ABSENT) {
      return `its input "${i}" was not produced (its producer was skipped)`;
    }
  }
  return undefined;
}

/** The node a decision picks. */
export function targetOf(b: BranchNode, decision: boolean): Node {
  return decision ? b.branch.whenTrue : b.branch.whenFalse;
}

/** The error when two producers of one name both ran for an item. */
export function bothProducedError(pipeline: string, name: string, item: number): Error {
  return new Error(
    `Pipeline "${pipeline}": "${name}" was produced by two nodes for item ${item}. Nodes may share an output name only when they are the two targets of one branch (or are on paths that exclude each other); rename one output.`,
  );
}

/**
 * Each branch target's gates. Throws, naming the branch and the side, when a target is not one
 * of `nodes` (the very node object given to `branch()`).
 */
export function gatesOf(nodes: readonly Node[], pipeline: string): Map<Node, BranchGate[]> {
  const gates = new Map<Node, BranchGate[]>();
  const present = new Set(nodes);
  for (const b of nodes) {
    if (!isBranch(b)) continue;
    for (const side of ["whenTrue", "whenFalse"] as const) {
      const t = b.branch[side];
      if (!present.has(t)) {
        throw new Error(
          `Pipeline "${pipeline}": branch "${b.name}" targets node "${t.name}" as ${side}, but that node is not in the pipeline. ` +
            "Add that node (the same object given to branch()) to the pipeline's nodes.",
        );
      }
      const list = gates.get(t) ?? [];
      const mine = list.find((g) => g.branch === b);
      const when = side === "whenTrue";
      if (mine) (mine.when as boolean[]).push(when);
      else list.push({ branch: b, when: [when] });
      gates.set(t, list);
    }
  }
  return gates;
}
