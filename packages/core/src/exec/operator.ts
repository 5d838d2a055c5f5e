import type { RecordBatch, Schema } from "apache-arrow";
import type { ExecContext } from "./context.js";

/**
 * A physical operator: pulls batches from its children and yields batches, in order.
 * Execution is pull-based (async iterables), so a consumer that stops pulling stops the
 * sources; operators that work ahead (UDFs, prefetch) keep a bounded number of batches.
 */
export interface Operator {
  /** Name for explain and events, e.g. "Project", "AsyncUdf[fetchTitle]". */
  readonly name: string;
  readonly schema: Schema;
  readonly children: readonly Operator[];
  /** One line of detail for `explain({ physical: true })`. */
  describe(): string;
  execute(ctx: ExecContext): AsyncIterable<RecordBatch>;
}
