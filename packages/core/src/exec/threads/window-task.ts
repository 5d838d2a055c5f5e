// Runs on a compute thread: one bucket of a window's rows (whole partitions only), its
// window columns computed by the same kernels a single-threaded run uses and sent back as one
// IPC stream, in the bucket's row order.
import { type Data, Field, makeData, Schema, Table, tableFromIPC, tableToIPC } from "apache-arrow";
import { makeBatch } from "../../kernels/take-concat.js";
import { decodeExpr, encodeExpr } from "../../plan/json/expr.js";
import {
  arrayAt,
  decodeSchema,
  encodeSchema,
  type JsonObject,
  objectAt,
  stringAt,
} from "../../plan/json/values.js";
import { decodeFrame } from "../../plan/nodes/window.js";
import type { WindowSpec } from "../window-compute.js";
import { windowColumns } from "../window-compute.js";
import type { WindowReply, WindowTask } from "./protocol.js";

const noUdf = (): never => {
  throw new Error("internal: a window function's argument is a column, never a UDF");
};

/** The spec as plain data (window functions hold no UDFs: their arguments are columns). */
export function encodeWindowSpec(spec: WindowSpec): JsonObject {
  return {
    partitionBy: [...spec.partitionBy],
    orderBy: spec.orderBy.map((k) => ({ ...k })),
    fns: spec.fns.map((f) => {
      const out: JsonObject = { name: f.name, fn: encodeExpr(f.fn, noUdf) };
      if (f.frame) out.frame = { ...f.frame };
      return out;
    }),
    types: encodeSchema(
      new Schema(spec.fns.map((f, i) => new Field(f.name, spec.types[i]!, true))),
    ),
  };
}

function decodeWindowSpec(j: JsonObject): WindowSpec {
  const fns = arrayAt(j.fns, "window.fns").map((f, i) => {
    const o = objectAt(f, `window.fns[${i}]`);
    return {
      name: stringAt(o.name, `window.fns[${i}].name`),
      fn: decodeExpr(o.fn, `window.fns[${i}].fn`, noUdf),
      frame: decodeFrame(o.frame, `window.fns[${i}].frame`),
    };
  });
  const orderBy = arrayAt(j.orderBy, "window.orderBy").map((k, i) => {
    const o = objectAt(k, `window.orderBy[${i}]`);
    return {
      name: stringAt(o.name, `window.orderBy[${i}].name`),
      descending: o.descending === true,
      nullsFirst: o.nullsFirst === true,
    };
  });
  return {
    partitionBy: arrayAt(j.partitionBy, "window.partitionBy").map((p, i) =>
      stringAt(p, `window.partitionBy[${i}]`),
    ),
    orderBy,
    fns,
    types: decodeSchema(j.types, "window.types").fields.map((f) => f.type),
  };
}

export function runWindowTask(task: WindowTask): WindowReply {
  try {
    const spec = decodeWindowSpec(task.spec);
    const table = tableFromIPC(task.ipc);
    const n = table.numRows;
    const column = (name: string): Data => {
      const k = table.schema.fields.findIndex((f) => f.name === name);
      const chunks = table.getChildAt(k)!.data;
      if (chunks.length === 1) return chunks[0]!;
      throw new Error(`internal: window task column "${name}" arrived in ${chunks.length} chunks`);
    };
    const out =
      n === 0
        ? spec.types.map((type) => makeData({ type, length: 0 }) as Data)
        : windowColumns(spec, column, n, new AbortController().signal);
    const schema = new Schema(spec.fns.map((f, i) => new Field(f.name, spec.types[i]!, true)));
    return { ipc: tableToIPC(new Table([makeBatch(schema, out, n)]), "stream") };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    return { ipc: null, error: { name: e.name, message: e.message, stack: e.stack } };
  }
}
