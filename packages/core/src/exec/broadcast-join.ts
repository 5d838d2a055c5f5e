import type { Data, RecordBatch, Schema } from "apache-arrow";
import { JoinBuild, type Mode, probePrimary } from "../kernels/join.js";
import { takeData } from "../kernels/take.js";
import { concatBatches, makeBatch } from "../kernels/take-concat.js";
import type { JoinNode } from "../plan/nodes.js";
import { broadcastBatches } from "../sources/broadcast.js";
import { type ExecContext, throwIfAborted } from "./context.js";
import { crossJoinStream } from "./cross-join.js";
import type { Operator } from "./operator.js";

/**
 * The probe side of a broadcast join, on a compute thread: each batch of the left input is
 * looked up in the right side's hash table, built once by the calling thread and shared
 * (exec/broadcast.ts), and joined with the matching right rows as it streams through. Output
 * order is the join's own: left row order, a left row's matches in right row order.
 */
export class BroadcastJoinOperator implements Operator {
  readonly name = "BroadcastJoin";
  readonly schema: Schema;
  readonly children: readonly Operator[];
  constructor(
    private readonly node: JoinNode,
    private readonly left: Operator,
    private readonly slot: number,
  ) {
    this.schema = node.schema;
    this.children = [left];
  }
  describe(): string {
    if (this.node.how === "cross") return `cross, right side #${this.slot} shared`;
    return `${this.node.how} on ${this.node.leftOn.join(", ")}, right side #${this.slot} shared`;
  }
  async *execute(ctx: ExecContext): AsyncGenerator<RecordBatch> {
    const { how, leftOn, rightOn, right } = this.node;
    const input = ctx.broadcasts[this.slot];
    const rbatches = broadcastBatches(ctx, this.slot);
    const rcols: Data[] = concatBatches(right.schema, rbatches);
    if (how === "cross") {
      const rows = rbatches.reduce((n, b) => n + b.numRows, 0);
      yield* crossJoinStream(this.schema, this.left.execute(ctx), { columns: rcols, rows }, ctx);
      return;
    }
    if (!input?.build) throw new Error("internal: a broadcast hash join has no build table");
    const rnames = right.schema.fields.map((f) => f.name);
    const rtypes = rightOn.map((k) => right.schema.fields[rnames.indexOf(k)]!.type);
    const build = JoinBuild.fromBuffers(rtypes, input.build, true);
    const rightKept = rnames.flatMap((n, k) => (rightOn.includes(n) ? [] : [k]));
    const lnames = this.left.schema.fields.map((f) => f.name);
    const keyAt = leftOn.map((k) => lnames.indexOf(k));
    const withRight = how !== "semi" && how !== "anti";
    for await (const batch of this.left.execute(ctx)) {
      throwIfAborted(ctx.signal);
      if (batch.numRows === 0) continue;
      const lcols = batch.data.children;
      const pairs = probePrimary(
        build,
        keyAt.map((k) => lcols[k]!),
        0,
        how as Mode,
        null,
      );
      const cols = lcols.map((c) => takeData(c, pairs.p));
      if (withRight) for (const k of rightKept) cols.push(takeData(rcols[k]!, pairs.s));
      yield makeBatch(this.schema, cols, pairs.p.length);
    }
  }
}
