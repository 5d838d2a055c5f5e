import fs from "node:fs";
import path from "node:path";
import { col, readParquet } from "@deft/core";
import { FileError } from "@deft/core/internal";
import { beforeAll, describe, expect, it } from "vitest";
import { tmpDir } from "../helpers.js";
import { duckRun } from "./helpers.js";
import { chunkPages } from "./pages.js";

// Pages whose bytes contradict their headers or the footer, in files whose footer is intact:
// the native decoder finds them and the scan reports a FileError naming the file, the row
// group and the column. Nothing reads past a buffer, and no wrong value comes out.

const GROUP = 5_000;
let dir: string;
let good: string;

beforeAll(async () => {
  dir = tmpDir("deft-native-corrupt-");
  good = path.join(dir, "good.parquet");
  await duckRun(
    `COPY (SELECT i AS n, 'label-' || (i % 40)::VARCHAR AS s FROM range(${3 * GROUP}) r(i)) TO '${good}' (FORMAT parquet, COMPRESSION uncompressed, ROW_GROUP_SIZE ${GROUP})`,
  );
});

/** A copy of the good file with `edit` applied to its bytes. */
function corrupted(name: string, edit: (bytes: Buffer) => void): string {
  const bytes = fs.readFileSync(good);
  edit(bytes);
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

async function failure(file: string, columns: string[], threads = 1): Promise<Error> {
  const err = await readParquet(file, { columns })
    .toArrow({ threads })
    .then(
      () => null,
      (e: unknown) => e,
    );
  expect(err).toBeInstanceOf(FileError);
  return err as Error;
}

/** Writes `v` as a ULEB128 varint at `at`; returns the position after it. */
function putVarint(bytes: Buffer, at: number, v: number): number {
  while (v >= 0x80) {
    bytes[at++] = (v & 0x7f) | 0x80;
    v = Math.floor(v / 128);
  }
  bytes[at++] = v;
  return at;
}

describe("corrupt pages found by the native decoder", () => {
  it.each([1, 2])("a dictionary index past the dictionary (threads %i)", async (threads) => {
    const pages = chunkPages(good, 1, "s");
    const dict = pages.find((p) => p.type === 2)!;
    const data = pages.find((p) => p.type === 0)!;
    const file = corrupted(`index-${threads}.parquet`, (bytes) => {
      // The body: 4-byte length + definition levels, then the index bit width and its runs,
      // replaced here by one run of the page's length repeating an index past the end.
      const levels = bytes.readUInt32LE(data.bodyAt);
      const at = data.bodyAt + 4 + levels;
      const width = bytes[at]!;
      let p = putVarint(bytes, at + 1, data.numValues * 2);
      const bad = dict.numValues + 3;
      for (let i = 0; i < Math.ceil(width / 8); i++) bytes[p++] = (bad >> (8 * i)) & 255;
    });
    const message = new RegExp(
      `^Parquet file ".*index-${threads}\\.parquet": row group 1 cannot be decoded \\(corrupt or truncated data\\?\\): column "s": a dictionary index ${dict.numValues + 3} is out of range \\(the dictionary has ${dict.numValues} entries\\)`,
    );
    expect((await failure(file, ["n", "s"], threads)).message).toMatch(message);
    // A filter on the column reads it as codes, evaluated per dictionary entry: the bad index
    // is found there too, not used to pick a row.
    const filtered = await readParquet(file, { columns: ["n", "s"] })
      .filter(col("s").eq("label-3"))
      .toArrow({ threads })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(filtered).toBeInstanceOf(FileError);
    expect((filtered as Error).message).toMatch(message);
    // The other column of the same row group is intact and still reads.
    const t = await readParquet(file, { columns: ["n"] }).toArrow({ threads });
    expect(t.numRows).toBe(3 * GROUP);
  });

  it("a page whose size runs past its column chunk (a truncated page)", async () => {
    const page = chunkPages(good, 2, "n").find((p) => p.type === 0)!;
    const file = corrupted("truncated.parquet", (bytes) => {
      // The header starts with fields 1..3 (type, uncompressed size, compressed size), each a
      // one-byte field header then a zigzag varint; the last becomes the largest value of
      // the same length, so nothing after it moves.
      let p = page.at;
      for (let field = 0; field < 3; field++) {
        p++;
        if (field < 2) {
          while (bytes[p]! & 0x80) p++;
          p++;
        }
      }
      while (bytes[p]! & 0x80) bytes[p++] = 0xfe | 0x80;
      bytes[p] = 0x7e;
    });
    const err = await failure(file, ["n"]);
    expect(err.message).toMatch(
      /row group 2 cannot be decoded .*column "n": the page at byte \d+ says it has \d+ bytes but the column chunk ends \d+ bytes after its header/,
    );
  });

  it("a page header that is not one", async () => {
    const page = chunkPages(good, 0, "n").find((p) => p.type === 0)!;
    const file = corrupted("header.parquet", (bytes) => {
      bytes[page.at] = 0; // a struct that stops before any field
    });
    const err = await failure(file, ["n"]);
    expect(err.message).toMatch(
      /row group 0 cannot be decoded .*column "n": the page header at byte 0 lacks its type or sizes/,
    );
  });

  it("a page holding fewer values than its header says", async () => {
    const page = chunkPages(good, 0, "n").find((p) => p.type === 0)!;
    const file = corrupted("short.parquet", (bytes) => {
      // The values section (after the definition levels) is cut by rewriting the levels'
      // length to cover almost all of the page.
      bytes.writeUInt32LE(page.compressedSize - 8, page.bodyAt);
    });
    const err = await failure(file, ["n"]);
    expect(err.message).toMatch(
      /row group 0 cannot be decoded .*column "n": the page holds fewer fixed-width values than its header says/,
    );
  });
});
