import { type Data, Field, Int32, makeData, type RecordBatch, Schema } from "apache-arrow";
import { takeData } from "../kernels/take.js";
import { concatBatches, makeBatch, OUTPUT_BATCH_ROWS } from "../kernels/take-concat.js";
import { scanSource, sourceNode } from "../plan/nodes/source.js";
import type { JoinNode, PlanNode } from "../plan/nodes.js";
import { joinPlan } from "../plan/relational.js";
import { type ExecContext, throwIfAborted } from "./context.js";
import { chainScan, partitionsOf } from "./fragment.js";
import { joinKeysText } from "./join.js";
import type { Operator } from "./operator.js";

/** The right side must be this many times the left's estimated rows to be probed instead. */
const RATIO = 8;
/** Left sides above this estimate are not materialized whole as a build side. */
const MAX_BUILD_ROWS = 2_000_000;

/**
 * Whether an inner, semi or anti join is run "the other way round": its left input looks
 * small and its right input is a chain over a splittable scan many times larger (TPC-H Q8's
 * few parts joined with all of lineitem, Q22's customers without orders). Building the big
 * right side on the calling thread would cost more than the rest of the query; instead the
 * left side is built once and the right side streams through it on the compute threads.
 */
export function isReverseJoin(node: PlanNode): node is JoinNode {
  if (node.kind !== "join") return false;
  if (node.how !== "inner" && node.how !== "semi" && node.how !== "anti") return false;
  const scan = chainScan(node.right);
  if (!scan || (partitionsOf(scan)?.splits.length ?? 0) < 2) return false;
  const left = estimateRows(node.left);
  return left <= MAX_BUILD_ROWS && left * RATIO <= estimateRows(node.right);
}

/**
 * A rough row count of a subplan from what is known before running it: a source's exact
 * count, halved by every filter; a join as large as its left input. Only used to compare
 * the two sides of a join, so a constant factor does not matter.
 */
export function estimateRows(node: PlanNode): number {
  switch (node.kind) {
    case "source":
      return scanSource(node).numRows ?? Number.POSITIVE_INFINITY;
    case "filter":
      return estimateRows(node.input) / 2;
    case "limit":
      return Math.min(node.n, estimateRows(node.input));
    case "join":
      return node.how === "semi" || node.how === "anti"
        ? estimateRows(node.left) / 2
        : estimateRows(node.left);
    case "aggregate":
      return node.keys.length === 0 ? 1 : estimateRows(node.input) / 2;
    case "concat":
      return node.inputs.reduce((n, i) => n + estimateRows(i), 0);
    case "sink":
      return 0;
    default:
      return estimateRows(node.input);
  }
}

const ROW = "__deft_left_row";
const leftName = (k: number) => `__deft_left_${k}`;

/**
 * A join run the other way round (see isReverseJoin). The left input is read in full on the
 * calling thread and numbered; the right input's chain then joins against it as the left
 * input of an ordinary broadcast join, per partition on the compute threads, so the big side
 * is never built. What comes back is in right row order and is put into the join's own order
 * here: for an inner join a stable counting sort by left row (left row order, each left
 * row's matches in right row order); for a semi or anti join the left rows that matched, or
 * did not, in left order.
 */
export class ReverseJoinOperator implements Operator {
  readonly name = "Join";
  readonly schema: Schema;
  readonly children: readonly Operator[];
  constructor(
    private readonly node: JoinNode,
    private readonly left: Operator,
    /** Lowers the probing plan (the right chain joined with the numbered left rows). */
    private readonly lowerProbe: (plan: PlanNode) => Operator,
  ) {
    this.schema = node.schema;
    this.children = [left];
  }

  describe(): string {
    const on = joinKeysText(this.node);
    return `${this.node.how} on ${on} [left side built once here, right side probed per partition on the compute threads, rows put back in left order]`;
  }

  async *execute(ctx: ExecContext): AsyncGenerator<RecordBatch> {
    const { node } = this;
    const lbatches: RecordBatch[] = [];
    for await (const b of this.left.execute(ctx)) {
      throwIfAborted(ctx.signal);
      if (b.numRows > 0) lbatches.push(b);
    }
    const lschema = this.left.schema;
    const lcols = concatBatches(lschema, lbatches);
    const n = lcols[0]?.length ?? 0;
    if (n === 0) {
      if (node.how === "anti") yield* this.leftRows(lcols, null, n);
      return;
    }
    const probe = this.lowerProbe(this.probePlan(lcols, n));
    const out: RecordBatch[] = [];
    for await (const b of probe.execute(ctx)) {
      throwIfAborted(ctx.signal);
      if (b.numRows > 0) out.push(b);
    }
    const pcols = concatBatches(probe.schema, out);
    const rowIdx = pcols[probe.schema.fields.findIndex((f) => f.name === ROW)];
    const rows =
      rowIdx && out.length > 0
        ? (rowIdx.values as Int32Array).subarray(rowIdx.offset, rowIdx.offset + rowIdx.length)
        : new Int32Array(0);
    if (node.how === "inner") {
      yield* this.innerRows(probe.schema, pcols, rows);
      return;
    }
    const matched = new Uint8Array(n);
    for (let i = 0; i < rows.length; i++) matched[rows[i]!] = 1;
    yield* this.leftRows(lcols, matched, n);
  }

  /** The right chain joined (inner) with the left rows, renamed apart and numbered. */
  private probePlan(lcols: Data[], n: number): PlanNode {
    const { node } = this;
    const lfields = this.left.schema.fields;
    const withRows = node.how === "inner";
    // Semi and anti joins only need the keys and the row number back.
    const keep = lfields.flatMap((f, k) => (withRows || node.leftOn.includes(f.name) ? [k] : []));
    const fields = keep.map((k) => new Field(leftName(k), lfields[k]!.type, lfields[k]!.nullable));
    fields.push(new Field(ROW, new Int32(), false));
    const schema = new Schema(fields);
    const index = new Int32Array(n);
    for (let i = 0; i < n; i++) index[i] = i;
    const cols = [
      ...keep.map((k) => lcols[k]!),
      makeData({ type: new Int32(), length: n, data: index }),
    ];
    const batches: RecordBatch[] = [];
    for (let start = 0; start < n; start += OUTPUT_BATCH_ROWS) {
      const end = Math.min(n, start + OUTPUT_BATCH_ROWS);
      batches.push(
        makeBatch(
          schema,
          cols.map((c) => c.slice(start, end - start)),
          end - start,
        ),
      );
    }
    const numbered = sourceNode({ format: "memory", paths: [], options: {}, schema, batches });
    const lnames = lfields.map((f) => f.name);
    return joinPlan(node.right, numbered, {
      how: "inner",
      leftOn: node.rightOn,
      rightOn: node.leftOn.map((l) => leftName(lnames.indexOf(l))),
    });
  }

  /** Inner join rows in the join's order: stable by left row, then as the right rows came. */
  private *innerRows(pschema: Schema, pcols: Data[], rows: Int32Array): Generator<RecordBatch> {
    const { node } = this;
    const total = rows.length;
    const order = countingOrder(rows, maxPlusOne(rows));
    const pnames = pschema.fields.map((f) => f.name);
    const lnames = this.left.schema.fields.map((f) => f.name);
    // The join's columns: each left column (its key taken from the equal right key), then
    // the right non-key columns in the right input's order.
    const sources = lnames.map((name, k) => {
      const key = node.leftOn.indexOf(name);
      return pnames.indexOf(key >= 0 ? node.rightOn[key]! : leftName(k));
    });
    for (const f of node.right.schema.fields)
      if (!node.rightOn.includes(f.name)) sources.push(pnames.indexOf(f.name));
    for (let start = 0; start < total; start += OUTPUT_BATCH_ROWS) {
      const end = Math.min(total, start + OUTPUT_BATCH_ROWS);
      const idx = order.subarray(start, end);
      const cols = sources.map((s) => takeData(pcols[s]!, idx));
      yield makeBatch(this.schema, cols, end - start);
    }
  }

  /** Left rows whose `matched` flag is set (semi) or clear (anti), in left order. */
  private *leftRows(lcols: Data[], matched: Uint8Array | null, n: number): Generator<RecordBatch> {
    const want = this.node.how === "semi" ? 1 : 0;
    const picked = new Int32Array(n);
    let k = 0;
    for (let i = 0; i < n; i++) if ((matched ? matched[i]! : 0) === want) picked[k++] = i;
    const all = picked.subarray(0, k);
    for (let start = 0; start < all.length; start += OUTPUT_BATCH_ROWS) {
      const end = Math.min(all.length, start + OUTPUT_BATCH_ROWS);
      const idx = all.subarray(start, end);
      yield makeBatch(
        this.schema,
        lcols.map((c) => takeData(c, idx)),
        end - start,
      );
    }
  }
}

function maxPlusOne(a: Int32Array): number {
  let m = -1;
  for (let i = 0; i < a.length; i++) if (a[i]! > m) m = a[i]!;
  return m + 1;
}

/** Positions of `keys` sorted by key, stably (a counting sort over 0..range). */
function countingOrder(keys: Int32Array, range: number): Int32Array {
  const start = new Int32Array(range + 1);
  for (let i = 0; i < keys.length; i++) start[keys[i]! + 1]!++;
  for (let k = 0; k < range; k++) start[k + 1]! += start[k]!;
  const order = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) order[start[keys[i]!]!++] = i;
  return order;
}
