import type { RecordBatch, Schema } from "apache-arrow";
import { concatBatches, makeBatch } from "../kernels/take-concat.js";

/**
 * Re-chunks a stream of batches into batches of exactly `size` rows (the last may be
 * smaller). Slices are zero-copy and a batch that already has `size` rows passes through
 * as is; only a batch that straddles input batches is concatenated. Empty batches vanish.
 */
export async function* rechunk(
  input: AsyncIterable<RecordBatch>,
  size: number,
  schema?: Schema,
): AsyncGenerator<RecordBatch> {
  let parts: RecordBatch[] = [];
  let have = 0;
  const flush = (): RecordBatch => {
    const s = schema ?? parts[0]!.schema;
    const out = makeBatch(s, concatBatches(s, parts), have);
    parts = [];
    have = 0;
    return out;
  };
  for await (const batch of input) {
    let offset = 0;
    while (offset < batch.numRows) {
      const take = Math.min(size - have, batch.numRows - offset);
      const part =
        offset === 0 && take === batch.numRows ? batch : batch.slice(offset, offset + take);
      offset += take;
      if (have === 0 && take === size) {
        yield part;
        continue;
      }
      parts.push(part);
      have += take;
      if (have === size) yield flush();
    }
  }
  if (have > 0) yield flush();
}
