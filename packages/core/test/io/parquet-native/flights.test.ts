import { type Data, DataType, type Table } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { FLIGHTS } from "../helpers.js";
import { readWithDeft, readWithWasm } from "./helpers.js";

// The 3-million-row flights file (Polars, ZSTD, dictionary pages, Arrow schema with LargeUtf8
// and a zone-less timestamp) decoded natively equals parquet-wasm's decoding of it.

/** A column's bytes, concatenated across batches: fixed-width values, or string lengths + bytes. */
function raw(
  t: Table,
  name: string,
): { nulls: number; values: Uint8Array; lengths?: Float64Array } {
  const v = t.getChild(name)!;
  const parts: Uint8Array[] = [];
  const lengths: number[] = [];
  for (const d of v.data as Data[]) {
    if (DataType.isUtf8(d.type) || DataType.isLargeUtf8(d.type)) {
      const offs = d.valueOffsets as ArrayLike<number | bigint>;
      const start = Number(offs[0]);
      const end = Number(offs[d.length]);
      for (let i = 0; i < d.length; i++) lengths.push(Number(offs[i + 1]) - Number(offs[i]));
      parts.push(d.values.subarray(start, end));
    } else {
      const x = d.values as ArrayBufferView;
      parts.push(new Uint8Array(x.buffer, x.byteOffset, x.byteLength));
    }
  }
  const size = parts.reduce((n, p) => n + p.length, 0);
  const values = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    values.set(p, at);
    at += p.length;
  }
  return {
    nulls: v.nullCount,
    values,
    lengths: lengths.length ? Float64Array.from(lengths) : undefined,
  };
}

describe("flights-3m.parquet read natively", () => {
  it("equals parquet-wasm's reading, every column", async () => {
    const columns = ["date", "delay", "distance", "origin", "destination"];
    const { table: got, decoder } = await readWithDeft(FLIGHTS, columns, 2);
    expect(decoder).toBe("native");
    const want = await readWithWasm(FLIGHTS, columns);
    expect(got.numRows).toBe(3_000_000);
    expect(want.numRows).toBe(3_000_000);
    for (const c of columns) {
      // Scans hand the engine 32-bit string offsets (a source narrows large_utf8 on read).
      expect(String(got.getChild(c)!.type)).toBe(
        String(want.getChild(c)!.type).replace("LargeUtf8", "Utf8"),
      );
      const a = raw(got, c);
      const b = raw(want, c);
      expect(a.nulls).toBe(b.nulls);
      expect(Buffer.compare(a.values, b.values)).toBe(0);
      if (b.lengths)
        expect(Buffer.compare(Buffer.from(a.lengths!.buffer), Buffer.from(b.lengths.buffer))).toBe(
          0,
        );
    }
  }, 120_000);
});
