import path from "node:path";
import { writeParquetBatches } from "@deft/core/internal";
import { Table, Utf8, vectorFromArray } from "apache-arrow";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tmpDir } from "../helpers.js";
import { readWithDeft } from "./helpers.js";

// Snappy blocks full of back-references: repeated runs with periods 1..12 (copies that
// overlap their own output and copies that spill a word past their end), written by
// parquet-wasm's Snappy encoder and read back by the native decoder.

const run = fc
  .record({
    period: fc.string({ unit: "binary-ascii", minLength: 1, maxLength: 12 }),
    times: fc.integer({ min: 1, max: 40 }),
  })
  .map(({ period, times }) => period.repeat(times));

describe("native decoder: snappy back-references", () => {
  it("reads repetitive strings and integers equal to what was written", async () => {
    const dir = tmpDir("snappy-");
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.array(run, { minLength: 1, maxLength: 6 }).map((r) => r.join("")),
          {
            minLength: 1,
            maxLength: 300,
          },
        ),
        async (strings) => {
          const ints = strings.map((s) => s.length % 7);
          const table = new Table({
            s: vectorFromArray(strings, new Utf8()),
            i: vectorFromArray(Int32Array.from(ints)),
          });
          const file = path.join(dir, `t${n++}.parquet`);
          await writeParquetBatches(table.batches, table.schema, file, {
            compression: "snappy",
          });
          const { table: back, decoder } = await readWithDeft(file, ["s", "i"]);
          expect(decoder).toBe("native");
          expect(back.getChild("s")!.toArray()).toEqual(strings);
          expect(Array.from(back.getChild("i")!.toArray() as Int32Array)).toEqual(ints);
        },
      ),
      { numRuns: 60 },
    );
  });
});
