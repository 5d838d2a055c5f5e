import path from "node:path";
import { ParquetSource, writeParquetBatches } from "@deft/core/internal";
import {
  type Data,
  Field,
  Float64,
  Int64,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Utf8,
} from "apache-arrow";
import { expect, it } from "vitest";
import { collect as collectAll, ctx, tmpDir } from "./helpers.js";

const ROWS = 8_000_000;
const ROW_GROUP = 262_144;
const CHUNK = 65_536;
const schema = new Schema([
  new Field("id", new Int64(), false),
  new Field("x", new Float64(), false),
  new Field("s", new Utf8(), false),
]);

/** Generates the data chunk by chunk, so the input itself never sits in memory. */
function* generate(): Generator<RecordBatch> {
  for (let start = 0; start < ROWS; start += CHUNK) {
    const n = Math.min(CHUNK, ROWS - start);
    const id = new BigInt64Array(n);
    const x = new Float64Array(n);
    const offsets = new Int32Array(n + 1);
    const bytes = new Uint8Array(n * 12);
    let pos = 0;
    for (let i = 0; i < n; i++) {
      id[i] = BigInt(start + i);
      x[i] = Math.sin(start + i);
      const s = `row-${(start + i) % 100_003}`;
      for (let k = 0; k < s.length; k++) bytes[pos++] = s.charCodeAt(k);
      offsets[i + 1] = pos;
    }
    const children: Data[] = [
      makeData({ type: new Int64(), length: n, data: id }),
      makeData({ type: new Float64(), length: n, data: x }),
      makeData({
        type: new Utf8(),
        length: n,
        valueOffsets: offsets,
        data: bytes.subarray(0, pos),
      }),
    ];
    yield new RecordBatch(
      schema,
      makeData({ type: new Struct(schema.fields), length: n, nullCount: 0, children }),
    );
  }
}

it("streams a file many row groups large from Parquet to Parquet in bounded memory", async () => {
  const dir = tmpDir();
  const input = path.join(dir, "in.parquet");
  await writeParquetBatches(generate(), schema, input, {
    rowGroupSize: ROW_GROUP,
    compression: "snappy",
  });
  const src = new ParquetSource(input, { batchSize: CHUNK });
  expect(src.files[0]!.metadata.row_groups.length).toBe(Math.ceil(ROWS / ROW_GROUP));
  // Decoded size of one row group: 8 + 8 bytes of numbers, ~10 bytes + 4 of offsets per string.
  const rowGroupBytes = ROW_GROUP * (8 + 8 + 4 + 10);
  const totalBytes = ROWS * (8 + 8 + 4 + 10);

  // One decoding thread: what is bounded here is the stream, not the threads' allocators.
  // A compute thread costs ~30 MiB to start (an isolate, parquet-wasm compiled): a fixed
  // cost, not buffering, so it starts before the baseline.
  const context = ctx(undefined, 1);
  const warm = [];
  for (let i = 0; i < context.threads; i++) warm.push(collectAll(src.scan({ limit: 1 }, ctx())));
  await Promise.all(warm);
  let peak = 0;
  const base = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss - base);
  }, 5);
  let rows = 0;
  async function* counted() {
    for await (const b of src.scan({}, context)) {
      rows += b.numRows;
      peak = Math.max(peak, process.memoryUsage().rss - base);
      yield b;
    }
  }
  const res = await writeParquetBatches(counted(), schema, path.join(dir, "out.parquet"), {
    rowGroupSize: ROW_GROUP,
  });
  clearInterval(timer);
  expect(res.rows).toBe(ROWS);
  expect(rows).toBe(ROWS);
  console.log(
    `streaming: peak RSS growth ${(peak / 2 ** 20).toFixed(1)} MiB; one row group ≈ ${(rowGroupBytes / 2 ** 20).toFixed(1)} MiB; all data ≈ ${(totalBytes / 2 ** 20).toFixed(1)} MiB`,
  );
  // The whole table is ~230 MiB decoded (30 row groups); a reader that buffered it would grow
  // by at least that. RSS moves with GC timing (16-50 MiB seen), so the bound is 8 row groups,
  // well above GC noise, plus 32 MiB for the decoding thread: its wasm memory grows to hold
  // a row group's compressed chunks and a batch, and it frees its dead buffers on its own GC.
  expect(peak).toBeLessThan(8 * rowGroupBytes + 32 * 2 ** 20);
}, 120_000);
