import { DataFrame } from "@deft/core";
import {
  Field,
  Float64,
  Int32,
  makeData,
  RecordBatch,
  Schema,
  Table,
  tableFromArrays,
} from "apache-arrow";
import { describe, expect, it } from "vitest";
import { arrowBatches, expectColumns, typesOf } from "../helpers.js";

describe("fromRecords", () => {
  it("infers types: numbers float64, bigint int64, strings, bools, Dates timestamp[ms], arrays list, objects struct", async () => {
    const when = new Date("2024-05-01T12:00:00Z");
    const df = DataFrame.fromRecords([
      { n: 1, b: 10n, s: "x", t: true, d: when, l: [1, 2], o: { k: "v", z: 1 } },
      { n: null, b: null, s: null, t: null, d: null, l: null, o: null },
      { n: 2.5, b: -1n, s: "", t: false, d: new Date(0), l: [], o: { k: null, z: 2 } },
    ]);
    expect(typesOf(df)).toEqual({
      n: "float64",
      b: "int64",
      s: "utf8",
      t: "bool",
      d: "Timestamp<MILLISECOND>",
      l: "List<Float64>",
      o: "Struct<{k:Utf8, z:Float64}>",
    });
    await expectColumns(df, {
      n: [1, null, 2.5],
      b: [10n, null, -1n],
      s: ["x", null, ""],
      t: [true, null, false],
      d: [when, null, new Date(0)],
      l: [[1, 2], null, []],
      o: [{ k: "v", z: 1 }, null, { k: null, z: 2 }],
    });
  });

  it("columns follow first-seen key order; a key missing from a record is null there", async () => {
    await expectColumns(DataFrame.fromRecords([{ a: 1 }, { b: "x", a: 2 }]), {
      a: [1, 2],
      b: [null, "x"],
    });
  });

  it("a key missing from a struct value is null in that row, and a null struct is null", async () => {
    const df = DataFrame.fromRecords([{ s: { x: 1, y: "a" } }, { s: { x: 2 } }, { s: null }]);
    expect(typesOf(df)).toEqual({ s: "Struct<{x:Float64, y:Utf8}>" });
    await expectColumns(df, { s: [{ x: 1, y: "a" }, { x: 2, y: null }, null] });
  });

  it("a partial schema types the columns it names; the other keys are inferred and kept", async () => {
    const df = DataFrame.fromRecords(
      [
        { a: 1, b: "x" },
        { a: 2, c: true },
      ],
      { schema: { a: "int32" } },
    );
    expect(typesOf(df)).toEqual({ a: "int32", b: "utf8", c: "bool" });
    await expectColumns(df, { a: [1, 2], b: ["x", null], c: [null, true] });
  });

  it("an all-null column has the null type", () => {
    expect(typesOf(DataFrame.fromRecords([{ a: null }, { a: undefined }]))).toEqual({ a: "null" });
  });

  it("a mixed-type column names the column and both rows", () => {
    expect(() => DataFrame.fromRecords([{ v: 1 }, { v: null }, { v: "2" }])).toThrow(
      /Column "v" mixes types: row 0 is number but row 2 is string \(2\)/,
    );
  });

  it("a schema fixes the types (and the column order), and a bad value names column and row", async () => {
    const df = DataFrame.fromRecords(
      [
        { b: "x", a: 1 },
        { b: "y", a: 2 },
      ],
      { schema: { a: "int32", b: "utf8" } },
    );
    expect(typesOf(df)).toEqual({ a: "int32", b: "utf8" });
    await expectColumns(df, { a: [1, 2], b: ["x", "y"] });
    expect(() => DataFrame.fromRecords([{ a: 1 }, { a: 1.5 }], { schema: { a: "int32" } })).toThrow(
      /Column "a" row 1: number 1.5 is not a int32/,
    );
    expect(() => DataFrame.fromRecords([{ a: "1" }], { schema: { a: "float64" } })).toThrow(
      /Column "a" row 0: string 1/,
    );
  });

  it("a non-object record is refused", () => {
    expect(() => DataFrame.fromRecords([1 as unknown as Record<string, unknown>])).toThrow(
      /plain objects, got number/,
    );
  });

  it("no records gives an empty frame", async () => {
    const df = DataFrame.fromRecords([]);
    expect(df.columns).toEqual([]);
    expect(await df.count()).toBe(0);
  });
});

describe("fromColumns", () => {
  it("uses typed arrays without copying (the very same buffer)", async () => {
    const x = new Float64Array([1, 2, 3]);
    const i = new Int32Array([4, 5, 6]);
    const df = DataFrame.fromColumns({ x, i });
    expect(typesOf(df)).toEqual({ x: "float64", i: "int32" });
    const t = await df.toArrow();
    expect(t.getChild("x")!.data[0]!.values.buffer).toBe(x.buffer);
    expect(t.getChild("i")!.data[0]!.values.buffer).toBe(i.buffer);
  });

  it("plain arrays are inferred like fromRecords; typed arrays of every width map to their type", async () => {
    const df = DataFrame.fromColumns({
      s: ["a", "b", null],
      u8: new Uint8Array([1, 2, 3]),
      i64: new BigInt64Array([1n, 2n, 3n]),
      f32: new Float32Array([0.5, 1, 2]),
    });
    expect(typesOf(df)).toEqual({ s: "utf8", u8: "uint8", i64: "int64", f32: "float32" });
    await expectColumns(df, {
      s: ["a", "b", null],
      u8: [1, 2, 3],
      i64: [1n, 2n, 3n],
      f32: [0.5, 1, 2],
    });
  });

  it("columns of different lengths are refused with both lengths", () => {
    expect(() => DataFrame.fromColumns({ a: [1, 2], b: [1] })).toThrow(
      /Column "b" has 1 values but "a" has 2/,
    );
  });

  it("a schema that disagrees with a typed array says so", () => {
    expect(() =>
      DataFrame.fromColumns({ a: new Float64Array(1) }, { schema: { a: "int32" } }),
    ).toThrow(/Column "a" is a Float64Array but the schema says int32/);
  });

  it("a schema naming a missing column lists the data's columns", () => {
    expect(() =>
      DataFrame.fromColumns({ a: [1] }, { schema: { a: "float64", b: "utf8" } }),
    ).toThrow(/schema names column "b" but the data has no such column. The data has: a/);
  });
});

describe("fromArrow", () => {
  it("takes a Table, a RecordBatch or a list of batches, zero copy and in order", async () => {
    const table = tableFromArrays({ a: new Float64Array([1, 2]), b: new Int32Array([3, 4]) });
    await expectColumns(DataFrame.fromArrow(table), { a: [1, 2], b: [3, 4] });
    const batches = arrowBatches({ a: { type: new Int32(), values: [1, 2, 3, 4, 5] } }, [2, 3]);
    expect(batches.length).toBeGreaterThan(3);
    await expectColumns(DataFrame.fromArrow(batches), { a: [1, 2, 3, 4, 5] });
    await expectColumns(DataFrame.fromArrow(batches[1]!), { a: [1, 2] });
    const got = await DataFrame.fromArrow(table).toArrow();
    expect(got.getChild("a")!.data[0]!.values.buffer).toBe(
      table.getChild("a")!.data[0]!.values.buffer,
    );
  });

  it("an empty list of batches is refused (no schema); an empty Table keeps its schema", async () => {
    expect(() => DataFrame.fromArrow([])).toThrow(/empty list of batches; pass a Table/);
    const schema = new Schema([new Field("x", new Float64(), true)]);
    const df = DataFrame.fromArrow(new Table(schema));
    expect(df.columns).toEqual(["x"]);
    expect(await df.count()).toBe(0);
  });

  it("a batch larger than one morsel is split into zero-copy slices, and sliced inputs work", async () => {
    const n = 300_000;
    const x = new Float64Array(n).map((_, i) => i);
    const batch = new RecordBatch({ x: makeData({ type: new Float64(), length: n, data: x }) });
    let batches = 0;
    let total = 0;
    for await (const b of DataFrame.fromArrow(batch).iterBatches()) {
      batches++;
      total += b.numRows;
      const v = b.getChild("x")!.data[0]!.values as Float64Array;
      expect(v.buffer).toBe(x.buffer);
    }
    expect(batches).toBeGreaterThan(1);
    expect(total).toBe(n);
  });
});

describe("range", () => {
  it("range(n), range(start, end, step) and negative steps", async () => {
    expect(typesOf(DataFrame.range(3))).toEqual({ id: "int64" });
    await expectColumns(DataFrame.range(3), { id: [0n, 1n, 2n] });
    await expectColumns(DataFrame.range(2, 10, 3), { id: [2n, 5n, 8n] });
    await expectColumns(DataFrame.range(3, 0, -1), { id: [3n, 2n, 1n] });
    await expectColumns(DataFrame.range(5, 5), { id: [] });
  });

  it("a zero or fractional step is refused", () => {
    expect(() => DataFrame.range(0, 10, 0)).toThrow(/non-zero step/);
    expect(() => DataFrame.range(1.5)).toThrow(/whole numbers/);
  });
});

describe("integers that do not fit their column type", () => {
  it("fromRecords and fromColumns name the column and row instead of wrapping", () => {
    expect(() => DataFrame.fromRecords([{ v: 1 }, { v: 300 }], { schema: { v: "int8" } })).toThrow(
      /Column "v" row 1: 300 is out of range for int8/,
    );
    expect(() => DataFrame.fromColumns({ u: [-1] }, { schema: { u: "uint8" } })).toThrow(
      /Column "u" row 0: -1 is out of range for uint8/,
    );
  });
});
