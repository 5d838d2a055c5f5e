import type { Data, RecordBatch, Schema } from "apache-arrow";
import { hashJoinPairs } from "../kernels/join.js";
import { takeData } from "../kernels/take.js";
import { concatBatches, concatData, makeBatch, OUTPUT_BATCH_ROWS } from "../kernels/take-concat.js";
import type { PlanNode } from "../plan/nodes.js";
import { type ExecContext, throwIfAborted } from "./context.js";
import { crossJoinStream, drainSide } from "./cross-join.js";
import type { Operator } from "./operator.js";

type JoinNode = Extract<PlanNode, { kind: "join" }>;

async function drain(op: Operator, ctx: ExecContext): Promise<Data[]> {
  const batches: RecordBatch[] = [];
  for await (const b of op.execute(ctx)) {
    throwIfAborted(ctx.signal);
    if (b.numRows > 0) batches.push(b);
  }
  return concatBatches(op.schema, batches);
}

/** The join's keys for explain: `a` where both sides name it so, else `a = b`. */
export function joinKeysText(node: JoinNode): string {
  const { leftOn, rightOn } = node;
  return leftOn.map((l, i) => (l === rightOn[i] ? l : `${l} = ${rightOn[i]}`)).join(", ");
}

/**
 * Hash join. Both inputs are read in full; the smaller one is the build side (see
 * kernels/join.ts for the output order, which does not depend on that choice). Output is
 * gathered in batches of <= 128K rows.
 */
export class JoinOperator implements Operator {
  readonly name = "Join";
  readonly schema: Schema;
  readonly children: readonly Operator[];
  constructor(
    private readonly node: JoinNode,
    private readonly left: Operator,
    private readonly right: Operator,
    /** In a chain that runs per partition on the threads: its right side is built once and shared. */
    private readonly broadcast = false,
  ) {
    this.schema = node.schema;
    this.children = [left, right];
  }
  describe(): string {
    const { how } = this.node;
    const on = joinKeysText(this.node);
    if (how === "cross") {
      return this.broadcast
        ? "cross [right side materialized once here, each partition of the left side paired with it on the compute threads]"
        : "cross [right side materialized, left side streamed]";
    }
    return this.broadcast
      ? `${how} on ${on} [right side built once here, probed per partition on the compute threads]`
      : `${how} on ${on}`;
  }
  async *execute(ctx: ExecContext): AsyncGenerator<RecordBatch> {
    const { how, leftOn, rightOn } = this.node;
    if (how === "cross") {
      // The right side is held whole; the left streams through (output in left row order),
      // starting beside the right side rather than after it.
      const right = drainSide(this.right, ctx).then((rb) => ({
        columns: concatBatches(this.right.schema, rb),
        rows: rb.reduce((n, b) => n + b.numRows, 0),
      }));
      yield* crossJoinStream(this.schema, this.left.execute(ctx), right, ctx);
      return;
    }
    const [lcols, rcols] = await Promise.all([drain(this.left, ctx), drain(this.right, ctx)]);
    const lnames = this.left.schema.fields.map((f) => f.name);
    const rnames = this.right.schema.fields.map((f) => f.name);
    const lkeys = leftOn.map((n) => lcols[lnames.indexOf(n)]!);
    const rkeys = rightOn.map((n) => rcols[rnames.indexOf(n)]!);
    const pairs = hashJoinPairs(lkeys, rkeys, how);
    throwIfAborted(ctx.signal);
    const nLeft = lcols[0]?.length ?? 0;
    // Key columns of right and outer joins take values from whichever side has the row:
    // one take over [left key ++ right key] does the coalescing.
    const coalesced = leftOn.map((_, i) =>
      how === "right" || how === "outer"
        ? concatData(lkeys[i]!.type, [lkeys[i]!, rkeys[i]!])
        : null,
    );
    const rightKept = rnames.map((n, k) => (rightOn.includes(n) ? -1 : k)).filter((k) => k >= 0);
    const total = pairs.left.length;
    for (let start = 0; start < total; start += OUTPUT_BATCH_ROWS) {
      const end = Math.min(total, start + OUTPUT_BATCH_ROWS);
      const li = pairs.left.subarray(start, end);
      const ri = pairs.right.subarray(start, end);
      const cols: Data[] = lnames.map((name, k) => {
        const keyPos = leftOn.indexOf(name);
        if (keyPos < 0 || !coalesced[keyPos]) return takeData(lcols[k]!, li);
        const idx = new Int32Array(li.length);
        for (let i = 0; i < li.length; i++) {
          idx[i] = how === "outer" && li[i]! >= 0 ? li[i]! : ri[i]! < 0 ? -1 : nLeft + ri[i]!;
        }
        return takeData(coalesced[keyPos]!, idx);
      });
      if (how !== "semi" && how !== "anti")
        for (const k of rightKept) cols.push(takeData(rcols[k]!, ri));
      yield makeBatch(this.schema, cols, end - start);
    }
  }
}
