import type { ScanSource } from "@deft/core";
import type { Operator, PlanNode } from "@deft/core/internal";

export { BatchesOperator } from "../helpers.js";

import { createContext, makeBatch, objectSourceNode } from "@deft/core/internal";
import {
  type DataType,
  Field,
  makeData,
  type RecordBatch,
  Schema,
  Struct,
  type Vector,
  vectorFromArray,
} from "apache-arrow";

export type Cols = Record<string, { type: DataType; values: readonly unknown[] }>;

export function schemaOf(cols: Cols): Schema {
  return new Schema(Object.entries(cols).map(([name, c]) => new Field(name, c.type, true)));
}

/** One RecordBatch from JS values (built by apache-arrow itself, independent of our kernels). */
export function batchOf(cols: Cols, schema = schemaOf(cols)): RecordBatch {
  const data = Object.values(cols).map(
    (c) => vectorFromArray(c.values as unknown[], c.type).data[0]!,
  );
  const n = Object.values(cols)[0]?.values.length ?? 0;
  return makeBatch(schema, data, n);
}

/** Splits columns into batches at the given row cut points (sorted, within range). */
export function batchesOf(cols: Cols, cuts: readonly number[]): RecordBatch[] {
  const schema = schemaOf(cols);
  const n = Object.values(cols)[0]?.values.length ?? 0;
  const points = [0, ...cuts.filter((c) => c > 0 && c < n).sort((a, b) => a - b), n];
  const out: RecordBatch[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i]!, points[i + 1]!];
    const part: Cols = {};
    for (const [name, c] of Object.entries(cols))
      part[name] = { type: c.type, values: c.values.slice(a, b) };
    out.push(batchOf(part, schema));
  }
  return out;
}

/** A real in-memory ScanSource, so plan builders get a source node to build on. */
export function sourcePlan(schema: Schema, batches: readonly RecordBatch[] = []): PlanNode {
  const source: ScanSource = {
    kind: "memory",
    schema,
    usesFilter: false,
    describe: () => "memory",
    async *scan() {
      yield* batches;
    },
  };
  return objectSourceNode(source);
}

function jsValue(v: unknown): unknown {
  if (
    v &&
    typeof v === "object" &&
    typeof (v as Vector)[Symbol.iterator] === "function" &&
    "type" in v
  ) {
    return [...(v as Vector)].map(jsValue);
  }
  return v;
}

/** Runs an operator and returns its output as plain columns (nulls as null) plus batch sizes. */
export async function runColumns(
  op: Operator,
): Promise<{ cols: Record<string, unknown[]>; sizes: number[] }> {
  const ctx = createContext(new AbortController().signal);
  const cols: Record<string, unknown[]> = {};
  for (const f of op.schema.fields) cols[f.name] = [];
  const sizes: number[] = [];
  for await (const b of op.execute(ctx)) {
    sizes.push(b.numRows);
    op.schema.fields.forEach((f, k) => {
      const vec = b.getChildAt(k)!;
      for (let i = 0; i < b.numRows; i++) cols[f.name]!.push(jsValue(vec.get(i)));
    });
  }
  return { cols, sizes };
}

/** Rows of plain columns, for comparisons that read better row by row. */
export function rowsOf(cols: Record<string, unknown[]>): Record<string, unknown>[] {
  const names = Object.keys(cols);
  const n = names.length ? cols[names[0]!]!.length : 0;
  return Array.from({ length: n }, (_, i) =>
    Object.fromEntries(names.map((k) => [k, cols[k]![i]])),
  );
}

export const structOf = (schema: Schema) => new Struct(schema.fields);
export { makeData };
