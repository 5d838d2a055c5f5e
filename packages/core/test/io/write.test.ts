import fs from "node:fs";
import path from "node:path";
import {
  ParquetSource,
  writeArrowBatches,
  writeCsvBatches,
  writeJsonBatches,
  writeParquetBatches,
} from "@deft/core/internal";
import { type RecordBatch, tableFromArrays } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { collect, ctx, listDir, rowCount, tmpDir } from "./helpers.js";

const table = tableFromArrays({
  k: Int32Array.from({ length: 1000 }, (_, i) => i % 3),
  v: Float64Array.from({ length: 1000 }, (_, i) => i),
});
const batches = (): RecordBatch[] => [
  table.batches[0]!.slice(0, 400),
  table.batches[0]!.slice(400),
];

async function* failingAfter(n: number): AsyncGenerator<RecordBatch> {
  let i = 0;
  for (const b of batches()) {
    if (i++ === n) throw new Error("source broke midway");
    yield b;
  }
  throw new Error("source broke midway");
}

const writers = {
  parquet: writeParquetBatches,
  arrow: writeArrowBatches,
  csv: writeCsvBatches,
  ndjson: writeJsonBatches,
} as const;

describe("atomic writes", () => {
  for (const [name, write] of Object.entries(writers)) {
    it(`${name}: a source that throws midway leaves no output and no temp file`, async () => {
      const dir = tmpDir();
      const target = path.join(dir, `out.${name}`);
      await expect(write(failingAfter(1), table.schema, target)).rejects.toThrow(
        "source broke midway",
      );
      expect(listDir(dir)).toEqual([]);
    });

    it(`${name}: an existing target stays untouched on failure and is replaced on success`, async () => {
      const dir = tmpDir();
      const target = path.join(dir, `out.${name}`);
      fs.writeFileSync(target, "previous content");
      await expect(write(failingAfter(1), table.schema, target)).rejects.toThrow();
      expect(fs.readFileSync(target, "utf8")).toBe("previous content");
      expect(listDir(dir)).toEqual([`out.${name}`]);
      const res = await write(batches(), table.schema, target);
      expect(res).toMatchObject({
        path: target,
        paths: [target],
        rows: 1000,
        bytes: fs.statSync(target).size,
      });
      expect(listDir(dir)).toEqual([`out.${name}`]);
    });
  }

  it("an abort signal stops the write and removes the temp file", async () => {
    const dir = tmpDir();
    const ac = new AbortController();
    async function* slow(): AsyncGenerator<RecordBatch> {
      for (const b of batches()) {
        yield b;
        ac.abort();
      }
    }
    await expect(
      writeParquetBatches(slow(), table.schema, path.join(dir, "x.parquet"), {}, ac.signal),
    ).rejects.toThrow(/aborted/);
    expect(listDir(dir)).toEqual([]);
  });

  it("refuses to write part files over a file, or a single file over a directory", async () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, "f"), "x");
    await expect(
      writeParquetBatches(batches(), table.schema, path.join(dir, "f"), { maxRowsPerFile: 10 }),
    ).rejects.toThrow(/exists and is a file/);
    fs.mkdirSync(path.join(dir, "d"));
    await expect(writeParquetBatches(batches(), table.schema, path.join(dir, "d"))).rejects.toThrow(
      /is a directory/,
    );
  });
});

describe("part files", () => {
  it("maxRowsPerFile splits into numbered parts that read back in order", async () => {
    const dir = tmpDir();
    const target = path.join(dir, "out");
    const res = await writeParquetBatches(batches(), table.schema, target, { maxRowsPerFile: 300 });
    expect(res.paths.map((p) => path.relative(target, p))).toEqual([
      "part-00000.parquet",
      "part-00001.parquet",
      "part-00002.parquet",
      "part-00003.parquet",
    ]);
    expect(res.rows).toBe(1000);
    const src = new ParquetSource(`${target}/*.parquet`);
    expect(src.files.map((f) => Number(f.metadata.num_rows))).toEqual([300, 300, 300, 100]);
    const got = await collect(src.scan({ columns: ["v"] }, ctx()));
    expect(got.flatMap((b) => [...b.getChild("v")!])).toEqual([...table.getChild("v")!]);
  });

  it("partitionBy writes one hive-style directory per value, atomically replacing the old one", async () => {
    const dir = tmpDir();
    const target = path.join(dir, "by-k");
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, "stale.txt"), "old");
    const res = await writeCsvBatches(batches(), table.schema, target, { partitionBy: ["k"] });
    expect(listDir(target)).toEqual(["k=0", "k=1", "k=2"]);
    expect(res.paths.map((p) => path.relative(target, p)).sort()).toEqual([
      "k=0/part-00000.csv",
      "k=1/part-00000.csv",
      "k=2/part-00000.csv",
    ]);
    const lines = fs
      .readFileSync(path.join(target, "k=1", "part-00000.csv"), "utf8")
      .trim()
      .split("\n");
    expect(lines[0]).toBe("k,v");
    expect(lines.length - 1).toBe(333);
    expect(lines.slice(1).every((l) => l.startsWith("1,"))).toBe(true);
    expect(listDir(dir)).toEqual(["by-k"]);
  });

  it("a failing partitioned write leaves the old directory and no temp directory", async () => {
    const dir = tmpDir();
    const target = path.join(dir, "by-k");
    await writeParquetBatches(batches(), table.schema, target, { partitionBy: ["k"] });
    const before = listDir(target);
    await expect(
      writeParquetBatches(failingAfter(1), table.schema, target, { partitionBy: ["k"] }),
    ).rejects.toThrow("source broke midway");
    expect(listDir(target)).toEqual(before);
    expect(listDir(dir)).toEqual(["by-k"]);
    const src = new ParquetSource(`${target}/*/*.parquet`);
    expect(rowCount(await collect(src.scan({}, ctx())))).toBe(1000);
  });

  it("rejects unknown partition columns and bad options", async () => {
    const dir = tmpDir();
    await expect(
      writeParquetBatches(batches(), table.schema, dir, { partitionBy: ["nope"] }),
    ).rejects.toThrow(/partitionBy: no column "nope". Columns: k, v/);
    await expect(
      writeParquetBatches(batches(), table.schema, path.join(dir, "x"), { maxRowsPerFile: 0 }),
    ).rejects.toThrow(/maxRowsPerFile/);
    await expect(
      writeParquetBatches(batches(), table.schema, path.join(dir, "x"), {
        compression: "lz4" as "zstd",
      }),
    ).rejects.toThrow(/compression must be/);
  });

  it("rowGroupSize sets the row groups written", async () => {
    const file = path.join(tmpDir(), "rg.parquet");
    await writeParquetBatches(batches(), table.schema, file, { rowGroupSize: 250 });
    expect(
      new ParquetSource(file).files[0]!.metadata.row_groups.map((g) => Number(g.num_rows)),
    ).toEqual([250, 250, 250, 250]);
  });
});
