import { statSync } from "node:fs";
import { type RecordBatch, type Schema, tableFromIPC } from "apache-arrow";
import { keyKindOf } from "../kernels/hash.js";
import { makeBatch } from "../kernels/take-concat.js";
import { type PlanJson, planToJson } from "../plan/json/plan.js";
import { scanSource, sourceNode } from "../plan/nodes/source.js";
import {
  type JoinNode,
  type PlanNode,
  planInputs,
  transformPlan,
  withInputs,
} from "../plan/nodes.js";
import type { ScanPartitions } from "../plan/source.js";
import { typeName } from "../types/dtype.js";
import { prepareBroadcasts } from "./broadcast.js";
import type { ExecContext } from "./context.js";
import type { ScanEndEvent } from "./events.js";
import { chainBottom, emitScans, inChain, partitionsOf, taskError, withSplit } from "./fragment.js";
import { joinKeysText } from "./join.js";
import type { Operator } from "./operator.js";
import { RemoteUdfEvents } from "./remote-udf-events.js";
import { isReverseJoin } from "./reverse-join.js";
import { type Runner, type RunnerShuffle, stageProgress } from "./runner.js";
import type { BroadcastInput } from "./threads/protocol.js";

// A join of two large sides in a distributed run: each side's tasks cut their rows by the
// hash of the join keys into N bucket files in the runner's shared storage (a shuffle stage
// per side), then one task per bucket joins the bucket's left files with its right files.
// Equal keys hash alike on both sides, so every match lies within one bucket, and every row
// of either side is in exactly one bucket: the buckets' outputs together are the join's, for
// every kind of join (unmatched rows of an outer side are unmatched in their bucket too).

/** The default of `Runner.broadcastBytes`: right sides above 64 MiB on disk are shuffled. */
export const DEFAULT_BROADCAST_BYTES = 64 * 1024 * 1024;

/** At most this many buckets per shuffle (the partitions of the larger side, up to this). */
export const MAX_BUCKETS = 256;

type ShuffledJoin = JoinNode & { shuffle: number };

const isShuffled = (n: PlanNode): n is ShuffledJoin => n.kind === "join" && n.shuffle !== undefined;

/**
 * The plan with the joins a run on `runner` hash-shuffles marked (`shuffle`: their bucket
 * count): equi-joins whose two sides are chains the runner's tasks can run (over a split scan
 * or a shuffled join), with keys of the same types on both sides, and whose right side is
 * estimated above `runner.broadcastBytes` (right and outer joins, which cannot broadcast:
 * both sides together). Smaller right sides stay broadcast; the plan is unchanged without a
 * runner that shuffles.
 */
export function planShuffles(plan: PlanNode, runner: Runner | undefined): PlanNode {
  if (!runner?.shuffleStage) return plan;
  const limit = runner.broadcastBytes ?? DEFAULT_BROADCAST_BYTES;
  return transformPlan(plan, (n) => {
    if (n.kind !== "join" || n.how === "cross" || n.leftOn.length === 0) return n;
    const reverse: boolean = isReverseJoin(n);
    if (reverse || !sameKeyTypes(n)) return n;
    const left = bucketsOf(n.left);
    const right = bucketsOf(n.right);
    if (left === undefined || right === undefined) return n;
    const outer = n.how === "right" || n.how === "outer";
    const bytes = estimateBytes(n.right) + (outer ? estimateBytes(n.left) : 0);
    if (bytes <= limit) return n;
    return { ...n, shuffle: Math.min(MAX_BUCKETS, Math.max(left, right, 1)) };
  });
}

/** Keys both sides hash alike: the same type, one that can be a key, pair by pair. */
function sameKeyTypes(n: JoinNode): boolean {
  return n.leftOn.every((l, i) => {
    const a = n.left.schema.fields.find((f) => f.name === l)?.type;
    const b = n.right.schema.fields.find((f) => f.name === n.rightOn[i])?.type;
    return a && b && keyKindOf(a) !== null && typeName(a) === typeName(b);
  });
}

/** How many tasks a side runs as (its scan's partitions, or the buckets below), or none. */
function bucketsOf(side: PlanNode): number | undefined {
  const bottom = chainBottom(side, true);
  if (isShuffled(bottom)) return bottom.shuffle;
  if (bottom.kind !== "source" || bottom.pushed.limit !== undefined) return undefined;
  return partitionsOf(bottom)?.splits.length;
}

/** A side's size from what is known before running it: its files' bytes on disk. */
function estimateBytes(side: PlanNode): number {
  const bottom = chainBottom(side, true);
  if (isShuffled(bottom)) return estimateBytes(bottom.left) + estimateBytes(bottom.right);
  if (bottom.kind !== "source") return Number.POSITIVE_INFINITY;
  const paths = new Set(partitionsOf(bottom)?.splits.flatMap((s) => s.map((p) => p.path)));
  let bytes = 0;
  for (const p of paths) {
    try {
      bytes += statSync(p).size;
    } catch {
      // Not a file (a range, an in-memory table): 8 bytes a value.
      return (scanSource(bottom).numRows ?? 0) * 8 * bottom.schema.fields.length;
    }
  }
  return bytes;
}

/**
 * The shuffled join at the bottom of a chain of filters, projections and broadcast joins
 * (or `node` itself), or undefined: what `ShuffleJoinOperator` runs.
 */
export function shuffledBelow(node: PlanNode): ShuffledJoin | undefined {
  if (isShuffled(node)) return node;
  if (!inChain(node, true)) return undefined;
  const bottom = chainBottom(node, true);
  return isShuffled(bottom) ? bottom : undefined;
}

/**
 * A chain over a shuffled join: each side shuffled by the runner, then one task per bucket
 * runs the chain over the bucket's join; the output is the buckets' outputs in bucket order
 * (not the left side's row order).
 */
export class ShuffleJoinOperator implements Operator {
  readonly name = "ShuffleJoin";
  readonly schema: Schema;
  readonly children: readonly Operator[] = [];
  constructor(
    private readonly top: PlanNode,
    private readonly join: ShuffledJoin,
  ) {
    this.schema = top.schema;
  }
  describe(): string {
    const n = this.join.shuffle;
    return `${this.join.how} on ${joinKeysText(this.join)}: both sides hash-shuffled into ${n} ${n === 1 ? "bucket" : "buckets"} on the runner`;
  }
  async *execute(ctx: ExecContext): AsyncGenerator<RecordBatch> {
    const runner = shufflingRunner(ctx);
    const shuffles: RunnerShuffle[] = [];
    try {
      const stage = await stageOf(this.top, ctx, shuffles, ctx.signal);
      const udfEvents = new RemoteUdfEvents(ctx);
      try {
        const spec = {
          tasks: stage.tasks,
          output: "batches" as const,
          broadcasts: stage.broadcasts,
        };
        for await (const reply of runner.runStage(
          spec,
          ctx.signal,
          udfEvents.listener(),
          stageProgress(ctx),
        )) {
          if (reply.error) throw taskError(reply.error);
          if (!reply.ipc) continue;
          for (const b of tableFromIPC(reply.ipc).batches)
            yield makeBatch(this.schema, b.data.children, b.numRows);
        }
      } finally {
        udfEvents.end();
      }
    } finally {
      await Promise.allSettled(shuffles.map((s) => s.release()));
    }
  }
}

function shufflingRunner(ctx: ExecContext): Runner & Required<Pick<Runner, "shuffleStage">> {
  const runner = ctx.runner;
  if (!runner?.shuffleStage)
    throw new Error("internal: a shuffled join runs only with a runner that shuffles");
  return runner as Runner & Required<Pick<Runner, "shuffleStage">>;
}

/** A stage's tasks: the chain per partition of its scan, or per bucket of its shuffled join. */
interface StagePlan {
  tasks: PlanJson[];
  broadcasts: BroadcastInput[];
  /** For a chain over a scan: its partitions (for the scan:end event). */
  parts?: ScanPartitions;
}

/**
 * The tasks of the chain `node`: its broadcast joins' right sides materialized here, and its
 * bottom either a split scan (a task per partition) or a shuffled join, whose sides are
 * shuffled first (a task per bucket that has rows to join). `shuffles` collects every
 * shuffle started, for the caller to release.
 */
async function stageOf(
  node: PlanNode,
  ctx: ExecContext,
  shuffles: RunnerShuffle[],
  signal: AbortSignal,
): Promise<StagePlan> {
  const bottom = chainBottom(node, true);
  const shipped = await prepareBroadcasts(node, ctx);
  if (!isShuffled(bottom)) {
    const parts = bottom.kind === "source" ? partitionsOf(bottom) : undefined;
    if (!parts) throw new Error("internal: a shuffle side is neither a split scan nor a shuffle");
    const json = planToJson(shipped.plan);
    return {
      tasks: parts.splits.map((s) => withSplit(json, s)),
      broadcasts: shipped.broadcasts,
      parts,
    };
  }
  const [left, right] = await bothSides(signal, (s) => [
    shuffleSide(bottom.left, bottom.leftOn, bottom.shuffle, ctx, shuffles, s),
    shuffleSide(bottom.right, bottom.rightOn, bottom.shuffle, ctx, shuffles, s),
  ]);
  const tasks: PlanJson[] = [];
  for (let b = 0; b < bottom.shuffle; b++) {
    const l = left[b]!;
    const r = right[b]!;
    if (emptyJoin(bottom.how, l.length === 0, r.length === 0)) continue;
    const { shuffle: _, ...plain } = bottom;
    const join: JoinNode = {
      ...plain,
      left: bucketSource(bottom.left.schema, l),
      right: bucketSource(bottom.right.schema, r),
    };
    tasks.push(planToJson(replaceNode(shipped.plan, bottom, join)));
  }
  return { tasks, broadcasts: shipped.broadcasts };
}

/**
 * The two sides' shuffles, run at once; when one fails the other is stopped, and both have
 * settled (every shuffle they started is in `shuffles`, for release) before the first
 * failure is thrown.
 */
async function bothSides(
  signal: AbortSignal,
  start: (signal: AbortSignal) => [Promise<string[][]>, Promise<string[][]>],
): Promise<[string[][], string[][]]> {
  const stop = new AbortController();
  const onAbort = () => stop.abort(signal.reason);
  if (signal.aborted) onAbort();
  else signal.addEventListener("abort", onAbort, { once: true });
  try {
    const sides = start(stop.signal).map((p) =>
      p.catch((err: unknown) => {
        stop.abort(err);
        throw err;
      }),
    );
    const settled = await Promise.allSettled(sides);
    // The first side to fail stopped the other: its own error is the one to report.
    const failed = settled.find(
      (r): r is PromiseRejectedResult => r.status === "rejected" && r.reason === stop.signal.reason,
    );
    if (failed) throw failed.reason;
    const other = settled.find((r) => r.status === "rejected");
    if (other) throw (other as PromiseRejectedResult).reason;
    return settled.map((r) => (r as PromiseFulfilledResult<string[][]>).value) as [
      string[][],
      string[][],
    ];
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

/** A side cut into buckets by the runner: per bucket, its files. */
async function shuffleSide(
  side: PlanNode,
  keys: string[],
  count: number,
  ctx: ExecContext,
  shuffles: RunnerShuffle[],
  signal: AbortSignal,
): Promise<string[][]> {
  const runner = shufflingRunner(ctx);
  const stage = await stageOf(side, ctx, shuffles, signal);
  if (stage.tasks.length === 0) return Array.from({ length: count }, () => []);
  const udfEvents = new RemoteUdfEvents(ctx);
  let scans: ScanEndEvent[] = [];
  try {
    const shuffle = await runner.shuffleStage(
      { tasks: stage.tasks, broadcasts: stage.broadcasts, bucketBy: { keys, count } },
      signal,
      udfEvents.listener(),
      stageProgress(ctx),
    );
    shuffles.push(shuffle);
    scans = shuffle.scans;
    return shuffle.buckets;
  } finally {
    udfEvents.end();
    if (stage.parts) emitScans(ctx, scans, stage.parts);
  }
}

/** Whether a bucket's join has no rows, from which of its sides are empty. */
function emptyJoin(how: JoinNode["how"], left: boolean, right: boolean): boolean {
  switch (how) {
    case "inner":
    case "semi":
    case "cross":
      return left || right;
    case "left":
    case "anti":
      return left;
    case "right":
      return right;
    case "outer":
      return left && right;
  }
}

function bucketSource(schema: Schema, paths: string[]): PlanNode {
  return sourceNode({ format: "shuffle", paths, options: {}, schema });
}

/** `node` with `target` (found by identity) replaced by `by`. */
function replaceNode(node: PlanNode, target: PlanNode, by: PlanNode): PlanNode {
  if (node === target) return by;
  const inputs = planInputs(node);
  const next = inputs.map((i) => replaceNode(i, target, by));
  return next.every((n, i) => n === inputs[i]) ? node : withInputs(node, next);
}
