import { readFile } from "node:fs/promises";
import { type RecordBatch, type Schema, tableFromIPC } from "apache-arrow";
import type { ExecContext } from "../exec/context.js";
import { FileError } from "../io/files.js";
import type { ScanRequest, ScanSource } from "../plan/source.js";
import { MemorySource } from "./memory.js";

/**
 * One hash bucket of a shuffled join side (exec/shuffle-join.ts): the Arrow IPC stream files
 * the side's tasks wrote for the bucket, one per task that had rows for it, read in the
 * order given. The schema travels with the plan, so a bucket no task wrote to is empty.
 */
export class ShuffleSource implements ScanSource {
  readonly kind = "shuffle";
  readonly usesFilter = false;
  constructor(
    readonly schema: Schema,
    private readonly paths: readonly string[],
  ) {}
  describe(): string {
    const n = this.paths.length;
    return `shuffle bucket (${n} ${n === 1 ? "file" : "files"})`;
  }
  async *scan(request: ScanRequest, ctx: ExecContext): AsyncGenerator<RecordBatch> {
    let left = request.limit ?? Number.POSITIVE_INFINITY;
    for (const file of this.paths) {
      if (ctx.signal.aborted || left <= 0) return;
      const bytes = await readFile(file).catch((err: unknown) => {
        throw new FileError(
          "Arrow IPC",
          file,
          `a shuffle file of this run could not be read (${err instanceof Error ? err.message : String(err)}); the shared work folder must be reachable under the same path from every worker`,
          { cause: err },
        );
      });
      const batches = tableFromIPC(bytes).batches;
      const source = new MemorySource(this.schema, batches);
      const limit = Number.isFinite(left) ? { limit: left } : {};
      for await (const b of source.scan({ ...request, ...limit }, ctx)) {
        left -= b.numRows;
        yield b;
      }
    }
  }
}
