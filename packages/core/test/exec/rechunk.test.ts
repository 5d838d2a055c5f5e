// The one re-chunker (intoBatches and batch UDFs with an exact batchSize), against slicing
// the concatenated input by hand.
import { rechunk } from "@deft/core/internal";
import { Float64, type RecordBatch, Table, Utf8, vectorFromArray } from "apache-arrow";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

async function* stream(batches: RecordBatch[]) {
  yield* batches;
}

function batchesOf(sizes: number[]): {
  batches: RecordBatch[];
  xs: number[];
  ss: (string | null)[];
} {
  const batches: RecordBatch[] = [];
  const xs: number[] = [];
  const ss: (string | null)[] = [];
  for (const n of sizes) {
    const x = Array.from({ length: n }, (_, i) => xs.length + i);
    const s = x.map((v) => (v % 3 === 0 ? null : `s${v}`));
    xs.push(...x);
    ss.push(...s);
    batches.push(n === 0 ? batchOf([0], ["a"]).slice(0, 0) : batchOf(x, s));
  }
  return { batches, xs, ss };
}

function batchOf(x: number[], s: (string | null)[]): RecordBatch {
  const table = new Table({
    x: vectorFromArray(x, new Float64()),
    s: vectorFromArray(s, new Utf8()),
  });
  return table.batches[0]!;
}

describe("rechunk", () => {
  it("cuts any stream into batches of exactly `size` rows, the last shorter, values kept", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 12 }),
        fc.integer({ min: 1, max: 25 }),
        async (sizes, size) => {
          const { batches, xs, ss } = batchesOf(sizes);
          const out: RecordBatch[] = [];
          for await (const b of rechunk(stream(batches), size)) out.push(b);
          const total = xs.length;
          expect(out.map((b) => b.numRows)).toEqual(
            Array.from({ length: Math.ceil(total / size) }, (_, i) =>
              Math.min(size, total - i * size),
            ),
          );
          expect(out.flatMap((b) => [...b.getChild("x")!])).toEqual(xs);
          expect(out.flatMap((b) => [...b.getChild("s")!])).toEqual(ss);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("passes a batch that already has the size through without a copy", async () => {
    const { batches } = batchesOf([5, 5]);
    const out: RecordBatch[] = [];
    for await (const b of rechunk(stream(batches), 5)) out.push(b);
    expect(out).toEqual(batches);
    expect(out[0]).toBe(batches[0]);
  });
});
