import type { Data, RecordBatch, Schema } from "apache-arrow";
import { takeData } from "../kernels/take.js";
import { makeBatch, OUTPUT_BATCH_ROWS } from "../kernels/take-concat.js";
import type { ExecContext } from "./context.js";
import { throwIfAborted } from "./context.js";
import type { Operator } from "./operator.js";

/** One side of a cross join held whole: its columns and its row count (it may have no columns). */
export interface CrossSide {
  columns: readonly Data[];
  rows: number;
}

/**
 * The product of `left` (one batch of the left input) with the whole right side, in batches
 * of at most 128K rows: left row order, each left row with every right row in right order.
 * Columns are gathered by index, so the output never holds more than one batch at a time.
 */
export function* crossProduct(
  schema: Schema,
  left: CrossSide,
  right: CrossSide,
): Generator<RecordBatch> {
  const total = left.rows * right.rows;
  const nr = right.rows;
  if (nr === 1 && total <= OUTPUT_BATCH_ROWS) {
    // One right row (a scalar subquery): the left batch's columns pass through as they are.
    const ri = new Int32Array(total);
    yield makeBatch(schema, [...left.columns, ...right.columns.map((c) => takeData(c, ri))], total);
    return;
  }
  for (let start = 0; start < total; start += OUTPUT_BATCH_ROWS) {
    const len = Math.min(OUTPUT_BATCH_ROWS, total - start);
    const li = new Int32Array(len);
    const ri = new Int32Array(len);
    let l = Math.floor(start / nr);
    let r = start - l * nr;
    for (let k = 0; k < len; k++) {
      li[k] = l;
      ri[k] = r;
      if (++r === nr) {
        r = 0;
        l++;
      }
    }
    const cols = [
      ...left.columns.map((c) => takeData(c, li)),
      ...right.columns.map((c) => takeData(c, ri)),
    ];
    yield makeBatch(schema, cols, len);
  }
}

/** Reads `op` to the end as one side of a cross join (row count kept for column-less sides). */
export async function drainSide(op: Operator, ctx: ExecContext): Promise<RecordBatch[]> {
  const batches: RecordBatch[] = [];
  for await (const b of op.execute(ctx)) {
    throwIfAborted(ctx.signal);
    if (b.numRows > 0) batches.push(b);
  }
  return batches;
}

/**
 * Streams the left input against a right side held whole. Given the right side as a promise,
 * the left input starts at once beside it (both sides' work overlaps, as a hash join drains
 * both at once); left batches that arrive before the right side is complete wait for it.
 */
export async function* crossJoinStream(
  schema: Schema,
  left: AsyncIterable<RecordBatch>,
  rightSide: CrossSide | Promise<CrossSide>,
  ctx: ExecContext,
): AsyncGenerator<RecordBatch> {
  let right: CrossSide | undefined;
  let failure: { error: unknown } | undefined;
  const ready = Promise.resolve(rightSide).then(
    (side) => {
      right = side;
    },
    (error: unknown) => {
      failure = { error };
    },
  );
  const waiting: RecordBatch[] = [];
  const pair = (batch: RecordBatch, side: CrossSide) =>
    crossProduct(schema, { columns: batch.data.children, rows: batch.numRows }, side);
  for await (const batch of left) {
    throwIfAborted(ctx.signal);
    if (failure) throw failure.error;
    if (right?.rows === 0) return;
    if (batch.numRows === 0) continue;
    if (right === undefined) {
      waiting.push(batch);
      continue;
    }
    for (const held of waiting.splice(0)) yield* pair(held, right);
    yield* pair(batch, right);
  }
  await ready;
  if (failure) throw failure.error;
  const side = right as CrossSide | undefined;
  if (side === undefined || side.rows === 0) return;
  for (const held of waiting.splice(0)) yield* pair(held, side);
}
