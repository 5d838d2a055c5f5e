import fs from "node:fs";
import path from "node:path";
import { readParquet } from "@deft/core";
import { FileError, ParquetSource, writeParquetBatches } from "@deft/core/internal";
import { tableFromArrays } from "apache-arrow";
import { beforeAll, describe, expect, it } from "vitest";
import { tmpDir } from "./helpers.js";

const ROWS = 600_000;
const GROUP = 200_000;
let good: string;
let bad: string;

beforeAll(async () => {
  const dir = tmpDir("deft-corrupt-");
  good = path.join(dir, "good.parquet");
  bad = path.join(dir, "bad.parquet");
  const t = tableFromArrays({
    a: Float64Array.from({ length: ROWS }, (_, i) => Math.sin(i) * 1e6),
    b: Int32Array.from({ length: ROWS }, (_, i) => (i * 7919) % 100_003),
  });
  await writeParquetBatches(t.batches, t.schema, good, {
    rowGroupSize: GROUP,
    compression: "zstd",
  });
  // Scramble bytes in the middle of row group 1's column "a": the pages' compressed data
  // changes, the footer (and so the schema and every offset) stays intact.
  const chunk = new ParquetSource(good).files[0]!.metadata.row_groups[1]!.columns[0]!.meta_data!;
  const start = Number(chunk.dictionary_page_offset ?? chunk.data_page_offset);
  const mid = start + Math.floor(Number(chunk.total_compressed_size) / 2);
  const bytes = fs.readFileSync(good);
  for (let i = mid; i < mid + 256; i++) bytes[i] = (bytes[i]! * 31 + 7) & 255;
  fs.writeFileSync(bad, bytes);
});

describe("a Parquet file with corrupt pages and an intact footer", () => {
  it.each([2, 1])(
    "fails with a FileError naming file and row group, and the process lives (threads %i)",
    async (threads) => {
      // The schema comes from the footer, so the plan builds; only decoding can find out.
      const df = readParquet(bad);
      expect(df.columns).toEqual(["a", "b"]);
      const err = await df.toArrow({ threads }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(FileError);
      expect((err as FileError).path).toBe(bad);
      expect((err as Error).message).toMatch(
        /^Parquet file ".*bad\.parquet": row group 1 cannot be decoded \(corrupt or truncated data\?\)/,
      );
      // Flat columns are read by deft's own decoder, which names the column and what failed
      // (here the scrambled zstd frame); parquet-wasm, which reads the rest, would trap.
      expect((err as Error).message).toMatch(/column "a": zstd: /);
      // The same process keeps answering queries, on the same pool.
      const t = await readParquet(good, { columns: ["b"] }).toArrow({ threads });
      expect(t.numRows).toBe(ROWS);
      let sum = 0;
      for (const v of t.getChild("b")!) sum += v as number;
      let expected = 0;
      for (let i = 0; i < ROWS; i++) expected += (i * 7919) % 100_003;
      expect(sum).toBe(expected);
    },
  );

  it("reads the row groups before the corrupt one, in order, until it fails", async () => {
    const rows: number[] = [];
    const run = (async () => {
      for await (const b of readParquet(bad, { columns: ["a"] }).iterBatches({ threads: 2 }))
        rows.push(b.numRows);
    })();
    await expect(run).rejects.toThrow(/row group 1 cannot be decoded/);
    expect(rows.reduce((a, b) => a + b, 0)).toBe(GROUP);
  });

  it("a column outside the corrupt pages still decodes from the same file", async () => {
    const t = await readParquet(bad, { columns: ["b"] }).toArrow({ threads: 2 });
    expect(t.numRows).toBe(ROWS);
  });
});
