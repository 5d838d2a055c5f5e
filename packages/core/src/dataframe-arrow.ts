import { type RecordBatch, type Schema, Table } from "apache-arrow";

/** Batches -> an apache-arrow Table (zero copy; an empty result keeps its schema). */
export function tableFromBatches(schema: Schema, batches: RecordBatch[]): Table {
  if (batches.length === 0) return new Table(schema);
  return new Table(schema, batches);
}
