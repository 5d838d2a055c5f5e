import type { RecordBatch } from "apache-arrow";
import type { ExecContext } from "./context.js";
import type { Operator } from "./operator.js";

/**
 * The operator, reporting `operator:start` and `operator:end` (rows, batches, wall time) when
 * someone listens; without subscribers it runs the operator as it is. Scans, UDF operators
 * and sinks report their own events (scans and UDFs with per-batch `operator:rows`).
 */
export function metered(op: Operator): Operator {
  return {
    name: op.name,
    schema: op.schema,
    children: op.children,
    describe: () => op.describe(),
    execute: (ctx) => (ctx.listening ? run(op, ctx) : op.execute(ctx)),
  };
}

async function* run(op: Operator, ctx: ExecContext): AsyncGenerator<RecordBatch> {
  const id = ctx.nextOperatorId();
  const started = performance.now();
  let rows = 0;
  let batches = 0;
  ctx.emit({ type: "operator:start", id, name: op.name });
  try {
    for await (const batch of op.execute(ctx)) {
      rows += batch.numRows;
      batches++;
      yield batch;
    }
  } finally {
    ctx.emit({
      type: "operator:end",
      id,
      name: op.name,
      rows,
      batches,
      ms: performance.now() - started,
    });
  }
}
