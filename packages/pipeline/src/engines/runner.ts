// Runs plans item by item on the main thread: the shared core of SequentialEngine and
// PoolEngine (they differ in how items fan out and whether independent nodes overlap).
import { withRetry } from "@deft/core/internal";
import { ABSENT } from "../branch.js";
import type { Cache } from "../cache.js";
import { type Callbacks, emit } from "../callbacks.js";
import { NodeError } from "../errors.js";
import { type ExecPlan, planRun } from "../graph.js";
import { hashValues, sha256 } from "../hash.js";
import type { ClassNode, FunctionNode, NestedPipelineNode, Node } from "../node.js";
import type { Pipeline, Values } from "../pipeline.js";
import { signatures } from "../signature.js";
import { activeRows, eitherOf, hasBranches, reportDecision, skippedInItem } from "./branching.js";
import { dualGroups, isDual, runBatch } from "./dual.js";
import { type Instance, instantiate } from "./instances.js";
import { callArgs, splitOutputs } from "./node-args.js";
import type { WorkerCalls } from "./pool-workers.js";
import { Semaphore } from "./semaphore.js";

export interface RunnerConfig {
  readonly cache?: Cache;
  readonly callbacks: readonly Callbacks[];
  /** Runs `fn` for 0..n-1 and resolves to the results in index order. */
  forEachItem<T>(n: number, fn: (i: number) => Promise<T>): Promise<T[]>;
  /** Start a node as soon as its inputs are ready (otherwise one node at a time). */
  readonly concurrentNodes: boolean;
  /** Runs a node's call on worker threads (resolving to its outputs), or undefined to run it here. */
  readonly workers?: WorkerCalls;
}

/** What one top-level run shares: stateful instances and per-node concurrency limits. */
export interface RunState {
  instances: Map<ClassNode, Promise<Instance>>;
  limits: Map<Node, Semaphore>;
}

type Fn = (...args: unknown[]) => unknown;

export class Runner {
  constructor(private readonly config: RunnerConfig) {}

  /**
   * Runs the plan for every item; pipeline and item callbacks included. `batched` (a map
   * call): dual nodes call their batch implementation once for all the items.
   */
  async run(
    pipeline: Pipeline,
    plan: ExecPlan,
    items: readonly Values[],
    batched = false,
  ): Promise<Values[]> {
    return this.runItems(pipeline, plan, items, newRunState(), batched);
  }

  private async runItems(
    pipeline: Pipeline,
    plan: ExecPlan,
    items: readonly Values[],
    state: RunState,
    batched: boolean,
  ): Promise<Values[]> {
    const { callbacks } = this.config;
    const started = performance.now();
    emit(callbacks, "onPipelineStart", { pipeline: pipeline.name, items: items.length });
    try {
      const results =
        batched && plan.nodes.some(isDual)
          ? await this.runStaged(pipeline, plan, items, state)
          : await this.config.forEachItem(items.length, (i) =>
              this.runItemWithEvents(pipeline, plan, items[i]!, i, state),
            );
      emit(callbacks, "onPipelineEnd", {
        pipeline: pipeline.name,
        items: items.length,
        ms: performance.now() - started,
      });
      return results;
    } catch (err) {
      emit(callbacks, "onPipelineEnd", {
        pipeline: pipeline.name,
        items: items.length,
        ms: performance.now() - started,
        error: err as Error,
      });
      throw err;
    }
  }

  /**
   * The items node group by node group: the nodes between dual nodes run per item (as
   * `forEachItem` fans them out), and each dual node runs once, as a batch over all items.
   */
  private async runStaged(
    pipeline: Pipeline,
    plan: ExecPlan,
    items: readonly Values[],
    state: RunState,
  ): Promise<Values[]> {
    const { callbacks } = this.config;
    const t0 = performance.now();
    const indexes = items.map((_, i) => i);
    for (const i of indexes)
      emit(callbacks, "onMapItemStart", { pipeline: pipeline.name, item: i });
    const values = items.map((it) => ({ ...it }));
    try {
      for (const group of dualGroups(plan.nodes)) {
        if (group.length === 1 && isDual(group[0]!)) {
          const rows = hasBranches(pipeline)
            ? activeRows(callbacks, pipeline, group[0], { values, items: indexes })
            : { values, items: indexes };
          await this.runBatch(pipeline, group[0], rows.values, rows.items, state);
          continue;
        }
        const sub: ExecPlan = {
          nodes: group,
          outputs: group.flatMap((n) => n.outputs),
          nested: plan.nested,
        };
        const done = await this.config.forEachItem(values.length, (i) =>
          this.runItem(pipeline, sub, values[i]!, i, state),
        );
        done.forEach((v, i) => {
          values[i] = v;
        });
      }
    } catch (err) {
      for (const i of indexes) itemEnd(callbacks, pipeline, i, t0, err as Error);
      throw err;
    }
    return values.map((v, i) => {
      itemEnd(callbacks, pipeline, i, t0);
      const out: Values = { ...items[i] };
      for (const o of plan.outputs) if (o in v) out[o] = v[o];
      return out;
    });
  }

  /** A dual node's batch call over `rows` (see dual.ts), with this runner's cache and callbacks. */
  runBatch(
    pipeline: Pipeline,
    n: FunctionNode,
    rows: Values[],
    items: readonly number[],
    state: RunState,
  ): Promise<void> {
    return runBatch(this.config, pipeline, n, rows, items, state);
  }

  /** One item, with its item start/end callbacks. */
  async runItemWithEvents(
    pipeline: Pipeline,
    plan: ExecPlan,
    item: Values,
    i: number,
    state: RunState,
  ): Promise<Values> {
    const { callbacks } = this.config;
    const t0 = performance.now();
    emit(callbacks, "onMapItemStart", { pipeline: pipeline.name, item: i });
    try {
      const out = await this.runItem(pipeline, plan, item, i, state);
      itemEnd(callbacks, pipeline, i, t0);
      return out;
    } catch (err) {
      itemEnd(callbacks, pipeline, i, t0, err as Error);
      throw err;
    }
  }

  private async runItem(
    pipeline: Pipeline,
    plan: ExecPlan,
    item: Values,
    index: number,
    state: RunState,
  ): Promise<Values> {
    const values = new Map<string, Promise<unknown>>();
    for (const [k, v] of Object.entries(item)) values.set(k, Promise.resolve(v));
    const done: Promise<void>[] = [];
    let firstError: { error: unknown } | undefined;
    let previous: Promise<unknown> = Promise.resolve();
    const branching = hasBranches(pipeline);
    /** Names a node of this item produces (a second producer's value is merged in). */
    const fromNodes = new Set<string>();
    for (const n of plan.nodes) {
      const gather = async (): Promise<Values> => {
        const args: Values = {};
        for (const input of n.inputs) {
          const v = values.get(input);
          if (v === undefined) continue;
          const x = await v;
          if (x !== ABSENT) args[input] = x;
        }
        return args;
      };
      const after = this.config.concurrentNodes ? Promise.resolve() : previous;
      const result = after.then(gather).then(async (args) => {
        const { callbacks } = this.config;
        if (branching && (await skippedInItem(callbacks, pipeline, n, args, values, index))) {
          return n.outputs.map(() => ABSENT);
        }
        const outs = await this.runNode(
          pipeline,
          n,
          args,
          index,
          state,
          n.kind === "pipeline" ? plan.nested.get(n) : undefined,
        );
        if (branching) reportDecision(callbacks, pipeline, n, outs[0], index);
        return outs;
      });
      // Observed here so a failure leaves no unhandled rejection; the first one is rethrown.
      done.push(
        result.then(
          () => {},
          (error: unknown) => {
            firstError ??= { error };
          },
        ),
      );
      previous = handled(result);
      n.outputs.forEach((out, j) => {
        const mine = result.then((outs) => outs[j]);
        const earlier = fromNodes.has(out) ? values.get(out) : undefined;
        values.set(out, handled(earlier ? eitherOf(earlier, mine, pipeline, out, index) : mine));
        fromNodes.add(out);
      });
    }
    await Promise.all(done);
    if (firstError) throw firstError.error;
    const out: Values = { ...item };
    for (const name of plan.outputs) {
      const v = await values.get(name);
      if (v !== ABSENT) out[name] = v;
    }
    return out;
  }

  /**
   * One call of one node for one item: cache, callbacks, retries, tuple splitting. For a
   * nested pipeline, `innerOutputs` are the inner outputs to compute (default all it exposes).
   */
  async runNode(
    pipeline: Pipeline,
    n: Node,
    args: Values,
    item: number,
    state: RunState,
    innerOutputs?: readonly string[],
  ): Promise<unknown[]> {
    const { cache, callbacks } = this.config;
    const event = { pipeline: pipeline.name, node: n.name, item, inputs: args };
    if (n.kind === "pipeline") return this.runNested(n, args, state, innerOutputs);
    let key: string | undefined;
    if (cache && n.options.cache !== false) {
      const sig = signatures(pipeline.graph).get(n)!;
      key = sha256(
        sig,
        hashValues(
          n.inputs.map((i) => args[i]),
          `node "${n.name}" inputs`,
        ),
      );
      const hit = await cache.get(key);
      if (hit) {
        const outs = hit.value as unknown[];
        emit(callbacks, "onNodeCached", { ...event, outputs: namedOutputs(n, outs) });
        return outs;
      }
    }
    const retries = n.options.retries ?? 0;
    let limit = state.limits.get(n);
    if (!limit && n.options.maxConcurrency !== undefined) {
      limit = new Semaphore(n.options.maxConcurrency);
      state.limits.set(n, limit);
    }
    let t0 = 0;
    const call = () => this.callNode(n, args, state);
    const r = await withRetry(
      () => {
        t0 = performance.now();
        emit(callbacks, "onNodeStart", event);
        return limit ? limit.use(call) : call();
      },
      { retries },
      {
        retry: (attempt, _delayMs, err) =>
          emit(callbacks, "onNodeError", {
            ...event,
            error: asError(err),
            attempt,
            willRetry: true,
          }),
      },
    );
    if (!r.ok) {
      emit(callbacks, "onNodeError", {
        ...event,
        error: asError(r.error),
        attempt: r.attempts,
        willRetry: false,
      });
      throw new NodeError({ ...event, attempts: r.attempts }, r.error);
    }
    const outs = r.value;
    emit(callbacks, "onNodeEnd", {
      ...event,
      ms: performance.now() - t0,
      outputs: namedOutputs(n, outs),
    });
    if (key !== undefined) await cache!.set(key, outs);
    return outs;
  }

  /** The node's outputs for one call: on workers when configured, else here. */
  private async callNode(
    n: FunctionNode | ClassNode,
    args: Values,
    state: RunState,
  ): Promise<unknown[]> {
    const { workers } = this.config;
    const remote = workers?.call(n, args);
    if (remote) return remote;
    const positional = callArgs(n, args);
    let value: unknown;
    if (n.kind === "function") value = await (n.fn as Fn)(...positional);
    else {
      let instance = state.instances.get(n);
      if (!instance) {
        instance = instantiate(n);
        state.instances.set(n, instance);
      }
      value = await (await instance).call(...positional);
    }
    return splitOutputs(n, value);
  }

  /** A nested pipeline: once, or once per element of its mapped inputs (outputs as lists). */
  private async runNested(
    n: NestedPipelineNode,
    args: Values,
    state: RunState,
    wanted: readonly string[] | undefined,
  ): Promise<unknown[]> {
    const inner = n.pipeline;
    const innerOf = new Map(Object.entries(n.inputMap));
    const base: Values = { ...n.boundInputs };
    for (const outer of n.inputs) {
      if (outer in args && !n.mapOver.includes(outer))
        base[innerOf.get(outer) ?? outer] = args[outer];
    }
    const innerOutputs = wanted ?? Object.keys(n.outputMap);
    const plan = planRun(
      inner.graph,
      new Set([...Object.keys(base), ...n.mapOver.map((m) => innerOf.get(m) ?? m)]),
      innerOutputs,
      inner.name,
    );
    if (n.mapOver.length === 0) {
      const [result] = await this.runItems(inner, plan, [base], state, false);
      return exposed(n, innerOutputs, (o) => (o in result! ? result![o] : ABSENT));
    }
    const lists = n.mapOver.map((m) => {
      const v = args[m];
      if (!Array.isArray(v)) {
        throw new Error(
          `Nested pipeline node "${n.name}": mapOver input "${m}" must be an array (got ${typeof v}).`,
        );
      }
      return v as unknown[];
    });
    const len = lists[0]!.length;
    if (lists.some((l) => l.length !== len)) {
      const lengths = n.mapOver.map((m, i) => `${m}: ${lists[i]!.length}`).join(", ");
      throw new Error(
        `Nested pipeline node "${n.name}": mapped inputs must have equal lengths, got ${lengths}.`,
      );
    }
    const items = Array.from({ length: len }, (_, i) => {
      const it: Values = { ...base };
      n.mapOver.forEach((m, j) => {
        it[innerOf.get(m) ?? m] = lists[j]![i];
      });
      return it;
    });
    const results = await this.runItems(inner, plan, items, state, true);
    return exposed(n, innerOutputs, (o) => results.map((r) => r[o]));
  }
}

/** A nested node's outputs in `n.outputs` order: computed ones from `value`, others undefined. */
function exposed(
  n: NestedPipelineNode,
  computed: readonly string[],
  value: (inner: string) => unknown,
): unknown[] {
  const innerOf = new Map(Object.entries(n.outputMap).map(([inner, outer]) => [outer, inner]));
  return n.outputs.map((outer) => {
    const inner = innerOf.get(outer)!;
    return computed.includes(inner) ? value(inner) : undefined;
  });
}

/** An item's end event: its time since `t0`, and its error when it failed. */
function itemEnd(
  callbacks: RunnerConfig["callbacks"],
  pipeline: Pipeline,
  item: number,
  t0: number,
  error?: Error,
): void {
  const ms = performance.now() - t0;
  emit(callbacks, "onMapItemEnd", {
    pipeline: pipeline.name,
    item,
    ms,
    ...(error ? { error } : {}),
  });
}

export function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

/** Marks a promise's rejection as observed (it is rethrown where the promise is awaited). */
function handled<T>(p: Promise<T>): Promise<T> {
  p.catch(() => {});
  return p;
}

export function newRunState(): RunState {
  return { instances: new Map(), limits: new Map() };
}

export function namedOutputs(n: Node, outs: readonly unknown[]): Values {
  const named: Values = {};
  n.outputs.forEach((o, i) => {
    if (outs[i] !== ABSENT) named[o] = outs[i];
  });
  return named;
}
