// Runs on a compute thread: one partition of a plan fragment, executed by the same operators
// a single-threaded run uses, its output sent back as one IPC stream.

import type { MessagePort } from "node:worker_threads";
import { Field, type RecordBatch, Schema, Table, tableToIPC } from "apache-arrow";
import { checkKeyType } from "../../kernels/hash.js";
import { hashBuckets } from "../../kernels/hash-buckets.js";
import { takeData } from "../../kernels/take.js";
import { makeBatch } from "../../kernels/take-concat.js";
import { planFromJson } from "../../plan/json/plan.js";
import { portPermits } from "../../udf/permits.js";
import { AggregateOperator } from "../aggregate.js";
import { createContext, type ExecContext } from "../context.js";
import type { DeftEvent, ScanEndEvent, UdfEvent } from "../events.js";
import { lowerLocal } from "../lower.js";
import type { Operator } from "../operator.js";
import type { BucketBy, FragmentReply, FragmentTask } from "./protocol.js";

export async function runFragmentTask(task: FragmentTask): Promise<FragmentReply> {
  const udfEvents = task.events ? new EventBatches(task.events) : undefined;
  try {
    // The plan was optimized and cut into partitions by the calling thread: lower it as it is.
    const root = lowerLocal(planFromJson(task.plan));
    const scans: ScanEndEvent[] = [];
    const listen = (e: DeftEvent) => {
      if (e.type === "scan:end") scans.push(e);
      else if (udfEvents && e.type.startsWith("udf:")) udfEvents.add(e as UdfEvent);
    };
    const permits = task.permits ? portPermits(task.permits) : undefined;
    const ctx = createContext(
      new AbortController().signal,
      [listen],
      1,
      task.broadcasts ?? [],
      undefined,
      permits,
    );
    if (task.output === "buckets") {
      const batches = await all(root, ctx);
      if (batches.length === 0) return { ipc: null, scans };
      return { ipc: null, scans, buckets: toBuckets(root.schema, batches, bucketByOf(task)) };
    }
    const batches =
      task.output === "partialAggregate"
        ? [await partialAggregate(root, ctx)]
        : await all(root, ctx);
    if (batches.length === 0) return { ipc: null, scans };
    return { ipc: tableToIPC(new Table(batches), "stream"), scans };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    return { ipc: null, scans: [], error: { name: e.name, message: e.message, stack: e.stack } };
  } finally {
    task.permits?.close();
    udfEvents?.end();
  }
}

/** How often a fragment sends the UDF events gathered since the last send. */
const EVENTS_EVERY_MS = 100;

/** UDF events sent in arrays (one message per `EVENTS_EVERY_MS`, not one per call). */
class EventBatches {
  private batch: UdfEvent[] = [];
  private readonly timer: ReturnType<typeof setInterval>;
  constructor(private readonly port: MessagePort) {
    this.timer = setInterval(() => this.send(), EVENTS_EVERY_MS);
  }
  add(e: UdfEvent): void {
    this.batch.push(e);
  }
  private send(): void {
    if (this.batch.length === 0) return;
    this.port.postMessage(this.batch);
    this.batch = [];
  }
  /** The last events, then `null`: the task sent everything. */
  end(): void {
    clearInterval(this.timer);
    this.send();
    this.port.postMessage(null); // the receiving side closes the port
  }
}

function bucketByOf(task: FragmentTask): BucketBy {
  if (!task.bucketBy) throw new Error("internal: a buckets task needs its bucketBy");
  return task.bucketBy;
}

/**
 * The rows cut by the hash of their keys into `by.count` IPC streams (null: no rows). Each
 * batch is bucketed on its own (no concatenation first); a bucket's stream holds one batch
 * per input batch that had rows for it.
 */
function toBuckets(schema: Schema, batches: RecordBatch[], by: BucketBy): (Uint8Array | null)[] {
  const names = schema.fields.map((f) => f.name);
  const at = by.keys.map((k) => {
    const i = names.indexOf(k);
    if (i < 0) throw new Error(`internal: a shuffle key "${k}" is not among the side's columns`);
    return i;
  });
  const kinds = at.map((i, k) => checkKeyType(schema.fields[i]!.type, by.keys[k]!, "join"));
  const parts: RecordBatch[][] = Array.from({ length: by.count }, () => []);
  for (const batch of batches) {
    const cols = batch.data.children;
    const keys = at.map((i) => cols[i]!);
    const { perm, starts } = hashBuckets(keys, kinds, batch.numRows, by.count);
    for (let b = 0; b < by.count; b++) {
      const rows = perm.subarray(starts[b]!, starts[b + 1]!);
      if (rows.length === 0) continue;
      parts[b]!.push(
        makeBatch(
          schema,
          cols.map((c) => takeData(c, rows)),
          rows.length,
        ),
      );
    }
  }
  return parts.map((p) => (p.length === 0 ? null : tableToIPC(new Table(p), "stream")));
}

async function all(root: Operator, ctx: ExecContext): Promise<RecordBatch[]> {
  const out: RecordBatch[] = [];
  for await (const batch of root.execute(ctx)) if (batch.numRows > 0) out.push(batch);
  return out;
}

/** The partition folded into one aggregation state, exported as key then state columns. */
async function partialAggregate(root: Operator, ctx: ExecContext): Promise<RecordBatch> {
  if (!(root instanceof AggregateOperator)) {
    throw new Error(
      `a partial aggregation task needs an aggregation at its root, got ${root.name}`,
    );
  }
  const state = root.newState();
  for await (const batch of root.children[0]!.execute(ctx)) {
    if (batch.numRows > 0) root.fold(state, batch);
  }
  const p = state.exportState();
  const cols = [...p.keys, ...p.states];
  const schema = new Schema(cols.map((c, i) => new Field(`c${i}`, c.type, true)));
  return makeBatch(schema, cols, p.numGroups);
}
