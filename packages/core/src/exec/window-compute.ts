import type { Data, DataType } from "apache-arrow";
import { formatExpr } from "../expr/expr.js";
import { takeData } from "../kernels/take.js";
import { windowAggregate } from "../kernels/window-agg.js";
import { type FrameBounds, frameBounds } from "../kernels/window-frame.js";
import { partitionedLayout, windowLayout } from "../kernels/window-layout.js";
import { partitionRows, toPartitioned } from "../kernels/window-partition.js";
import { windowFunction } from "../kernels/window-rank.js";
import type { WindowNode } from "../plan/nodes.js";
import { throwIfAborted } from "./context.js";

/** What computing a window needs: its keys and functions, and each function's result type. */
export interface WindowSpec extends Pick<WindowNode, "partitionBy" | "orderBy" | "fns"> {
  /** The result type of each of `fns`, in order. */
  types: DataType[];
}

/** The window node's spec: result types are the node's output fields after its input's. */
export function windowSpec(node: WindowNode): WindowSpec {
  const first = node.input.schema.fields.length;
  return {
    partitionBy: node.partitionBy,
    orderBy: node.orderBy,
    fns: node.fns,
    types: node.fns.map((_, i) => node.schema.fields[first + i]!.type),
  };
}

/** The input columns a window reads: partition keys, order keys, function arguments. */
export function windowInputs(spec: Pick<WindowSpec, "partitionBy" | "orderBy" | "fns">): string[] {
  const names = new Set<string>([...spec.partitionBy, ...spec.orderBy.map((k) => k.name)]);
  for (const f of spec.fns) {
    const fn = f.fn;
    if ((fn.kind === "agg" || fn.kind === "winFn") && fn.arg?.kind === "col")
      names.add(fn.arg.name);
  }
  return [...names];
}

/**
 * The window's result columns over `n` rows, in input row order. The rows are laid out by
 * partition and order once (window-layout.ts), each distinct frame's bounds are computed once,
 * and each function is one pass over the sorted rows (window-agg.ts, window-rank.ts).
 */
export function windowColumns(
  spec: WindowSpec,
  column: (name: string) => Data,
  n: number,
  signal: AbortSignal,
): Data[] {
  // With partitions, the columns a window reads move into partition order first, so each
  // partition is sorted and computed within its own range; results move back at the end.
  const parts = spec.partitionBy.length ? partitionRows(n, spec.partitionBy.map(column)) : null;
  const moved = new Map<string, Data>();
  const input = (name: string): Data => {
    let d = moved.get(name);
    if (!d) {
      d = parts ? toPartitioned(column(name), parts) : column(name);
      moved.set(name, d);
    }
    return d;
  };
  const order = spec.orderBy.map((k) => input(k.name));
  const names = spec.orderBy.map((k) => k.name);
  const layout = parts
    ? partitionedLayout(parts.bounds, order, spec.orderBy, names)
    : windowLayout(n, order, spec.orderBy, names);
  throwIfAborted(signal);
  const frames = new Map<string, FrameBounds>();
  const framesOf = (f: NonNullable<WindowSpec["fns"][number]["frame"]>): FrameBounds => {
    const key = `${f.unit}:${f.start}:${f.end}`;
    let b = frames.get(key);
    if (!b) {
      b = frameBounds(layout, f, order[0] ?? null, spec.orderBy[0]?.descending ?? false);
      frames.set(key, b);
    }
    return b;
  };
  return spec.fns.map((f, i) => {
    throwIfAborted(signal);
    const type = spec.types[i]!;
    const fn = f.fn;
    const arg =
      (fn.kind === "agg" || fn.kind === "winFn") && fn.arg?.kind === "col"
        ? input(fn.arg.name)
        : null;
    let res: Data;
    if (fn.kind === "agg") res = windowAggregate(fn.fn, arg, type, layout.perm, framesOf(f.frame!));
    else if (fn.kind === "winFn")
      res = windowFunction(fn.fn, fn.args, arg, type, layout, f.frame ? framesOf(f.frame) : null);
    else throw new Error(`internal: ${formatExpr(fn)} is not a window function`);
    return parts ? takeData(res, parts.pos) : res;
  });
}
