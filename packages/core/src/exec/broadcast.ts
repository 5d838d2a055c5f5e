import { RecordBatchStreamWriter, type Schema } from "apache-arrow";
import { JoinBuild, type JoinBuildBuffers } from "../kernels/join.js";
import { concatBatches, makeBatch } from "../kernels/take-concat.js";
import { sourceNode } from "../plan/nodes/source.js";
import type { JoinNode, PlanNode, SourceNode } from "../plan/nodes.js";
import { type ExecContext, throwIfAborted } from "./context.js";
import { lowerPlan } from "./lower.js";
import { isReverseJoin } from "./reverse-join.js";
import type { BroadcastInput } from "./threads/protocol.js";

/**
 * Joins a fragment can run per partition of its left input: every output row comes from one
 * left row, in left row order, so partitions of the left side join independently against one
 * shared build of the right side. (Right and outer joins also emit unmatched right rows,
 * which only the whole left input can decide.) A cross join pairs each left row with the
 * whole right side, so it splits the same way (the right side is shared, with no hash table).
 * A join a distributed run hash-shuffles (exec/shuffle-join.ts) is not broadcast.
 */
export function isBroadcastJoin(node: PlanNode): node is JoinNode {
  return (
    node.kind === "join" &&
    (node.how === "inner" ||
      node.how === "left" ||
      node.how === "semi" ||
      node.how === "anti" ||
      node.how === "cross") &&
    node.shuffle === undefined &&
    !isReverseJoin(node)
  );
}

/**
 * Materializes the right side of every broadcast join in `plan`'s chain (on the calling
 * thread, whose operators may themselves use the threads), builds its hash table once, and
 * puts both in shared memory. Returns the plan with those sides replaced by `broadcast`
 * sources naming their slots, which is what the compute threads receive.
 */
export async function prepareBroadcasts(
  plan: PlanNode,
  ctx: ExecContext,
): Promise<{ plan: PlanNode; broadcasts: BroadcastInput[] }> {
  const broadcasts: BroadcastInput[] = [];
  const visit = async (node: PlanNode): Promise<PlanNode> => {
    switch (node.kind) {
      case "aggregate":
      case "sort":
      case "filter":
      case "project":
      case "udfProject":
        return { ...node, input: await visit(node.input) };
      case "join": {
        if (!isBroadcastJoin(node)) return node;
        const left = await visit(node.left);
        const slot = broadcasts.length;
        broadcasts.push(await materialize(node, ctx));
        return { ...node, left, right: broadcastNode(node.right.schema, slot) };
      }
      default:
        return node;
    }
  };
  return { plan: await visit(plan), broadcasts };
}

function broadcastNode(schema: Schema, slot: number): SourceNode {
  return sourceNode({ format: "broadcast", paths: [], options: { slot }, schema });
}

async function materialize(join: JoinNode, ctx: ExecContext): Promise<BroadcastInput> {
  const op = lowerPlan(join.right, ctx.runner !== undefined);
  const batches = [];
  for await (const b of op.execute(ctx)) {
    throwIfAborted(ctx.signal);
    if (b.numRows > 0) batches.push(b);
  }
  const cols = concatBatches(op.schema, batches);
  const names = op.schema.fields.map((f) => f.name);
  const rows = batches.reduce((k, b) => k + b.numRows, 0);
  const ipc = RecordBatchStreamWriter.writeAll([makeBatch(op.schema, cols, rows)]).toUint8Array(
    true,
  );
  if (join.how === "cross") return { ipc: share(ipc) };
  const build = JoinBuild.build(join.rightOn.map((k) => cols[names.indexOf(k)]!));
  return { ipc: share(ipc), build: shareBuild(build.toBuffers()) };
}

type Typed = Uint8Array | Int32Array | Float64Array;

/** A copy of `a` over a SharedArrayBuffer: posted to a thread, it is shared, not cloned. */
function share<T extends Typed>(a: T): T {
  const Ctor = a.constructor as new (buffer: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(a.byteLength));
  out.set(a as never);
  return out;
}

function shareBuild(b: JoinBuildBuffers): JoinBuildBuffers {
  const dense = b.dense && { ...b.dense, map: share(b.dense.map) };
  return {
    ...(dense ? { dense } : {}),
    start: share(b.start),
    rows: share(b.rows),
    table: {
      numGroups: b.table.numGroups,
      slots: share(b.table.slots),
      groupHash: share(b.table.groupHash),
      stores: b.table.stores.map((s) => ({
        size: s.size,
        valid: share(s.valid),
        num: share(s.num),
        words: share(s.words),
        offs: share(s.offs),
        bytes: share(s.bytes),
      })),
    },
  };
}
