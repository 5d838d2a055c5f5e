import type { RecordBatch, Schema } from "apache-arrow";
import { describeScan } from "../plan/explain-scan.js";
import type { PlanNode } from "../plan/nodes.js";
import { type ExecContext, throwIfAborted } from "./context.js";
import type { Operator } from "./operator.js";

type SourceNode = Extract<PlanNode, { kind: "source" }>;

/** Reads a ScanSource with whatever the optimizer pushed into it. */
export class SourceOperator implements Operator {
  readonly name: string;
  readonly schema: Schema;
  readonly children: readonly Operator[] = [];
  constructor(private readonly node: SourceNode) {
    this.name = `Scan[${node.source.kind}]`;
    this.schema = node.schema;
  }
  describe(): string {
    return describeScan(this.node);
  }
  async *execute(ctx: ExecContext): AsyncGenerator<RecordBatch> {
    const id = ctx.nextOperatorId();
    ctx.emit({ type: "operator:start", id, name: this.name, totalRows: this.node.source.numRows });
    let rows = 0;
    for await (const batch of this.node.source.scan(this.node.pushed, ctx)) {
      throwIfAborted(ctx.signal);
      rows += batch.numRows;
      ctx.emit({
        type: "operator:rows",
        id,
        name: this.name,
        rowsIn: batch.numRows,
        rowsOut: batch.numRows,
      });
      yield batch;
    }
    ctx.emit({ type: "operator:end", id, name: this.name });
    void rows;
  }
}
