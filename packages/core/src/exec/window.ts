import type { Data, RecordBatch, Schema } from "apache-arrow";
import { formatExpr } from "../expr/expr.js";
import { takeData } from "../kernels/take.js";
import { concatData, makeBatch } from "../kernels/take-concat.js";
import { windowAggregate } from "../kernels/window-agg.js";
import { type FrameBounds, frameBounds } from "../kernels/window-frame.js";
import { partitionedLayout, windowLayout } from "../kernels/window-layout.js";
import { partitionRows, toPartitioned } from "../kernels/window-partition.js";
import { windowFunction } from "../kernels/window-rank.js";
import type { WindowNode } from "../plan/nodes.js";
import { type ExecContext, throwIfAborted } from "./context.js";
import type { Operator } from "./operator.js";

/**
 * Window functions over the whole input (blocking): the rows are laid out by partition and
 * order once (window-layout.ts), each distinct frame's bounds are computed once, and each
 * function is one pass over the sorted rows (window-agg.ts, window-rank.ts), its results
 * written back at the input rows. The input batches come out as they went in, in input order,
 * with the window columns appended.
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
    return [...keys, ...n.fns.map((f) => `${f.name}=${formatExpr(f.fn)}`)].join(", ");
  }
  async *execute(ctx: ExecContext): AsyncGenerator<RecordBatch> {
    const batches: RecordBatch[] = [];
    for await (const batch of this.input.execute(ctx)) {
      throwIfAborted(ctx.signal);
      if (batch.numRows > 0) batches.push(batch);
    }
    if (batches.length === 0) return;
    const fields = this.input.schema.fields;
    const column = (name: string): Data => {
      const k = fields.findIndex((f) => f.name === name);
      return concatData(
        fields[k]!.type,
        batches.map((b) => b.data.children[k]!),
      );
    };
    const n = batches.reduce((s, b) => s + b.numRows, 0);
    const node = this.node;
    // With partitions, the columns a window reads move into partition order first, so each
    // partition is sorted and computed within its own range; results move back at the end.
    const parts = node.partitionBy.length ? partitionRows(n, node.partitionBy.map(column)) : null;
    const moved = new Map<string, Data>();
    const input = (name: string): Data => {
      let d = moved.get(name);
      if (!d) {
        d = parts ? toPartitioned(column(name), parts) : column(name);
        moved.set(name, d);
      }
      return d;
    };
    const order = node.orderBy.map((k) => input(k.name));
    const names = node.orderBy.map((k) => k.name);
    const layout = parts
      ? partitionedLayout(parts.bounds, order, node.orderBy, names)
      : windowLayout(n, order, node.orderBy, names);
    throwIfAborted(ctx.signal);
    const frames = new Map<string, FrameBounds>();
    const framesOf = (f: NonNullable<WindowNode["fns"][number]["frame"]>): FrameBounds => {
      const key = `${f.unit}:${f.start}:${f.end}`;
      let b = frames.get(key);
      if (!b) {
        b = frameBounds(layout, f, order[0] ?? null, node.orderBy[0]?.descending ?? false);
        frames.set(key, b);
      }
      return b;
    };
    const out: Data[] = node.fns.map((f, i) => {
      throwIfAborted(ctx.signal);
      const type = this.schema.fields[fields.length + i]!.type;
      const fn = f.fn;
      const arg =
        (fn.kind === "agg" || fn.kind === "winFn") && fn.arg?.kind === "col"
          ? input(fn.arg.name)
          : null;
      let res: Data;
      if (fn.kind === "agg")
        res = windowAggregate(fn.fn, arg, type, layout.perm, framesOf(f.frame!));
      else if (fn.kind === "winFn")
        res = windowFunction(fn.fn, fn.args, arg, type, layout, f.frame ? framesOf(f.frame) : null);
      else throw new Error(`internal: ${formatExpr(fn)} is not a window function`);
      return parts ? takeData(res, parts.pos) : res;
    });
    // The input batches again, each with its slice of the window columns.
    let at = 0;
    for (const b of batches) {
      const len = b.numRows;
      yield makeBatch(this.schema, [...b.data.children, ...out.map((c) => c.slice(at, len))], len);
      at += len;
    }
  }
}
