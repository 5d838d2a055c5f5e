import { Int64, makeData, type RecordBatch, type Schema } from "apache-arrow";
import { makeBatch } from "../kernels/take-concat.js";
import type { RowIndexNode } from "../plan/nodes.js";
import type { ExecContext } from "./context.js";
import type { Operator } from "./operator.js";

/** Rows `from`..`from + len - 1` as an int64 column (written as 32-bit words: no BigInts). */
export function indexColumn(from: number, len: number) {
  const words = new Int32Array(len * 2);
  for (let i = 0; i < len; i++) {
    const v = from + i;
    words[2 * i] = v | 0;
    words[2 * i + 1] = Math.floor(v / 4294967296);
  }
  return makeData({ type: new Int64(), length: len, data: new BigInt64Array(words.buffer) });
}

/** Numbers rows as they stream by (so it runs on one thread, after its input's order is set). */
export class RowIndexOperator implements Operator {
  readonly name = "RowIndex";
  readonly schema: Schema;
  readonly children: readonly Operator[];
  constructor(
    private readonly node: RowIndexNode,
    private readonly input: Operator,
  ) {
    this.schema = node.schema;
    this.children = [input];
  }
  describe(): string {
    return this.node.name;
  }
  async *execute(ctx: ExecContext): AsyncGenerator<RecordBatch> {
    let next = 0;
    for await (const batch of this.input.execute(ctx)) {
      const n = batch.numRows;
      if (n === 0) continue;
      yield makeBatch(this.schema, [indexColumn(next, n), ...batch.data.children], n);
      next += n;
    }
  }
}
