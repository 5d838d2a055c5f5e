import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { col, DataFrame, readParquet } from "@deft/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// A file named by a relative path is split into row-group tasks on the calling thread and
// read by absolute path on the compute threads: every task must still find its row groups.

let dir: string;
let relative: string;
const N = 12_000;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "deft-relpath-"));
  const file = path.join(dir, "t.parquet");
  const v = Array.from({ length: N }, (_, i) => BigInt(i % 100));
  await DataFrame.fromColumns({ v: BigInt64Array.from(v) }).writeParquet(file, {
    rowGroupSize: 1_000,
  });
  relative = path.relative(process.cwd(), file);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("Parquet read by a relative path", () => {
  it.each([1, 2])("filters and aggregates every row group at threads %i", async (threads) => {
    expect(path.isAbsolute(relative)).toBe(false);
    const df = readParquet(relative, { batchSize: 1_000 }).filter(col("v").gt(60));
    expect(await df.count({ threads })).toBe((N / 100) * 39);
    const sum = await df.select(col("v").sum().alias("s")).toRecords({ threads });
    expect(sum).toEqual([{ s: BigInt((N / 100) * (61 + 99) * 39) / 2n }]);
  });
});
