import type { Data, RecordBatch } from "apache-arrow";
import { concatData, makeBatch } from "../kernels/take-concat.js";

/**
 * Re-chunks a stream of batches into batches of exactly `size` rows (the last may be
 * smaller), for batch UDFs with an exact `batchSize`. Slices are zero-copy; only a batch
 * that straddles input batches is concatenated.
 */
export async function* rechunk(
  input: AsyncIterable<RecordBatch>,
  size: number,
): AsyncGenerator<RecordBatch> {
  let parts: RecordBatch[] = [];
  let have = 0;
  const flush = (): RecordBatch => {
    const schema = parts[0]!.schema;
    const cols: Data[] =
      parts.length === 1
        ? parts[0]!.data.children
        : schema.fields.map((f, k) =>
            concatData(
              f.type,
              parts.map((p) => p.data.children[k]!),
            ),
          );
    const out = makeBatch(schema, cols, have);
    parts = [];
    have = 0;
    return out;
  };
  for await (const batch of input) {
    let offset = 0;
    while (offset < batch.numRows) {
      const take = Math.min(size - have, batch.numRows - offset);
      parts.push(
        offset === 0 && take === batch.numRows ? batch : batch.slice(offset, offset + take),
      );
      have += take;
      offset += take;
      if (have === size) yield flush();
    }
  }
  if (have > 0) yield flush();
}
