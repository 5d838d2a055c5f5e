import type { RecordBatch, Schema } from "apache-arrow";
import { DistinctFilter } from "../kernels/distinct.js";
import { takeData } from "../kernels/take.js";
import { makeBatch } from "../kernels/take-concat.js";
import type { PlanNode } from "../plan/nodes.js";
import type { ExecContext } from "./context.js";
import type { Operator } from "./operator.js";

type DistinctNode = Extract<PlanNode, { kind: "distinct" }>;

/** Keeps the first row of each distinct key combination, streaming, in input order. */
export class DistinctOperator implements Operator {
  readonly name = "Distinct";
  readonly schema: Schema;
  readonly children: readonly Operator[];
  constructor(
    private readonly node: DistinctNode,
    private readonly input: Operator,
  ) {
    this.schema = node.schema;
    this.children = [input];
  }
  describe(): string {
    return this.node.columns.join(", ");
  }
  async *execute(ctx: ExecContext): AsyncGenerator<RecordBatch> {
    const fields = this.input.schema.fields;
    const pos = this.node.columns.map((n) => fields.findIndex((f) => f.name === n));
    const filter = new DistinctFilter(pos.map((p) => fields[p]!.type));
    for await (const batch of this.input.execute(ctx)) {
      if (batch.numRows === 0) continue;
      const rows = filter.firstRows(pos.map((p) => batch.data.children[p]!));
      if (rows.length === batch.numRows) yield batch;
      else if (rows.length > 0) {
        yield makeBatch(
          this.schema,
          batch.data.children.map((c) => takeData(c, rows)),
          rows.length,
        );
      }
    }
  }
}
