// Shared test helpers for the core engine: table-shaped assertions, Arrow data built by
// apache-arrow itself (independent of deft's kernels), and a ScanSource that counts batches.
import type { DataFrame, ExecContext, ScanRequest, ScanSource } from "@deft/core";
import { makeBatch, type Operator } from "@deft/core/internal";
import {
  type DataType,
  Field,
  Float64,
  makeData,
  type RecordBatch,
  Schema,
  vectorFromArray,
} from "apache-arrow";
import { expect } from "vitest";

/**
 * Asserts a DataFrame's result column by column: `expectColumns(df, { a: [3, 5], b: [4, 6] })`.
 * The column names and their order must match too. NaN compares equal to NaN (toEqual does).
 */
export async function expectColumns(
  df: DataFrame,
  expected: Record<string, readonly unknown[]>,
  opts: { int64?: "bigint" | "number" } = {},
): Promise<void> {
  const got = await df.toColumns(opts);
  expect(Object.keys(got)).toEqual(Object.keys(expected));
  for (const [name, values] of Object.entries(expected)) {
    expect(got[name], `column "${name}"`).toEqual(values);
  }
}

/** The type names of a DataFrame's columns, `{ a: "int32" }`. */
export function typesOf(df: DataFrame): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of df.schema.fields) out[f.name] = typeString(f.type);
  return out;
}

function typeString(t: DataType): string {
  // apache-arrow's own toString, normalised to deft's spelling for the common types.
  const s = String(t);
  const map: Record<string, string> = {
    Int8: "int8",
    Int16: "int16",
    Int32: "int32",
    Int64: "int64",
    Uint8: "uint8",
    Uint16: "uint16",
    Uint32: "uint32",
    Uint64: "uint64",
    Float32: "float32",
    Float64: "float64",
    Bool: "bool",
    Utf8: "utf8",
    Null: "null",
  };
  return map[s] ?? s;
}

export type Cols = Record<string, { type: DataType; values: readonly unknown[] }>;

/** One RecordBatch built by apache-arrow's vectorFromArray (not by deft's builders). */
export function arrowBatch(cols: Cols): RecordBatch {
  const schema = new Schema(Object.entries(cols).map(([n, c]) => new Field(n, c.type, true)));
  const data = Object.values(cols).map(
    (c) => vectorFromArray(c.values as unknown[], c.type).data[0]!,
  );
  return makeBatch(schema, data, Object.values(cols)[0]?.values.length ?? 0);
}

/**
 * The same columns split into several RecordBatches at `cuts` (row indices), plus empty
 * batches at the start, the cuts and the end, so kernels see many and empty batches.
 */
export function arrowBatches(cols: Cols, cuts: readonly number[]): RecordBatch[] {
  const n = Object.values(cols)[0]?.values.length ?? 0;
  const points = [0, ...cuts.filter((c) => c > 0 && c < n), n];
  const part = (a: number, b: number) => {
    const out: Cols = {};
    for (const [name, c] of Object.entries(cols))
      out[name] = { type: c.type, values: c.values.slice(a, b) };
    return arrowBatch(out);
  };
  const batches = [part(0, 0)];
  for (let i = 0; i + 1 < points.length; i++) {
    batches.push(part(points[i]!, points[i + 1]!), part(0, 0));
  }
  return batches;
}

/**
 * A ScanSource that produces `batches` batches of `rows` rows of float64 "x" (x = row number)
 * on demand, and counts how many it produced and whether it was closed. It ignores the
 * pushed limit on purpose (`honourLimit: false`), so tests see the executor's own back-pressure.
 */
export class CountingSource implements ScanSource {
  readonly kind = "counting";
  readonly usesFilter = false;
  readonly schema = new Schema([new Field("x", new Float64(), true)]);
  produced = 0;
  closed = false;
  requests: ScanRequest[] = [];
  constructor(
    private readonly batches: number,
    private readonly rows: number,
    private readonly opts: { honourLimit?: boolean; delayMs?: number } = {},
  ) {}
  get numRows(): number {
    return this.batches * this.rows;
  }
  describe(): string {
    return `counting (${this.batches} x ${this.rows})`;
  }
  async *scan(request: ScanRequest, ctx: ExecContext): AsyncGenerator<RecordBatch> {
    this.requests.push(request);
    try {
      let left = this.opts.honourLimit ? (request.limit ?? Infinity) : Infinity;
      for (let b = 0; b < this.batches && left > 0; b++) {
        if (this.opts.delayMs) await new Promise((r) => setTimeout(r, this.opts.delayMs));
        if (ctx.signal.aborted) return;
        const len = Math.min(this.rows, left);
        const x = new Float64Array(len);
        for (let i = 0; i < len; i++) x[i] = b * this.rows + i;
        this.produced++;
        left -= len;
        yield makeBatch(
          this.schema,
          [makeData({ type: new Float64(), length: len, data: x })],
          len,
        );
      }
    } finally {
      this.closed = true;
    }
  }
}

/**
 * The input of an operator under test: yields prepared batches in order, and records how many
 * were pulled and whether the consumer closed it. `schema` is needed when there are no batches.
 */
export class BatchesOperator implements Operator {
  readonly name = "Batches";
  readonly children: readonly Operator[] = [];
  readonly schema: Schema;
  pulled = 0;
  closed = false;
  constructor(
    readonly batches: readonly RecordBatch[],
    schema?: Schema,
  ) {
    const s = schema ?? batches[0]?.schema;
    if (!s) throw new Error("BatchesOperator: give a schema when there are no batches");
    this.schema = s;
  }
  describe(): string {
    return `${this.batches.length} batches`;
  }
  async *execute(): AsyncGenerator<RecordBatch> {
    try {
      for (const b of this.batches) {
        this.pulled++;
        yield b;
      }
    } finally {
      this.closed = true;
    }
  }
}

/** Waits until `cond` holds (checked every few ms), failing after `ms`. */
export async function eventually(cond: () => boolean, ms = 2000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error("condition not reached in time");
    await new Promise((r) => setTimeout(r, 5));
  }
}
