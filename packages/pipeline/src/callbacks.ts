// Hooks a run calls as it goes. Every engine calls them from the main thread.

export interface PipelineEvent {
  /** The pipeline's name (a nested pipeline reports its own name). */
  pipeline: string;
  /** How many items this run/map call processes (1 for run). */
  items: number;
}

export interface ItemEvent {
  pipeline: string;
  /** The item's index in the map call (0 for run; the element index inside a nested map). */
  item: number;
}

export interface NodeEvent extends ItemEvent {
  node: string;
  inputs: Readonly<Record<string, unknown>>;
}

/**
 * Implement any subset. Callbacks must not throw; an exception from one fails the run (it is a
 * bug in the callback, and hiding it would hide the bug).
 */
export interface Callbacks {
  onPipelineStart?(e: PipelineEvent): void;
  onPipelineEnd?(e: PipelineEvent & { ms: number; error?: Error }): void;
  onMapItemStart?(e: ItemEvent): void;
  onMapItemEnd?(e: ItemEvent & { ms: number; error?: Error }): void;
  onNodeStart?(e: NodeEvent): void;
  onNodeEnd?(e: NodeEvent & { ms: number; outputs: Readonly<Record<string, unknown>> }): void;
  /** The node's result came from the cache; the node did not run (no start/end for it). */
  onNodeCached?(e: NodeEvent & { outputs: Readonly<Record<string, unknown>> }): void;
  /** A call failed; `willRetry` says whether another attempt follows. */
  onNodeError?(e: NodeEvent & { error: Error; attempt: number; willRetry: boolean }): void;
}

type Hook = keyof Callbacks;
type Arg<K extends Hook> = Parameters<NonNullable<Callbacks[K]>>[0];

/** Calls `hook` on every callback object that has it. */
export function emit<K extends Hook>(list: readonly Callbacks[], hook: K, event: Arg<K>): void {
  for (const cb of list) {
    const f = cb[hook] as ((e: Arg<K>) => void) | undefined;
    if (f) f.call(cb, event);
  }
}
