import path from "node:path";
import { DataFrame } from "@deft/core";
import { Compression } from "parquet-wasm";
import { beforeAll, describe, expect, it } from "vitest";
import { tmpDir } from "../helpers.js";
import {
  columnCells,
  duckCell,
  duckRows,
  duckRun,
  readWithDeft,
  readWithWasm,
  writeWithWasm,
} from "./helpers.js";

// What the native decoder does not read goes to parquet-wasm, decided per file from the
// footer, and the scan:end event says which decoder read the scan.

let dir: string;
let nested: string;
beforeAll(async () => {
  dir = tmpDir("deft-native-fallback-");
  nested = path.join(dir, "nested.parquet");
  await DataFrame.fromRecords([
    { id: 1, tags: ["a", "b"], name: "x" },
    { id: 2, tags: [], name: null },
    { id: 3, tags: null, name: "z" },
  ]).writeParquet(nested);
});

describe("columns the native decoder leaves to parquet-wasm", () => {
  it("a nested (list) column: the whole scan goes to parquet-wasm, values intact", async () => {
    const { table, decoder } = await readWithDeft(nested, ["id", "tags", "name"]);
    expect(decoder).toBe("parquet-wasm");
    expect(
      table
        .getChild("tags")!
        .toArray()
        .map((l: { toArray(): unknown[] } | null) => l && [...l.toArray()]),
    ).toEqual([["a", "b"], [], null]);
    expect(columnCells(table, "name")).toEqual(["x", null, "z"]);
  });

  it("the flat columns of the same file decode natively", async () => {
    const { table, decoder } = await readWithDeft(nested, ["id", "name"]);
    expect(decoder).toBe("native");
    expect(columnCells(table, "id")).toEqual(["1", "2", "3"]);
    expect(columnCells(table, "name")).toEqual(["x", null, "z"]);
  });

  it("decimals go to parquet-wasm and equal DuckDB's values", async () => {
    const file = path.join(dir, "decimal.parquet");
    await duckRun(
      `COPY (SELECT (i * 1.25)::DECIMAL(9, 2) AS d, i AS n FROM range(1000) r(i)) TO '${file}' (FORMAT parquet)`,
    );
    const { table, decoder } = await readWithDeft(file, ["d", "n"]);
    expect(decoder).toBe("parquet-wasm");
    const ref = await duckRows(`SELECT (d * 100)::BIGINT AS d FROM read_parquet('${file}')`);
    const got = table.getChild("d")!;
    for (let i = 0; i < ref.length; i++) {
      const words = got.get(i) as Uint32Array;
      expect(String(words[0])).toBe(duckCell(ref[i]!.d));
    }
  });

  it("files of one scan may differ: LZ4 (Hadoop framing) falls back, LZ4_RAW does not", async () => {
    const wasm = await readWithWasm(nested, ["id", "name"]);
    const raw = path.join(dir, "a-lz4raw.parquet");
    const hadoop = path.join(dir, "b-lz4.parquet");
    writeWithWasm(wasm, raw, { compression: Compression.LZ4_RAW });
    writeWithWasm(wasm, hadoop, { compression: Compression.LZ4 });
    expect((await readWithDeft(raw, ["id", "name"])).decoder).toBe("native");
    expect((await readWithDeft(hadoop, ["id", "name"])).decoder).toBe("parquet-wasm");
    const both = await readWithDeft(path.join(dir, "?-lz4*.parquet"), ["id", "name"]);
    expect(both.decoder).toBe("mixed");
    expect(columnCells(both.table, "name")).toEqual(["x", null, "z", "x", null, "z"]);
  });

  it("DEFT_PARQUET_DECODER=parquet-wasm sends every scan to parquet-wasm; a bad value is named", async () => {
    const before = process.env.DEFT_PARQUET_DECODER;
    try {
      process.env.DEFT_PARQUET_DECODER = "parquet-wasm";
      const { table, decoder } = await readWithDeft(nested, ["id", "name"]);
      expect(decoder).toBe("parquet-wasm");
      expect(columnCells(table, "name")).toEqual(["x", null, "z"]);
      process.env.DEFT_PARQUET_DECODER = "rust";
      await expect(readWithDeft(nested, ["id"])).rejects.toThrow(
        /DEFT_PARQUET_DECODER must be "auto" or "parquet-wasm", got "rust"/,
      );
      process.env.DEFT_PARQUET_DECODER = "auto";
      expect((await readWithDeft(nested, ["id"])).decoder).toBe("native");
    } finally {
      if (before === undefined) delete process.env.DEFT_PARQUET_DECODER;
      else process.env.DEFT_PARQUET_DECODER = before;
    }
  });
});
