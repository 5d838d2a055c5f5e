// Raw parquet-wasm vs deft's Parquet read/write path on 5M rows, interleaved, median of 5
// after a warm-up. Run: npx tsx packages/core/test/io/parquet-throughput.bench.ts [rows]
// (not a vitest file: timing belongs in benchmarks, this is the measurement behind docs/io.md).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  createContext,
  ParquetSource,
  readParquet,
  writeParquetBatches,
} from "@deft/core/internal";
import {
  makeData,
  makeVector,
  type RecordBatch,
  Table,
  tableFromIPC,
  tableToIPC,
  Utf8,
} from "apache-arrow";
import * as pw from "parquet-wasm";

const N = Number(process.argv[2] ?? 5_000_000);
const RG = 1 << 20;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "deft-pq-bench-"));

function makeTable(): Table {
  const id = new BigInt64Array(N);
  const x = new Float64Array(N);
  const k = new Int32Array(N);
  const offs = new Int32Array(N + 1);
  const bytes = new Uint8Array(N * 6);
  let pos = 0;
  for (let i = 0; i < N; i++) {
    id[i] = BigInt(i);
    x[i] = Math.random();
    k[i] = i % 1000;
    const s = `s${i % 5000}`;
    for (let j = 0; j < s.length; j++) bytes[pos++] = s.charCodeAt(j);
    offs[i + 1] = pos;
  }
  const s = makeData({
    type: new Utf8(),
    length: N,
    valueOffsets: offs,
    data: bytes.subarray(0, pos),
  });
  return new Table({ id: makeVector(id), x: makeVector(x), k: makeVector(k), s: makeVector(s) });
}

const table = makeTable();
const morsels: RecordBatch[] = [];
for (const b of table.batches)
  for (let o = 0; o < b.numRows; o += 131_072)
    morsels.push(b.slice(o, Math.min(b.numRows, o + 131_072)));
const rawFile = path.join(dir, "raw.parquet");
const ourFile = path.join(dir, "ours.parquet");
const props = () =>
  new pw.WriterPropertiesBuilder()
    .setCompression(pw.Compression.SNAPPY)
    .setMaxRowGroupSize(RG)
    .build();

const cases: Record<string, () => Promise<number>> = {
  "write raw parquet-wasm (whole table)": async () => {
    const wt = pw.Table.fromIPCStream(tableToIPC(table, "stream"));
    fs.writeFileSync(rawFile, pw.writeParquet(wt, props()));
    return N;
  },
  "write deft writeParquetBatches (128K morsels)": async () =>
    (
      await writeParquetBatches(morsels, table.schema, ourFile, {
        compression: "snappy",
        rowGroupSize: RG,
      })
    ).rows,
  "write deft writeParquetBatches (whole table)": async () =>
    (
      await writeParquetBatches(table.batches, table.schema, ourFile, {
        compression: "snappy",
        rowGroupSize: RG,
      })
    ).rows,
  "read raw parquet-wasm readParquet + tableFromIPC": async () =>
    tableFromIPC(pw.readParquet(fs.readFileSync(rawFile), { batchSize: RG }).intoIPCStream())
      .numRows,
  "read deft ParquetSource.scan (batchSize 1M)": async () => {
    let n = 0;
    for await (const b of new ParquetSource(rawFile, { batchSize: RG }).scan(
      {},
      createContext(new AbortController().signal),
    ))
      n += b.numRows;
    return n;
  },
  "read deft ParquetSource.scan (batchSize 128K default)": async () => {
    let n = 0;
    for await (const b of new ParquetSource(rawFile).scan(
      {},
      createContext(new AbortController().signal),
    ))
      n += b.numRows;
    return n;
  },
  "read deft readParquet().toArrow()": async () => (await readParquet(rawFile).toArrow()).numRows,
};

const times: Record<string, number[]> = {};
for (let round = 0; round < 6; round++) {
  for (const [name, fn] of Object.entries(cases)) {
    const t = performance.now();
    const rows = await fn();
    const ms = performance.now() - t;
    if (rows !== N) throw new Error(`${name}: ${rows} rows, expected ${N}`);
    if (round > 0) (times[name] ??= []).push(ms);
  }
}
const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;
const rawW = median(times["write raw parquet-wasm (whole table)"]!);
const rawR = median(times["read raw parquet-wasm readParquet + tableFromIPC"]!);
console.log(`${N} rows (int64, float64, int32, utf8), snappy, row groups of ${RG}; median of 5`);
for (const [name, t] of Object.entries(times)) {
  const base = name.startsWith("write") ? rawW : rawR;
  console.log(
    `${name.padEnd(52)} ${median(t).toFixed(0).padStart(6)} ms  ${(median(t) / base).toFixed(2)}x raw`,
  );
}
fs.rmSync(dir, { recursive: true, force: true });
