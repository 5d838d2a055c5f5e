import type { DeftEvent, Expr, UdfFailure } from "@deft/core";
import {
  createContext,
  type ExprNode,
  type PlanNode,
  UdfProjectOperator,
  udfProjectNode,
} from "@deft/core/internal";
import {
  type Data,
  makeVector,
  type RecordBatch,
  type Schema,
  Table,
  vectorFromArray,
} from "apache-arrow";
import type { BatchesOperator } from "../helpers.js";

export { BatchesOperator } from "../helpers.js";

/** Splits columns (arrays) into RecordBatches of `rows` rows each. */
export function batchesOf(columns: Record<string, unknown[] | Data>, rows: number): RecordBatch[] {
  const vectors: Record<string, ReturnType<typeof makeVector>> = {};
  for (const [k, v] of Object.entries(columns))
    vectors[k] = Array.isArray(v) ? vectorFromArray(v) : makeVector(v);
  const table = new Table(vectors);
  const out: RecordBatch[] = [];
  const whole = table.batches[0]!;
  for (let s = 0; s < table.numRows; s += rows)
    out.push(whole.slice(s, Math.min(table.numRows, s + rows)));
  return out;
}

export interface RunResult {
  batches: RecordBatch[];
  values: unknown[];
  failures: UdfFailure[];
  events: DeftEvent[];
}

/** Plans `name = expr` (a UDF call) over the batches and runs the operator to the end. */
export async function runUdf(
  input: BatchesOperator,
  name: string,
  expr: Expr,
  opts: { signal?: AbortSignal; take?: number; onEvent?: (e: DeftEvent) => void } = {},
): Promise<RunResult> {
  const node = udfNode(input.schema, name, expr.node);
  const events: DeftEvent[] = [];
  const ctx = createContext(opts.signal ?? new AbortController().signal, [
    (e) => {
      events.push(e);
      opts.onEvent?.(e);
    },
  ]);
  const op = new UdfProjectOperator(node, input as never);
  const batches: RecordBatch[] = [];
  for await (const b of op.execute(ctx)) {
    batches.push(b);
    if (opts.take !== undefined && batches.length >= opts.take) break;
  }
  const values: unknown[] = [];
  for (const b of batches) for (const v of b.getChild(name)!) values.push(v);
  return { batches, values, failures: ctx.failures, events };
}

export function udfNode(schema: Schema, name: string, node: ExprNode) {
  if (node.kind !== "udf") throw new Error("expected a UDF call");
  const source = { kind: "source", schema } as unknown as PlanNode;
  return udfProjectNode(source, name, node) as Extract<PlanNode, { kind: "udfProject" }>;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
