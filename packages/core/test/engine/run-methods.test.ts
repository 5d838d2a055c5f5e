import { col, DataFrame, lit } from "@deft/core";
import { displayWidth } from "@deft/core/internal";
import { Table } from "apache-arrow";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CountingSource, expectColumns } from "../helpers.js";

describe("order across many batches", () => {
  it("project + filter over 1000 batches keep the input order", async () => {
    const src = new CountingSource(1000, 37);
    const out = await DataFrame.fromSource(src)
      .filter(col("x").mod(7).eq(0))
      .withColumn("y", col("x").neg())
      .toColumns();
    const want = Array.from({ length: 37_000 }, (_, i) => i).filter((i) => i % 7 === 0);
    expect(out.x).toEqual(want);
    expect(out.y).toEqual(want.map((v) => -v));
  });

  it("intoBatches re-chunks to exact sizes (last shorter) and keeps order", async () => {
    const src = new CountingSource(10, 7);
    const sizes: number[] = [];
    const xs: number[] = [];
    for await (const b of DataFrame.fromSource(src).intoBatches(16).iterBatches()) {
      sizes.push(b.numRows);
      for (const v of b.getChild("x")!.toArray() as Float64Array) xs.push(v);
    }
    expect(sizes).toEqual([16, 16, 16, 16, 6]);
    expect(xs).toEqual(Array.from({ length: 70 }, (_, i) => i));
  });

  it("intoBatches with a size dividing the input yields whole batches; bad sizes throw", async () => {
    const sizes: number[] = [];
    for await (const b of DataFrame.range(100).intoBatches(25).iterBatches()) sizes.push(b.numRows);
    expect(sizes).toEqual([25, 25, 25, 25]);
    expect(() => DataFrame.range(1).intoBatches(0)).toThrow(
      /intoBatches\(\) takes a whole number >= 1, got 0/,
    );
  });

  it("a range larger than one morsel arrives in several batches, in order", async () => {
    let batches = 0;
    let next = 0n;
    for await (const b of DataFrame.range(300_000).iterBatches()) {
      batches++;
      const ids = b.getChild("id")!.toArray() as BigInt64Array;
      expect(ids[0]).toBe(next);
      next = ids[ids.length - 1]! + 1n;
    }
    expect(batches).toBeGreaterThan(1);
    expect(next).toBe(300_000n);
  });
});

describe("running methods", () => {
  const df = DataFrame.fromRecords([
    { n: 1, s: "a", big: 2n ** 40n },
    { n: null, s: null, big: null },
    { n: 3.5, s: "ccc", big: -7n },
  ]);

  it("toRecords gives plain objects; int64 stays bigint unless { int64: 'number' }", async () => {
    expect(await df.toRecords()).toEqual([
      { n: 1, s: "a", big: 2n ** 40n },
      { n: null, s: null, big: null },
      { n: 3.5, s: "ccc", big: -7n },
    ]);
    expect((await df.toRecords({ int64: "number" })).map((r) => r.big)).toEqual([
      2 ** 40,
      null,
      -7,
    ]);
  });

  it("{ int64: 'number' } throws on a value beyond 2^53, naming the column", async () => {
    const huge = DataFrame.fromRecords([{ v: 1n }, { v: 2n ** 60n }]);
    await expect(huge.toRecords({ int64: "number" })).rejects.toThrow(
      /Column "v" row 1: 1152921504606846976 does not fit a JS number/,
    );
    await expect(huge.toColumns({ int64: "number" })).rejects.toThrow(/Column "v"/);
  });

  it("toColumns gives one array per column", async () => {
    await expectColumns(df, {
      n: [1, null, 3.5],
      s: ["a", null, "ccc"],
      big: [2n ** 40n, null, -7n],
    });
  });

  it("count counts rows after filters", async () => {
    expect(await df.count()).toBe(3);
    expect(await df.filter(col("n").gt(2)).count()).toBe(1);
    expect(await DataFrame.range(1_000_000).count()).toBe(1_000_000);
  });

  it("collect materializes once: the collected frame does not re-run the source", async () => {
    const src = new CountingSource(3, 4);
    const c = await DataFrame.fromSource(src).withColumn("y", col("x").add(1)).collect();
    expect(src.produced).toBe(3);
    await expectColumns(c.select("y").limit(2), { y: [1, 2] });
    await expectColumns(c.filter(col("x").eq(11)), { x: [11], y: [12] });
    expect(src.produced).toBe(3);
  });

  it("toArrow returns a Table with the plan's schema, also when no row survives", async () => {
    const t = await df.toArrow();
    expect(t).toBeInstanceOf(Table);
    expect(t.numRows).toBe(3);
    expect(t.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      "n:Float64",
      "s:Utf8",
      "big:Int64",
    ]);
    const empty = await df.filter(col("n").gt(100)).toArrow();
    expect(empty.numRows).toBe(0);
    expect(empty.schema.fields.map((f) => f.name)).toEqual(["n", "s", "big"]);
  });

  it("iterBatches streams RecordBatches; the iterable can be run again", async () => {
    const it = DataFrame.range(5)
      .withColumn("sq", col("id").mul(col("id")))
      .iterBatches();
    for (let round = 0; round < 2; round++) {
      const rows: bigint[] = [];
      for await (const b of it)
        for (const v of b.getChild("sq")!.toArray() as BigInt64Array) rows.push(v);
      expect(rows).toEqual([0n, 1n, 4n, 9n, 16n]);
    }
  });
});

describe("show", () => {
  let logged: string[] = [];
  beforeEach(() => {
    logged = [];
    vi.spyOn(console, "log").mockImplementation((s: unknown) => {
      logged.push(String(s));
    });
  });
  afterEach(() => vi.restoreAllMocks());

  it("prints and returns an aligned table: numbers right, text left, a types row, a footer", async () => {
    const df = DataFrame.fromRecords([
      { name: "a", value: 1.5 },
      { name: "longer name", value: -20 },
      { name: null, value: 300 },
    ]);
    const text = await df.show();
    expect(logged).toEqual([text]);
    expect(text.split("\n")).toEqual([
      "┌─────────────┬─────────┐",
      "│ name        ┆ value   │",
      "│ utf8        ┆ float64 │",
      "╞═════════════╪═════════╡",
      "│ a           ┆     1.5 │",
      "│ longer name ┆   -20.0 │",
      "│ null        ┆   300.0 │",
      "└─────────────┴─────────┘",
      "(3 rows)",
    ]);
  });

  it("shows the first n rows, says so, and cuts long values with an ellipsis", async () => {
    const df = DataFrame.range(100).withColumn("s", lit("x".repeat(50)));
    const text = await df.show(2);
    const rows = text.split("\n");
    expect(rows.at(-1)).toBe("(showing first 2 rows)");
    // The id column is as wide as its type name "int64".
    expect(rows[4]).toBe(`│     0 ┆ ${"x".repeat(31)}… │`);
    expect(rows).toHaveLength(8);
    // Every line of the box has the same width.
    expect(new Set(rows.slice(0, -1).map((r) => r.length)).size).toBe(1);
  });

  it("dates as dates, timestamps in their zone or none, floats as Polars, CJK and emoji aligned", async () => {
    const df = DataFrame.fromRecords([
      { x: 3450768.0499999975, t: new Date("2012-03-29T10:00:00Z"), s: "日本語テキスト" },
      { x: 0.1 + 0.2, t: null, s: "😀 ok" },
    ]).select(
      "x",
      col("t").cast("date").alias("day"),
      "t",
      col("t").cast("timestamp[ms, UTC]").alias("utc"),
      "s",
    );
    const rows = (await df.show()).split("\n");
    expect(rows.slice(3, 7)).toEqual([
      "╞══════════╪════════════╪═════════════════════════╪══════════════════════════╪════════════════╡",
      "│ 3.4508e6 ┆ 2012-03-29 ┆ 2012-03-29T10:00:00.000 ┆ 2012-03-29T10:00:00.000Z ┆ 日本語テキスト │",
      "│      0.3 ┆ null       ┆ null                    ┆ null                     ┆ 😀 ok          │",
      "└──────────┴────────────┴─────────────────────────┴──────────────────────────┴────────────────┘",
    ]);
    // Every line is as wide on screen as the others.
    expect(new Set(rows.slice(0, -1).map(displayWidth)).size).toBe(1);
  });

  it("a wide table shows its first and last four columns around a … column", async () => {
    const wide: Record<string, number> = {};
    for (let i = 0; i < 12; i++) wide[`c${i}`] = i;
    const rows = (await DataFrame.fromRecords([wide]).show()).split("\n");
    expect(rows[1]).toBe(
      "│ c0      ┆ c1      ┆ c2      ┆ c3      ┆ … ┆ c8      ┆ c9      ┆ c10     ┆ c11     │",
    );
    expect(rows.at(-1)).toBe("(1 row, 4 of 12 columns not shown)");
  });
});
