import { type Data, Field, Schema, Table, tableFromIPC, tableToIPC } from "apache-arrow";
import { type KeyKind, keyKindOf } from "../kernels/hash.js";
import { hashBuckets } from "../kernels/hash-buckets.js";
import { takeData } from "../kernels/take.js";
import { concatData, makeBatch } from "../kernels/take-concat.js";
import type { JsonObject } from "../plan/json/values.js";
import { abortError, type ExecContext } from "./context.js";
import { taskError } from "./fragment.js";
import { runCompute } from "./threads/pool.js";
import type { WindowReply, WindowTask } from "./threads/protocol.js";
import { encodeWindowSpec } from "./threads/window-task.js";
import { type WindowSpec, windowInputs } from "./window-compute.js";

/** Below this many rows a window is computed on the calling thread. */
export const PARALLEL_WINDOW_ROWS = 100_000;

/**
 * Fewest threads for which a window runs on the compute threads. The calling thread hashes
 * the partition keys, gathers each bucket's columns and puts the results back in input
 * order, about 0.4 of the whole work on 10M rows in 1000 partitions; with two threads that
 * share, plus the crossing, made rank slower than one thread (1.95 s against 1.6 s), so a
 * window spreads only where more threads pay for it.
 */
export const PARALLEL_WINDOW_THREADS = 4;

/** A bucket holding more than this share of the rows (one huge partition) is not worth it. */
const MAX_BUCKET_SHARE = 0.9;

/** Whether a window with these keys runs on the compute threads at `threads` (for explain). */
export function windowOnThreads(spec: Pick<WindowSpec, "partitionBy">, threads: number): boolean {
  return spec.partitionBy.length > 0 && threads >= PARALLEL_WINDOW_THREADS;
}

/**
 * The window's columns computed on the compute threads, or null when it runs here (too few
 * rows or threads, no partitions, a key that does not hash, one partition holding nearly
 * every row). Rows go to `threads` buckets by the hash of their partition keys, so every
 * partition lies whole in one bucket, its rows in input order: each bucket's window columns
 * equal those a single pass computes for its rows, and they move back to input order here.
 */
export async function parallelWindowColumns(
  spec: WindowSpec,
  column: (name: string) => Data,
  n: number,
  ctx: ExecContext,
): Promise<Data[] | null> {
  if (ctx.runner || n < PARALLEL_WINDOW_ROWS || !windowOnThreads(spec, ctx.threads)) return null;
  const keys = spec.partitionBy.map(column);
  const kinds = keys.map((k) => keyKindOf(k.type));
  if (kinds.some((k) => k === null)) return null;
  const buckets = ctx.threads;
  const { perm, starts } = hashBuckets(keys, kinds as KeyKind[], n, buckets);
  let largest = 0;
  for (let b = 0; b < buckets; b++) largest = Math.max(largest, starts[b + 1]! - starts[b]!);
  if (largest > MAX_BUCKET_SHARE * n) return null;
  const names = windowInputs(spec);
  const inputs = names.map(column);
  const schema = new Schema(inputs.map((d, i) => new Field(names[i]!, d.type, true)));
  const json = encodeWindowSpec(spec);
  const replies: Promise<Data[]>[] = [];
  for (let b = 0; b < buckets; b++) {
    const rows = perm.subarray(starts[b]!, starts[b + 1]!);
    if (rows.length === 0) continue;
    const batch = makeBatch(
      schema,
      inputs.map((d) => takeData(d, rows)),
      rows.length,
    );
    const ipc = tableToIPC(new Table([batch]), "stream");
    replies.push(runBucket(json, ipc, ctx));
  }
  // Settle every bucket before failing, so no task is left running unobserved.
  const settled = await Promise.allSettled(replies);
  const failed = settled.find((s) => s.status === "rejected");
  if (failed) throw failed.reason;
  const parts = settled.map((s) => (s as PromiseFulfilledResult<Data[]>).value);
  // Bucket results side by side are the rows in `perm` order; `inv` puts them back.
  const inv = new Int32Array(n);
  for (let j = 0; j < n; j++) inv[perm[j]!] = j;
  return spec.types.map((type, f) =>
    takeData(
      concatData(
        type,
        parts.map((p) => p[f]!),
      ),
      inv,
    ),
  );
}

/** One bucket on a compute thread: its window columns, in the bucket's row order. */
async function runBucket(spec: JsonObject, ipc: Uint8Array, ctx: ExecContext): Promise<Data[]> {
  const task: WindowTask = { kind: "window", spec, ipc };
  let reply: WindowReply;
  try {
    reply = await runCompute(task, ctx.threads, ctx.signal, [ipc.buffer as ArrayBuffer]);
  } catch (err) {
    if (ctx.signal.aborted) throw abortError(ctx.signal);
    throw new Error(
      `window: the compute thread computing a bucket of partitions stopped (${err instanceof Error ? err.message : String(err)}). Run with threads below ${PARALLEL_WINDOW_THREADS} to compute windows on the calling thread.`,
      { cause: err },
    );
  }
  if (reply.error) throw taskError(reply.error);
  const table = tableFromIPC(reply.ipc!);
  return table.schema.fields.map((_, k) => {
    const chunks = table.getChildAt(k)!.data;
    return chunks.length === 1 ? chunks[0]! : concatData(chunks[0]!.type, chunks);
  });
}
