import fsp from "node:fs/promises";
import { makeData, RecordBatch, type Schema, Struct, Table, tableToIPC } from "apache-arrow";
import {
  Compression,
  transformParquetStream,
  type RecordBatch as WasmRecordBatch,
  Table as WasmTable,
  WriterPropertiesBuilder,
} from "parquet-wasm";
import { emptyData } from "../kernels/take-concat.js";
import { decodeDictionaries, withoutDictionaries } from "./dictionary-values.js";
import { checkParquetTypes } from "./parquet-write-types.js";
import {
  type FormatWriter,
  type WriteOptions,
  type WriteResult,
  writeBatches,
} from "./write-batches.js";

export interface ParquetWriteOptions extends WriteOptions {
  /** Column compression (default "zstd"). */
  compression?: "zstd" | "snappy" | "none";
  /** Rows per row group (default 1,048,576). Peak writer memory is about one encoded row group. */
  rowGroupSize?: number;
}

const CODECS = {
  zstd: Compression.ZSTD,
  snappy: Compression.SNAPPY,
  none: Compression.UNCOMPRESSED,
} as const;
export const DEFAULT_ROW_GROUP_SIZE = 1_048_576;

/**
 * Writes batches to Parquet as they arrive. parquet-wasm's `transformParquetStream` encodes a
 * stream of record batches, flushing a row group every `rowGroupSize` rows, so memory stays
 * at about one row group whatever the input size.
 */
export async function writeParquetBatches(
  batches: AsyncIterable<RecordBatch> | Iterable<RecordBatch>,
  schema: Schema,
  path: string,
  options: ParquetWriteOptions = {},
  signal?: AbortSignal,
): Promise<WriteResult> {
  const compression = options.compression ?? "zstd";
  if (!(compression in CODECS)) {
    throw new TypeError(
      `writeParquet: compression must be "zstd", "snappy" or "none", got "${compression}".`,
    );
  }
  const rowGroupSize = options.rowGroupSize ?? DEFAULT_ROW_GROUP_SIZE;
  if (!Number.isInteger(rowGroupSize) || rowGroupSize < 1) {
    throw new RangeError(
      `writeParquet: rowGroupSize must be a positive integer, got ${rowGroupSize}.`,
    );
  }
  checkParquetTypes(schema.fields);
  const open = (file: string, s: Schema) =>
    openParquetWriter(file, withoutDictionaries(s), CODECS[compression], rowGroupSize);
  return writeBatches("Parquet", "parquet", batches, schema, path, options, signal, open);
}

const END: unique symbol = Symbol("end");
interface Offer {
  item: WasmRecordBatch | typeof END;
  taken: () => void;
}

async function openParquetWriter(
  file: string,
  schema: Schema,
  codec: Compression,
  rowGroupSize: number,
): Promise<FormatWriter> {
  const fh = await fsp.open(file, "w");
  // A one-slot hand-off: write() resolves once the encoder has taken the batch (back-pressure).
  let offer: Offer | null = null;
  let waiter: ((x: Offer) => void) | null = null;
  let failed: unknown = null;
  let cancelled = false;
  const input = new ReadableStream<WasmRecordBatch>(
    {
      async pull(controller) {
        const next =
          offer ??
          (await new Promise<Offer>((resolve) => {
            waiter = resolve;
          }));
        offer = null;
        if (next.item === END) controller.close();
        else controller.enqueue(next.item);
        next.taken();
      },
      cancel() {
        cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  const props = new WriterPropertiesBuilder()
    .setCompression(codec)
    .setMaxRowGroupSize(rowGroupSize)
    .setCreatedBy("deft (parquet-wasm)")
    .build();
  // transformParquetStream reads the first batch (for the schema) before it resolves, so it
  // must run alongside the writes rather than be awaited here.
  const pump = (async () => {
    const output = await transformParquetStream(input, props);
    // One write in flight while the encoder works on the next row group: awaiting each write
    // before pulling again left the thread idle for the whole disk write of every row group.
    let writing: Promise<unknown> = Promise.resolve();
    for await (const chunk of output as unknown as AsyncIterable<Uint8Array>) {
      await writing;
      writing = fh.write(chunk);
    }
    await writing;
  })().catch((err) => {
    failed = err ?? new Error("Parquet encoding failed");
    // Unblock a write() waiting on the hand-off.
    if (offer) offer.taken();
  });
  const hand = (item: WasmRecordBatch | typeof END): Promise<void> =>
    new Promise<void>((resolve) => {
      const entry: Offer = { item, taken: () => resolve() };
      if (waiter) {
        const w = waiter;
        waiter = null;
        w(entry);
      } else offer = entry;
    });
  const check = (): void => {
    if (failed)
      throw new Error(
        `Parquet file "${file}": encoding failed: ${(failed as Error).message ?? failed}`,
        { cause: failed },
      );
    if (cancelled) throw new Error(`Parquet file "${file}": the encoder stopped early.`);
  };
  let closed = false;
  let wrote = false;
  const send = async (input: RecordBatch): Promise<void> => {
    const batch = decodeDictionaries(input, schema);
    const wasm = WasmTable.fromIPCStream(tableToIPC(new Table([batch]), "stream"));
    for (const wb of wasm.recordBatches()) {
      await Promise.race([hand(wb), pump]);
      check();
    }
    wasm.free();
  };
  return {
    async write(batch) {
      check();
      if (batch.numRows === 0) return;
      wrote = true;
      await send(batch);
    },
    async finish() {
      check();
      // The encoder learns the schema from the first batch: an empty input sends an empty batch.
      if (!wrote) await send(emptyBatch(schema));
      await Promise.race([hand(END), pump]);
      await pump;
      check();
      closed = true;
      await fh.close();
    },
    async abort() {
      if (closed) return;
      closed = true;
      failed ??= new Error("aborted");
      await input.cancel().catch(() => {});
      await fh.close().catch(() => {});
    },
  };
}

function emptyBatch(schema: Schema): RecordBatch {
  const children = schema.fields.map((f) => emptyData(f.type));
  return new RecordBatch(
    schema,
    makeData({ type: new Struct(schema.fields), length: 0, nullCount: 0, children }),
  );
}
