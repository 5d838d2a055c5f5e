// Hooks a run calls as it goes. Every engine calls them from the main thread.

/**
 * Values the callbacks of one run share: one context per `run`/`map` call (its nested
 * pipelines included), handed to every callback with every event, so one callback can leave a
 * value (a span id, a timer) that another reads later in the same run.
 */
export class CallbackContext {
  private readonly values = new Map<string, unknown>();

  /** Stores `value` under `key` for the rest of the run (replacing any earlier value). */
  set(key: string, value: unknown): void {
    this.values.set(key, value);
  }

  /** The value stored under `key` in this run, or undefined. */
  get(key: string): unknown {
    return this.values.get(key);
  }

  /** Whether a value is stored under `key`. */
  has(key: string): boolean {
    return this.values.has(key);
  }

  /** Removes the value under `key`; true when there was one. */
  delete(key: string): boolean {
    return this.values.delete(key);
  }
}

/** A run or map call of one pipeline (nested pipelines included) starting or ending. */
export interface PipelineEvent {
  /** Shared by every callback for the whole run/map call. */
  ctx: CallbackContext;
  /** The pipeline's name (a nested pipeline reports its own name). */
  pipeline: string;
  /** How many items this run/map call processes (1 for run). */
  items: number;
}

/** One item of a run/map call starting or ending. */
export interface ItemEvent {
  /** Shared by every callback for the whole run/map call. */
  ctx: CallbackContext;
  /** The name of the pipeline the item belongs to. */
  pipeline: string;
  /** The item's index in the map call (0 for run; the element index inside a nested map). */
  item: number;
}

/** One call of one node for one item. */
export interface NodeEvent extends ItemEvent {
  /** The node's name (`NodeOptions.name`). */
  node: string;
  /** The values the node is called with, by input name (optional inputs left out when absent). */
  inputs: Readonly<Record<string, unknown>>;
}

/** A branch node's decision for one item. */
export interface BranchDecisionEvent extends ItemEvent {
  /** The branch node's name. */
  node: string;
  /** What its predicate returned. */
  decision: boolean;
  /** The name of the target that runs (`whenTrue` when the decision is true, else `whenFalse`). */
  target: string;
}

/** A node that does not run for one item, because a branch steered the item elsewhere. */
export interface NodeSkippedEvent extends ItemEvent {
  /** The skipped node's name. */
  node: string;
  /** Why: the branch that chose the other target, or the input that was not produced. */
  reason: string;
}

/**
 * Implement any subset. Callbacks must not throw; an exception from one fails the run (it is a
 * bug in the callback, and hiding it would hide the bug).
 */
export interface Callbacks {
  /** A pipeline's run/map call begins (a nested pipeline's too, each time it runs). */
  onPipelineStart?(e: PipelineEvent): void;
  /** A pipeline's call ended after `ms` milliseconds; `error` is set when it failed. */
  onPipelineEnd?(e: PipelineEvent & { ms: number; error?: Error }): void;
  /** An item begins. */
  onMapItemStart?(e: ItemEvent): void;
  /** An item ended after `ms` milliseconds; `error` is set when it failed. */
  onMapItemEnd?(e: ItemEvent & { ms: number; error?: Error }): void;
  /** A node call begins (once per attempt when the node retries). */
  onNodeStart?(e: NodeEvent): void;
  /** A node call succeeded in `ms` milliseconds; `outputs` are its results by output name. */
  onNodeEnd?(e: NodeEvent & { ms: number; outputs: Readonly<Record<string, unknown>> }): void;
  /** The node's result came from the cache; the node did not run (no start/end for it). */
  onNodeCached?(e: NodeEvent & { outputs: Readonly<Record<string, unknown>> }): void;
  /** A call failed; `willRetry` says whether another attempt follows. */
  onNodeError?(e: NodeEvent & { error: Error; attempt: number; willRetry: boolean }): void;
  /** A branch node decided which of its two targets runs for an item. */
  onBranchDecision?(e: BranchDecisionEvent): void;
  /** A node is skipped for an item (no start/end for it); its outputs are absent. */
  onNodeSkipped?(e: NodeSkippedEvent): void;
}

type Hook = keyof Callbacks;
type Arg<K extends Hook> = Omit<Parameters<NonNullable<Callbacks[K]>>[0], "ctx">;

const HOOKS: readonly Hook[] = [
  "onPipelineStart",
  "onPipelineEnd",
  "onMapItemStart",
  "onMapItemEnd",
  "onNodeStart",
  "onNodeEnd",
  "onNodeCached",
  "onNodeError",
  "onBranchDecision",
  "onNodeSkipped",
];

/** Calls `hook` on every callback object that has it. */
export function emit<K extends Hook>(list: readonly Callbacks[], hook: K, event: Arg<K>): void {
  for (const cb of list) {
    const f = cb[hook] as ((e: Arg<K>) => void) | undefined;
    if (f) f.call(cb, event);
  }
}

/** The callbacks of one run, each event given that run's new CallbackContext as `ctx`. */
export function withContext(list: readonly Callbacks[]): Callbacks[] {
  if (list.length === 0) return [];
  const ctx = new CallbackContext();
  return list.map((cb) => {
    const wrapped: Record<string, (e: object) => void> = {};
    for (const hook of HOOKS) {
      const f = cb[hook] as ((e: object) => void) | undefined;
      if (f) wrapped[hook] = (e) => f.call(cb, { ...e, ctx });
    }
    return wrapped as Callbacks;
  });
}
