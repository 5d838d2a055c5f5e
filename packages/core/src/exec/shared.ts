import type { RecordBatch, Schema } from "apache-arrow";
import { encodeExpr } from "../plan/json/expr.js";
import type { PlanEncoder } from "../plan/node-kind.js";
import { kindOf, type PlanNode } from "../plan/nodes.js";
import type { SourceDescriptor } from "../plan/source.js";
import { isFileDescriptor } from "../sources/registry.js";
import { type ExecContext, throwIfAborted } from "./context.js";
import type { Operator } from "./operator.js";

/**
 * Aggregations that appear more than once in a plan, equal node for node (a DataFrame used
 * twice, as in TPC-H Q15's revenue and its maximum): each one runs once and every place that
 * reads it replays its batches. Only aggregations are shared: their results are as large as
 * their groups, they are read in full before anything comes out anyway, and they hold no
 * UDF (which may have effects, so it runs where it is written).
 */
export class SharedSubplans {
  private readonly groups = new Map<PlanNode, SharedResult>();

  constructor(root: PlanNode) {
    const ids = { next: 1, of: new WeakMap<SourceDescriptor, number>() };
    const byKey = new Map<string, PlanNode[]>();
    const keys = new Map<PlanNode, string | undefined>();
    const keyOf = (node: PlanNode): string | undefined => {
      if (keys.has(node)) return keys.get(node);
      const key = subplanKey(node, keyOf, ids);
      keys.set(node, key);
      if (key !== undefined && node.kind === "aggregate") {
        const same = byKey.get(key) ?? [];
        same.push(node);
        byKey.set(key, same);
      }
      return key;
    };
    keyOf(root);
    for (const same of byKey.values()) {
      if (same.length < 2) continue;
      const result = new SharedResult(same.length);
      for (const n of same) this.groups.set(n, result);
    }
  }

  /** The operator for `node`: a replay of its shared result, or undefined when not shared. */
  operator(node: PlanNode, lowerOnce: () => Operator): Operator | undefined {
    const group = this.groups.get(node);
    if (!group || group.lowering) return undefined;
    if (!group.inner) {
      group.lowering = true;
      try {
        group.inner = lowerOnce();
      } finally {
        group.lowering = false;
      }
    }
    return new SharedOperator(group, group.inner);
  }
}

/** The run of one shared subplan: started by its first reader, replayed to every reader. */
class SharedResult {
  inner: Operator | undefined;
  /** Set while the first reader lowers the subplan (which then lowers as itself). */
  lowering = false;
  private result: Promise<RecordBatch[]> | undefined;
  private lowered = 0;
  constructor(readonly readers: number) {}

  /** Which reader a new operator is (1-based), for explain. */
  nextReader(): number {
    return ++this.lowered;
  }

  batches(ctx: ExecContext): Promise<RecordBatch[]> {
    this.result ??= (async () => {
      const out: RecordBatch[] = [];
      for await (const b of this.inner!.execute(ctx)) {
        throwIfAborted(ctx.signal);
        out.push(b);
      }
      return out;
    })();
    return this.result;
  }
}

class SharedOperator implements Operator {
  readonly name = "Shared";
  readonly schema: Schema;
  readonly children: readonly Operator[];
  private readonly reader: number;
  constructor(
    private readonly group: SharedResult,
    inner: Operator,
  ) {
    this.schema = inner.schema;
    this.reader = group.nextReader();
    // The subplan is shown under its first reader only.
    this.children = this.reader === 1 ? [inner] : [];
  }
  describe(): string {
    return this.reader === 1
      ? `computed once, read ${this.group.readers} times`
      : `the result of the Shared subplan above (read ${this.reader} of ${this.group.readers})`;
  }
  async *execute(ctx: ExecContext): AsyncGenerator<RecordBatch> {
    // Each reader gets the same batches; Arrow batches are immutable, so no copy is needed.
    for (const b of await this.group.batches(ctx)) yield b;
  }
}

/**
 * A key equal for two subtrees exactly when they compute the same rows: each node's own
 * fields as the plan's JSON writes them, over its inputs' keys. Files are named by their
 * descriptors; other sources (memory tables, objects) by identity; a subtree with a UDF or a
 * sink has no key (it is never shared).
 */
function subplanKey(
  node: PlanNode,
  keyOf: (n: PlanNode) => string | undefined,
  ids: { next: number; of: WeakMap<SourceDescriptor, number> },
): string | undefined {
  if (node.kind === "udfProject" || node.kind === "sink") return undefined;
  const def = kindOf(node);
  const inputs: string[] = [];
  for (const input of def.inputs(node)) {
    const k = keyOf(input);
    if (k === undefined) return undefined;
    inputs.push(k);
  }
  let udf = false;
  const enc: PlanEncoder = {
    expr: (e) =>
      encodeExpr(e, () => {
        udf = true;
        return -1;
      }),
  };
  let own: unknown;
  if (node.kind === "source" && !isFileDescriptor(node.source)) {
    let id = ids.of.get(node.source);
    if (id === undefined) {
      id = ids.next++;
      ids.of.set(node.source, id);
    }
    own = {
      object: id,
      pushed: node.pushed.columns,
      filter: node.pushed.filter && enc.expr(node.pushed.filter),
      limit: node.pushed.limit,
    };
  } else {
    own = def.encode(node, enc);
  }
  if (udf) return undefined;
  return JSON.stringify({ kind: node.kind, own, inputs });
}
