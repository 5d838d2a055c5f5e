import { type RecordBatch, type Schema, tableFromIPC } from "apache-arrow";
import type { ExecContext } from "../exec/context.js";
import type { ScanRequest, ScanSource } from "../plan/source.js";
import { MemorySource } from "./memory.js";

/**
 * The rows of a join side that the calling thread materialized and shares with the compute
 * threads (exec/broadcast.ts): a task's context holds them by slot. Only a fragment running
 * on a compute thread can read it; anywhere else there is nothing in the slot.
 */
export class BroadcastSource implements ScanSource {
  readonly kind = "broadcast";
  readonly usesFilter = false;
  constructor(
    readonly schema: Schema,
    readonly slot: number,
  ) {}
  describe(): string {
    return `broadcast join side #${this.slot}`;
  }
  scan(request: ScanRequest, ctx: ExecContext): AsyncIterable<RecordBatch> {
    return new MemorySource(this.schema, broadcastBatches(ctx, this.slot)).scan(request, ctx);
  }
}

/** The batches in a broadcast slot (views over the shared IPC bytes, no copy). */
export function broadcastBatches(ctx: ExecContext, slot: number): RecordBatch[] {
  const input = ctx.broadcasts[slot];
  if (!input) {
    throw new Error(
      `internal: broadcast slot ${slot} is empty; only a fragment sent to the compute threads with its broadcast inputs can read it`,
    );
  }
  return tableFromIPC(input.ipc).batches;
}
