import { type Field, type RecordBatch, Schema } from "apache-arrow";
import type { ExecContext } from "../exec/context.js";
import { makeBatch } from "../kernels/take-concat.js";
import type { ScanRequest, ScanSource } from "../plan/source.js";

/** Rows per morsel for in-memory data (up to 128K rows: large enough for the compiled loops, small enough to stream). */
export const MORSEL_ROWS = 128 * 1024;

/** Record batches held in memory, handed out as zero-copy morsels. */
export class MemorySource implements ScanSource {
  readonly kind = "memory";
  readonly usesFilter = false;
  readonly numRows: number;
  constructor(
    readonly schema: Schema,
    private readonly batches: readonly RecordBatch[],
  ) {
    this.numRows = batches.reduce((n, b) => n + b.numRows, 0);
  }
  describe(): string {
    return `memory (${this.numRows} rows, ${this.batches.length} batches)`;
  }
  async *scan(request: ScanRequest, ctx: ExecContext): AsyncGenerator<RecordBatch> {
    const schema = request.columns ? projectSchema(this.schema, request.columns) : this.schema;
    const idx = request.columns?.map((c) => this.schema.fields.findIndex((f) => f.name === c));
    let left = request.limit ?? Number.POSITIVE_INFINITY;
    for (const batch of this.batches) {
      for (let start = 0; start < batch.numRows && left > 0; start += MORSEL_ROWS) {
        if (ctx.signal.aborted) return;
        const len = Math.min(MORSEL_ROWS, batch.numRows - start, left);
        const cols = idx ? idx.map((i) => batch.data.children[i]!) : batch.data.children;
        const whole = start === 0 && len === batch.numRows;
        yield makeBatch(schema, whole ? cols : cols.map((c) => c.slice(start, len)), len);
        left -= len;
      }
    }
  }
}

export function projectSchema(schema: Schema, columns: readonly string[]): Schema {
  return new Schema(
    columns.map((c) => schema.fields.find((f) => f.name === c) as Field),
    schema.metadata,
  );
}
