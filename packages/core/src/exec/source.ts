import type { RecordBatch, Schema } from "apache-arrow";
import { describeScan, type SourceNode, scanSource } from "../plan/nodes/source.js";
import { type ExecContext, throwIfAborted } from "./context.js";
import type { Operator } from "./operator.js";

/** Reads a ScanSource with whatever the optimizer pushed into it. */
export class SourceOperator implements Operator {
  readonly name: string;
  readonly schema: Schema;
  readonly children: readonly Operator[] = [];
  constructor(private readonly node: SourceNode) {
    this.name = `Scan[${scanSource(node).kind}]`;
    this.schema = node.schema;
  }
  describe(): string {
    const tasks = scanSource(this.node).describeTasks?.(this.node.pushed);
    return tasks ? `${describeScan(this.node)} [${tasks}]` : describeScan(this.node);
  }
  async *execute(ctx: ExecContext): AsyncGenerator<RecordBatch> {
    const id = ctx.nextOperatorId();
    const source = scanSource(this.node);
    ctx.emit({ type: "operator:start", id, name: this.name, totalRows: source.numRows });
    const started = performance.now();
    let rows = 0;
    let batches = 0;
    try {
      for await (const batch of source.scan(this.node.pushed, ctx)) {
        throwIfAborted(ctx.signal);
        rows += batch.numRows;
        batches++;
        ctx.emit({
          type: "operator:rows",
          id,
          name: this.name,
          rowsIn: batch.numRows,
          rowsOut: batch.numRows,
        });
        yield batch;
      }
    } finally {
      ctx.emit({
        type: "operator:end",
        id,
        name: this.name,
        rows,
        batches,
        ms: performance.now() - started,
      });
    }
  }
}
