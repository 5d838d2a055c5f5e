import type { Data, RecordBatch, Schema } from "apache-arrow";
import { rowUniforms, seedWord } from "../kernels/sample.js";
import { takeData } from "../kernels/take.js";
import { concatData, makeBatch, sliceIntoBatches } from "../kernels/take-concat.js";
import type { SampleNode } from "../plan/nodes.js";
import { type ExecContext, throwIfAborted } from "./context.js";
import type { Operator } from "./operator.js";

/** Candidate rows of an n-sample: their columns and, per row, its number and position. */
interface Candidates {
  columns: Data[][];
  keys: number[];
  positions: number[];
}

/**
 * A seeded sample. Every row gets a uniform number from the seed and its position in the
 * input (kernels/sample.ts). `fraction`: a row is kept when its number is below the fraction
 * (streaming). `n`: the n rows with the smallest numbers, a uniform sample without
 * replacement; candidates below the running n-th smallest number are kept and cut back to n
 * whenever they pass 2n, so memory stays about 2n rows; the result comes in input order.
 */
export class SampleOperator implements Operator {
  readonly name = "Sample";
  readonly schema: Schema;
  readonly children: readonly Operator[];
  constructor(
    private readonly node: SampleNode,
    private readonly input: Operator,
  ) {
    this.schema = node.schema;
    this.children = [input];
  }
  describe(): string {
    const { n, fraction, seed } = this.node;
    return `${n !== undefined ? `n ${n}` : `fraction ${fraction}`}, seed ${seed}`;
  }
  execute(ctx: ExecContext): AsyncGenerator<RecordBatch> {
    return this.node.n !== undefined ? this.exactly(this.node.n, ctx) : this.bernoulli(ctx);
  }

  private async *bernoulli(ctx: ExecContext): AsyncGenerator<RecordBatch> {
    const fraction = this.node.fraction!;
    if (fraction === 0) return;
    const seed = seedWord(this.node.seed);
    let at = 0;
    for await (const batch of this.input.execute(ctx)) {
      throwIfAborted(ctx.signal);
      const len = batch.numRows;
      if (len === 0) continue;
      const u = new Float64Array(len);
      rowUniforms(seed, at, u);
      at += len;
      const idx = new Int32Array(len);
      let k = 0;
      for (let i = 0; i < len; i++) if (u[i]! < fraction) idx[k++] = i;
      if (k === 0) continue;
      if (k === len) {
        yield batch;
        continue;
      }
      const pick = idx.subarray(0, k);
      yield makeBatch(
        this.schema,
        batch.data.children.map((c) => takeData(c, pick)),
        k,
      );
    }
  }

  private async *exactly(n: number, ctx: ExecContext): AsyncGenerator<RecordBatch> {
    if (n === 0) return;
    const seed = seedWord(this.node.seed);
    let cand: Candidates = { columns: [], keys: [], positions: [] };
    let threshold = Number.POSITIVE_INFINITY;
    let at = 0;
    for await (const batch of this.input.execute(ctx)) {
      throwIfAborted(ctx.signal);
      const len = batch.numRows;
      if (len === 0) continue;
      const u = new Float64Array(len);
      rowUniforms(seed, at, u);
      const idx: number[] = [];
      for (let i = 0; i < len; i++) {
        if (u[i]! < threshold) {
          idx.push(i);
          cand.keys.push(u[i]!);
          cand.positions.push(at + i);
        }
      }
      at += len;
      if (idx.length === 0) continue;
      const pick = Int32Array.from(idx);
      cand.columns.push(
        idx.length === len
          ? batch.data.children
          : batch.data.children.map((c) => takeData(c, pick)),
      );
      if (cand.keys.length >= Math.max(2 * n, 1024)) {
        cand = this.cut(cand, n);
        if (cand.keys.length === n) threshold = cand.keys.reduce((a, b) => Math.max(a, b));
      }
    }
    const done = this.cut(cand, n);
    yield* sliceIntoBatches(this.schema, done.columns[0] ?? [], done.keys.length);
  }

  /** The `n` candidates with the smallest numbers (ties: earlier row), in input order, as one chunk. */
  private cut(c: Candidates, n: number): Candidates {
    const count = c.keys.length;
    const order = Array.from({ length: count }, (_, i) => i);
    order.sort((a, b) => c.keys[a]! - c.keys[b]! || c.positions[a]! - c.positions[b]!);
    const chosen = order.slice(0, n).sort((a, b) => c.positions[a]! - c.positions[b]!);
    const cols = this.schema.fields.map((f, k) =>
      concatData(
        f.type,
        c.columns.map((chunk) => chunk[k]!),
      ),
    );
    const pick = Int32Array.from(chosen);
    return {
      columns: [cols.map((col) => takeData(col, pick))],
      keys: chosen.map((i) => c.keys[i]!),
      positions: chosen.map((i) => c.positions[i]!),
    };
  }
}
