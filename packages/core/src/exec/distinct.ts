import type { RecordBatch, Schema } from "apache-arrow";
import { DistinctFilter } from "../kernels/distinct.js";
import { takeData } from "../kernels/take.js";
import { makeBatch } from "../kernels/take-concat.js";
import type { PlanNode } from "../plan/nodes.js";
import type { ExecContext } from "./context.js";
import type { Operator } from "./operator.js";

type DistinctNode = Extract<PlanNode, { kind: "distinct" }>;

/**
 * Keeps the first row of each distinct key combination, streaming, in input order, as
 * partial sets then a merge: each batch (a partition) is reduced to its own first rows by a
 * set of its own, then those rows' keys go through the set of everything seen before, which
 * keeps the ones that are new. The partial step of one batch is independent of the others.
 */
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
    const types = pos.map((p) => fields[p]!.type);
    const seen = new DistinctFilter(types);
    for await (const batch of this.input.execute(ctx)) {
      if (batch.numRows === 0) continue;
      const keys = pos.map((p) => batch.data.children[p]!);
      const local = new DistinctFilter(types).firstRows(keys);
      const partial = local.length === keys[0]!.length ? keys : keys.map((k) => takeData(k, local));
      const fresh = seen.firstRows(partial);
      const rows = local.length === keys[0]!.length ? fresh : fresh.map((i) => local[i]!);
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
