import { type RecordBatch, type Schema, tableFromIPC } from "apache-arrow";
import { FileError } from "../io/files.js";
import { rowGroupLabel } from "../io/parquet-tasks.js";
import { makeBatch } from "../kernels/take-concat.js";
import { type PlanJson, planToJson } from "../plan/json/plan.js";
import { isObject, type JsonObject } from "../plan/json/values.js";
import { type SourceNode, scanSource } from "../plan/nodes/source.js";
import type { PlanNode } from "../plan/nodes.js";
import type { ScanPartitions, ScanSplit } from "../plan/source.js";
import { isBroadcastJoin, prepareBroadcasts } from "./broadcast.js";
import { abortError, type ExecContext } from "./context.js";
import type { ScanEndEvent } from "./events.js";
import type { Operator } from "./operator.js";
import { orderedMap } from "./ordered-map.js";
import { RemoteUdfEvents } from "./remote-udf-events.js";
import { type Runner, stageProgress } from "./runner.js";
import { runCompute } from "./threads/pool.js";
import type { BroadcastInput, FragmentReply, FragmentTask, TaskError } from "./threads/protocol.js";

/**
 * The scan at the bottom of a chain of filters, projections and broadcast joins (through
 * their left inputs) over a source that splits into partitions, or undefined. Such a chain is
 * row by row in its left input, so each partition can run on its own thread and the outputs,
 * in partition order, are the chain's; a join's right side is materialized once and shared
 * (exec/broadcast.ts).
 */
export function chainScan(node: PlanNode, udfs = false): SourceNode | undefined {
  const n = chainBottom(node, udfs);
  if (n.kind !== "source" || n.pushed.limit !== undefined) return undefined;
  return scanSource(n).partitions ? n : undefined;
}

/** The node below a chain of filters, projections and broadcast joins (`node` if none). */
export function chainBottom(node: PlanNode, udfs: boolean): PlanNode {
  let n: PlanNode = node;
  while (inChain(n, udfs)) n = n.kind === "join" ? n.left : n.input;
  return n;
}

/**
 * A node a chain passes through: filters, projections, broadcast joins, and (`udfs`, in a run
 * with a runner, whose tasks run UDFs on the worker processes) UDF projections.
 */
export function inChain(
  n: PlanNode,
  udfs: boolean,
): n is Extract<PlanNode, { kind: "filter" | "project" | "udfProject" | "join" }> {
  return (
    n.kind === "filter" ||
    n.kind === "project" ||
    isBroadcastJoin(n) ||
    (udfs && n.kind === "udfProject")
  );
}

/** A chain worth a fragment of its own: a filter, projection or broadcast join over the scan. */
export function fragmentScan(node: PlanNode, udfs = false): SourceNode | undefined {
  return inChain(node, udfs) ? chainScan(node, udfs) : undefined;
}

/** The partitions a scan splits into (undefined when it does not split). */
export function partitionsOf(scan: SourceNode): ScanPartitions | undefined {
  return scanSource(scan).partitions?.(scan.pushed);
}

/**
 * The partitions a run sends to the compute threads, or undefined when it runs on the
 * calling thread (`threads: 1`, or a scan of a single partition).
 */
export function threadPartitions(scan: SourceNode, ctx: ExecContext): ScanPartitions | undefined {
  // A runner takes every split scan, one task per partition, whatever this process's threads.
  if (ctx.runner) return partitionsOf(scan);
  const parts = ctx.threads > 1 ? partitionsOf(scan) : undefined;
  return parts && parts.splits.length >= 2 ? parts : undefined;
}

/**
 * Partitions for an operator that folds each into one state: with a runner one task per
 * partition (the runner spreads them over its workers), else `FOLDS_PER_THREAD` per thread.
 */
export function foldPartitions(scan: SourceNode, ctx: ExecContext): ScanPartitions | undefined {
  const split = threadPartitions(scan, ctx);
  if (!split || ctx.runner) return split;
  return coalescePartitions(split, FOLDS_PER_THREAD * ctx.threads);
}

/**
 * Partitions merged, in order, into at most `count`: for operators that fold a partition
 * into one state (partial aggregates, sorted runs), whose calling thread then merges one
 * state per partition. A few per thread keep the threads evenly busy; more only add merge
 * work (46 row groups of a TPC-H lineitem each gave the merge its own 40K groups).
 */
export function coalescePartitions(parts: ScanPartitions, count: number): ScanPartitions {
  const n = parts.splits.length;
  if (n <= count) return parts;
  const splits: ScanSplit[][] = [];
  for (let k = 0; k < count; k++) {
    const from = Math.floor((k * n) / count);
    const to = Math.floor(((k + 1) * n) / count);
    splits.push(mergeSplits(parts.splits.slice(from, to).flat()));
  }
  return { splits, rowGroupsSkipped: parts.rowGroupsSkipped };
}

/** Consecutive splits of one file become one (its row groups in order). */
function mergeSplits(splits: ScanSplit[]): ScanSplit[] {
  const out: ScanSplit[] = [];
  for (const s of splits) {
    const last = out[out.length - 1];
    if (last && last.path === s.path) last.rowGroups = [...last.rowGroups, ...s.rowGroups];
    else out.push({ path: s.path, rowGroups: [...s.rowGroups] });
  }
  return out;
}

/** Partitions per thread for operators that fold each partition into one state. */
export const FOLDS_PER_THREAD = 2;

/** How an operator over a split scan runs, for explain: `how(n)` with n partitions, or here. */
export function describeSplit(scan: SourceNode, how: (partitions: number) => string): string {
  const n = partitionsOf(scan)?.splits.length;
  return n ? how(n) : "on the calling thread";
}

/** What one partition's task sent back: its output as Arrow IPC bytes. */
export interface PartitionOutput {
  ipc: Uint8Array;
}

/**
 * Runs `plan` once per partition on the compute threads, at most `threads` at once, and
 * yields what each sent back, in partition order. The partitions' scans report one
 * `scan:end` event between them, as one scan on the calling thread would.
 */
export async function* runPartitions(
  plan: PlanNode,
  parts: ScanPartitions,
  output: FragmentTask["output"],
  ctx: ExecContext,
): AsyncGenerator<PartitionOutput> {
  const scans: ScanEndEvent[] = [];
  const files = new Set<string>();
  const shipped = await prepareBroadcasts(plan, ctx);
  // Encoded once; each partition's task differs only in its scan's split.
  const json = planToJson(shipped.plan);
  if (ctx.runner) {
    yield* runOnRunner(ctx.runner, json, parts, output, shipped.broadcasts, ctx);
    return;
  }
  const run = (split: ScanSplit[], _seq: number, signal: AbortSignal) => {
    for (const s of split) files.add(s.path);
    return runFragment(json, split, output, shipped.broadcasts, ctx, signal, scans);
  };
  try {
    for await (const out of orderedMap(parts.splits, run, {
      concurrency: ctx.threads,
      signal: ctx.signal,
    })) {
      if (out) yield out;
    }
  } finally {
    emitScans(ctx, scans, parts, files);
  }
}

/**
 * The partitions' `scan:end` events as one, as one scan on the calling thread reports it.
 * `files` are those opened (default: every file of the partitions, which a stage whose
 * tasks all ran opened).
 */
export function emitScans(
  ctx: ExecContext,
  scans: readonly ScanEndEvent[],
  parts: ScanPartitions,
  files: ReadonlySet<string> = new Set(parts.splits.flat().map((s) => s.path)),
): void {
  const first = scans[0];
  if (!first) return;
  const sum = (k: "rowGroupsRead" | "rowsRead") => scans.reduce((n, e) => n + e[k], 0);
  const filtered = scans.filter((e) => e.rowsFiltered !== undefined);
  ctx.emit({
    ...first,
    filesOpened: files.size,
    rowGroupsRead: sum("rowGroupsRead"),
    rowGroupsSkipped: parts.rowGroupsSkipped,
    rowsRead: sum("rowsRead"),
    ...(filtered.length > 0 && {
      rowsFiltered: filtered.reduce((n, e) => n + e.rowsFiltered!, 0),
    }),
    tasks: parts.splits.length,
    threads: ctx.threads,
  });
}

/**
 * Runs `plan` (whose one scan is narrowed to `split`) on a compute thread; resolves to the
 * IPC bytes it sent back. Errors keep their name; a thread that died names file and row group.
 */
async function runFragment(
  plan: PlanJson,
  split: ScanSplit[],
  output: FragmentTask["output"],
  broadcasts: BroadcastInput[],
  ctx: ExecContext,
  signal: AbortSignal,
  scans: ScanEndEvent[],
): Promise<PartitionOutput | null> {
  const task: FragmentTask = { kind: "fragment", plan: withSplit(plan, split), output };
  if (broadcasts.length) task.broadcasts = broadcasts;
  let reply: FragmentReply;
  try {
    reply = await runCompute(task, ctx.threads, signal);
  } catch (err) {
    if (ctx.signal.aborted) throw abortError(ctx.signal);
    throw threadDied(split, err);
  }
  scans.push(...reply.scans);
  if (reply.error) throw taskError(reply.error);
  if (!reply.ipc) return null;
  return { ipc: reply.ipc };
}

/** The stage on the run's runner: its replies in partition order, scans reported as one. */
async function* runOnRunner(
  runner: Runner,
  json: PlanJson,
  parts: ScanPartitions,
  output: FragmentTask["output"],
  broadcasts: BroadcastInput[],
  ctx: ExecContext,
): AsyncGenerator<PartitionOutput> {
  if (output === "buckets") throw new Error("internal: a runner shuffles through shuffleStage");
  const stage = { tasks: parts.splits.map((s) => withSplit(json, s)), output, broadcasts };
  const scans: ScanEndEvent[] = [];
  const udfEvents = new RemoteUdfEvents(ctx);
  try {
    for await (const reply of runner.runStage(
      stage,
      ctx.signal,
      udfEvents.listener(),
      stageProgress(ctx),
    )) {
      scans.push(...reply.scans);
      if (reply.error) throw taskError(reply.error);
      if (reply.ipc) yield { ipc: reply.ipc };
    }
  } finally {
    udfEvents.end();
    emitScans(ctx, scans, parts);
  }
}

/** Runs a chain of operators per partition of its scan on the compute threads, in order. */
export class FragmentOperator implements Operator {
  readonly name = "Fragment";
  readonly schema: Schema;
  readonly children: readonly Operator[];
  constructor(
    private readonly chain: PlanNode,
    private readonly scan: SourceNode,
    /** The same chain on the calling thread, for `threads: 1` and unsplittable scans. */
    private readonly local: Operator,
  ) {
    this.schema = chain.schema;
    this.children = [local];
  }
  describe(): string {
    return describeSplit(
      this.scan,
      (n) => `${n} ${n === 1 ? "partition" : "partitions"} on the compute threads`,
    );
  }
  async *execute(ctx: ExecContext): AsyncGenerator<RecordBatch> {
    const parts = threadPartitions(this.scan, ctx);
    if (!parts) {
      yield* this.local.execute(ctx);
      return;
    }
    // operator:start/end come from the metering wrapper every lowered operator has.
    for await (const { ipc } of runPartitions(this.chain, parts, "batches", ctx)) {
      for (const batch of tableFromIPC(ipc).batches) {
        yield makeBatch(this.schema, batch.data.children, batch.numRows);
      }
    }
  }
}

/**
 * The chain's JSON with its scan (the source at the bottom of the left inputs) narrowed to
 * `split`; a join's right side is a broadcast source, which is not split.
 */
export function withSplit(json: PlanJson, split: ScanSplit[]): PlanJson {
  const narrow = (node: JsonObject): JsonObject => {
    if (node.kind === "source") {
      const pushed = isObject(node.pushed) ? node.pushed : {};
      return { ...node, pushed: { ...pushed, split: split.map((s) => ({ ...s })) } };
    }
    const [first, ...rest] = node.inputs as JsonObject[];
    return { ...node, inputs: [narrow(first!), ...rest] };
  };
  return { ...json, plan: narrow(json.plan) };
}

/** An error raised inside the task, with its name (PlanError, FileError, RangeError…) kept. */
export function taskError(e: TaskError): Error {
  const err = new Error(e.message);
  err.name = e.name;
  if (e.stack) err.stack = e.stack;
  return err;
}

/** The thread running the partition ended (a wasm trap on corrupt data, or out of memory). */
function threadDied(split: ScanSplit[], cause: unknown): Error {
  const first = split[0]!;
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new FileError(
    "Parquet",
    first.path,
    `${rowGroupLabel(first.rowGroups)} could not be read: the thread decoding it stopped (${reason}). The file may be corrupt or truncated.`,
    { cause },
  );
}
