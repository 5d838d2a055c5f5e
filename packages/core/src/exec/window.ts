import type { Data, RecordBatch, Schema } from "apache-arrow";
import { formatExpr } from "../expr/expr.js";
import { concatData, makeBatch } from "../kernels/take-concat.js";
import type { WindowNode } from "../plan/nodes.js";
import { type ExecContext, throwIfAborted } from "./context.js";
import type { Operator } from "./operator.js";
import {
  PARALLEL_WINDOW_ROWS,
  PARALLEL_WINDOW_THREADS,
  parallelWindowColumns,
} from "./parallel-window.js";
import { windowColumns, windowSpec } from "./window-compute.js";

/**
 * Window functions over the whole input (blocking), computed by window-compute.ts here or, with
 * partitions and enough threads, per bucket of whole partitions on the compute threads
 * (parallel-window.ts). The input batches come out as they went in, in input order, with the
 * window columns appended.
 */
export class WindowOperator implements Operator {
  readonly name = "Window";
  readonly schema: Schema;
  readonly children: readonly Operator[];
  constructor(
    private readonly node: WindowNode,
    private readonly input: Operator,
  ) {
    this.schema = node.schema;
    this.children = [input];
  }
  describe(): string {
    const n = this.node;
    const keys = [
      n.partitionBy.length ? `partitionBy=[${n.partitionBy.join(", ")}]` : "",
      n.orderBy.length ? `orderBy=[${n.orderBy.map((k) => k.name).join(", ")}]` : "",
    ].filter(Boolean);
    const where = n.partitionBy.length
      ? [
          `[partitions hashed into one bucket per thread, on the compute threads from ${PARALLEL_WINDOW_THREADS} threads and ${PARALLEL_WINDOW_ROWS} rows, else here]`,
        ]
      : [];
    return [...keys, ...n.fns.map((f) => `${f.name}=${formatExpr(f.fn)}`), ...where].join(", ");
  }
  async *execute(ctx: ExecContext): AsyncGenerator<RecordBatch> {
    const batches: RecordBatch[] = [];
    for await (const batch of this.input.execute(ctx)) {
      throwIfAborted(ctx.signal);
      if (batch.numRows > 0) batches.push(batch);
    }
    if (batches.length === 0) return;
    const fields = this.input.schema.fields;
    const columns = new Map<string, Data>();
    const column = (name: string): Data => {
      let d = columns.get(name);
      if (!d) {
        const k = fields.findIndex((f) => f.name === name);
        d = concatData(
          fields[k]!.type,
          batches.map((b) => b.data.children[k]!),
        );
        columns.set(name, d);
      }
      return d;
    };
    const n = batches.reduce((s, b) => s + b.numRows, 0);
    const spec = windowSpec(this.node);
    const out =
      (await parallelWindowColumns(spec, column, n, ctx)) ??
      windowColumns(spec, column, n, ctx.signal);
    // The input batches again, each with its slice of the window columns.
    let at = 0;
    for (const b of batches) {
      const len = b.numRows;
      yield makeBatch(this.schema, [...b.data.children, ...out.map((c) => c.slice(at, len))], len);
      at += len;
    }
  }
}
