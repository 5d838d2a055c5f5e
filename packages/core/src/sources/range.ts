import { Field, Int64, makeData, type RecordBatch, Schema } from "apache-arrow";
import type { ExecContext } from "../exec/context.js";
import { makeBatch } from "../kernels/take-concat.js";
import type { ScanRequest, ScanSource } from "../plan/source.js";
import { MORSEL_ROWS } from "./memory.js";

/** `DataFrame.range(n)`: one Int64 column "id" counting from `start`, generated per morsel. */
export class RangeSource implements ScanSource {
  readonly kind = "range";
  readonly usesFilter = false;
  readonly schema = new Schema([new Field("id", new Int64(), false)]);
  readonly numRows: number;
  constructor(
    private readonly start: number,
    private readonly end: number,
    private readonly step: number,
  ) {
    this.numRows = Math.max(0, Math.ceil((end - start) / step));
  }
  describe(): string {
    return `range(${this.start}, ${this.end}${this.step !== 1 ? `, ${this.step}` : ""})`;
  }
  async *scan(request: ScanRequest, ctx: ExecContext): AsyncGenerator<RecordBatch> {
    const total = Math.min(this.numRows, request.limit ?? Number.POSITIVE_INFINITY);
    const schema = request.columns && request.columns.length === 0 ? new Schema([]) : this.schema;
    for (let at = 0; at < total; at += MORSEL_ROWS) {
      if (ctx.signal.aborted) return;
      const len = Math.min(MORSEL_ROWS, total - at);
      if (schema.fields.length === 0) {
        yield makeBatch(schema, [], len);
        continue;
      }
      const ids = new BigInt64Array(len);
      let v = this.start + at * this.step;
      for (let i = 0; i < len; i++, v += this.step) ids[i] = BigInt(v);
      yield makeBatch(schema, [makeData({ type: new Int64(), length: len, data: ids })], len);
    }
  }
}
