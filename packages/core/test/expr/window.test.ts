// Window functions by example: each function on small tables with nulls, NaN and no rows,
// where they may be used (and the PlanErrors where not), and the plans they make.
import {
  col,
  count,
  DataFrame,
  denseRank,
  lit,
  ntile,
  PlanError,
  percentRank,
  rank,
  rowNumber,
} from "@deft/core";
import { describe, expect, it } from "vitest";

const t = DataFrame.fromRecords(
  [
    { g: "a", x: 2, v: 1 },
    { g: "b", x: 1, v: Number.NaN },
    { g: "a", x: 1, v: null },
    { g: "a", x: 2, v: 4 },
    { g: null, x: null, v: 5 },
    { g: "b", x: 3, v: 2 },
    { g: "a", x: null, v: -1 },
  ],
  { schema: { g: "utf8", x: "int32", v: "float64" } },
).intoBatches(3);
const byGX = { partitionBy: "g", orderBy: "x" } as const;

async function column(df: DataFrame, e: ReturnType<typeof col>): Promise<unknown[]> {
  return (await df.withColumn("w", e).toColumns({ int64: "number" })).w!;
}

describe("window functions by example (nulls, NaN)", () => {
  // Partition a in order: x=1 (v null), x=2 (v 1), x=2 (v 4), x=null (v -1).
  // Partition b in order: x=1 (v NaN), x=3 (v 2). Partition null: one row.
  it.each([
    ["rowNumber", rowNumber(), [2, 1, 1, 3, 1, 2, 4]],
    ["rank", rank(), [2, 1, 1, 2, 1, 2, 4]],
    ["denseRank", denseRank(), [2, 1, 1, 2, 1, 2, 3]],
    ["percentRank", percentRank(), [1 / 3, 0, 0, 1 / 3, 0, 1, 1]],
    ["ntile(2)", ntile(2), [1, 1, 1, 2, 1, 2, 2]],
    ["lag", col("v").lag(), [null, null, null, 1, null, Number.NaN, 4]],
    ["lag(1, 0)", col("v").lag(1, 0), [null, 0, 0, 1, 0, Number.NaN, 4]],
    ["lead", col("v").lead(), [4, 2, 1, -1, null, null, null]],
    ["lag(0)", col("v").lag(0), [1, Number.NaN, null, 4, 5, 2, -1]],
    ["firstValue", col("v").firstValue(), [null, Number.NaN, null, null, 5, Number.NaN, null]],
    ["lastValue (peers)", col("v").lastValue(), [4, Number.NaN, null, 4, 5, 2, -1]],
    ["nthValue(2)", col("v").nthValue(2), [1, null, null, 1, null, 2, 1]],
    ["sum (peers)", col("v").sum(), [5, Number.NaN, null, 5, 5, Number.NaN, 4]],
    ["mean", col("v").mean(), [2.5, Number.NaN, null, 2.5, 5, Number.NaN, 4 / 3]],
    ["min (NaN ignored)", col("v").min(), [1, Number.NaN, null, 1, 5, 2, -1]],
    ["max (NaN largest)", col("v").max(), [4, Number.NaN, null, 4, 5, Number.NaN, 4]],
    ["count", col("v").count(), [2, 1, 0, 2, 1, 2, 3]],
    ["count()", count(), [3, 1, 1, 3, 1, 2, 4]],
    ["countDistinct", col("x").countDistinct(), [2, 1, 1, 2, 0, 2, 2]],
    ["cumSum", col("v").cumSum(), [1, Number.NaN, null, 5, 5, Number.NaN, 4]],
    ["cumCount", col("v").cumCount(), [1, 1, 0, 2, 1, 2, 3]],
    ["cumMin", col("v").cumMin(), [1, Number.NaN, null, 1, 5, 2, -1]],
    ["cumMax", col("v").cumMax(), [1, Number.NaN, null, 4, 5, Number.NaN, 4]],
  ])("%s over partitionBy g, orderBy x", async (_, e, want) => {
    expect(await column(t, e.over(byGX))).toEqual(want);
  });

  it("frames: rows, range by value, following only, whole partition", async () => {
    const v = col("v");
    expect(await column(t, v.sum().over({ ...byGX, frame: { rows: [-1, 0] } }))).toEqual([
      1,
      Number.NaN,
      null,
      5,
      5,
      Number.NaN,
      3,
    ]);
    expect(await column(t, v.count().over({ ...byGX, frame: { range: [-1, 0] } }))).toEqual([
      2, 1, 0, 2, 1, 1, 1,
    ]);
    expect(await column(t, v.max().over({ ...byGX, frame: { rows: [1, 2] } }))).toEqual([
      4,
      2,
      4,
      -1,
      null,
      null,
      null,
    ]);
    expect(await column(t, v.min().over({ partitionBy: "g" }))).toEqual([-1, 2, -1, -1, 5, 2, -1]);
  });

  it("cumulative functions alone run over the frame in its row order", async () => {
    expect(await column(t, col("v").cumSum())).toEqual([
      1,
      Number.NaN,
      Number.NaN,
      Number.NaN,
      Number.NaN,
      Number.NaN,
      Number.NaN,
    ]);
    expect(await column(t, col("x").cumMax())).toEqual([2, 2, 2, 2, 2, 3, 3]);
    expect(await column(t, col("x").cumSum())).toEqual([2, 3, 4, 6, 6, 9, 9]);
  });

  it("empty input gives no rows, with the window column typed", async () => {
    const empty = t.filter(col("x").gt(100));
    const df = empty.withColumns({
      r: rank().over(byGX),
      s: col("v")
        .sum()
        .over({ ...byGX, frame: { rows: [-2, 0] } }),
      l: col("g").lag().over(byGX),
    });
    expect(await df.toRecords()).toEqual([]);
    expect(df.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      "g:Utf8",
      "x:Int32",
      "v:Float64",
      "r:Int64",
      "s:Float64",
      "l:Utf8",
    ]);
  });

  it("strings, bools and dates: min/max, lag, first/last", async () => {
    const df = DataFrame.fromRecords([
      { k: 1, s: "pear", b: true, d: new Date("2020-01-03") },
      { k: 1, s: null, b: false, d: null },
      { k: 1, s: "apple", b: null, d: new Date("2020-01-01") },
      { k: 2, s: "fig", b: true, d: new Date("2020-01-02") },
    ]);
    const out = await df
      .withColumns({
        mn: col("s").min().over({ partitionBy: "k" }),
        mx: col("s").cumMax(),
        lg: col("s").lag(1, "none").over({ partitionBy: "k" }),
        bs: col("b").sum().over({ partitionBy: "k" }),
        dl: col("d").lastValue().over({ partitionBy: "k" }),
      })
      .select("mn", "mx", "lg", "bs", "dl")
      .toRecords({ int64: "number" });
    expect(out).toEqual([
      { mn: "apple", mx: "pear", lg: "none", bs: 1, dl: new Date("2020-01-01") },
      { mn: "apple", mx: "pear", lg: "pear", bs: 1, dl: new Date("2020-01-01") },
      { mn: "apple", mx: "pear", lg: null, bs: 1, dl: new Date("2020-01-01") },
      { mn: "fig", mx: "pear", lg: "none", bs: 1, dl: new Date("2020-01-02") },
    ]);
  });
});

describe("where windows may be used", () => {
  it("in select, beside plain columns and inside expressions", async () => {
    const out = await t
      .select(
        col("g"),
        col("v")
          .sub(col("v").mean().over({ partitionBy: "g" }))
          .alias("d"),
      )
      .limit(1)
      .toRecords();
    expect(out).toEqual([{ g: "a", d: 1 - 4 / 3 }]);
  });

  it("a filter on a window (top 1 per group) and on its column", async () => {
    const direct = await t.filter(rowNumber().over(byGX).eq(1)).toRecords();
    const viaColumn = await t
      .withColumn("r", rowNumber().over(byGX))
      .filter(col("r").eq(1))
      .select("g", "x", "v")
      .toRecords();
    expect(direct).toEqual(viaColumn);
    expect(direct.map((r) => r.x)).toEqual([1, 1, null]);
  });

  it("replacing the column a window reads", async () => {
    expect(await t.withColumn("v", col("v").fillNull(0).cumSum()).select("v").toColumns()).toEqual({
      v: [1, Number.NaN, Number.NaN, Number.NaN, Number.NaN, Number.NaN, Number.NaN],
    });
  });

  it.each([
    [
      "a window function without over()",
      () => t.withColumn("r", rank()),
      /rank\(\) is a window function.*over\(\)/,
    ],
    [
      "lag without over()",
      () => t.withColumn("r", col("v").lag()),
      /lag\(1\) is a window function/,
    ],
    [
      "a window in groupBy().agg()",
      () => t.groupBy("g").agg(col("v").sum().over()),
      /is a window expression/,
    ],
    [
      "a window in a sort key",
      () => t.sort(rank().over({ orderBy: "x" })),
      /is a window expression/,
    ],
    [
      "a window in a group key",
      () => t.groupBy(col("v").cumSum()).agg(count()),
      /is a window expression/,
    ],
    [
      "nested windows",
      () => t.withColumn("r", col("v").cumSum().sum().over()),
      /windows do not nest/,
    ],
    [
      "an aggregation inside a window's argument",
      () => t.withColumn("r", col("v").sum().lag().over()),
      /aggregation inside/,
    ],
    [
      "an aggregation outside over() beside windows",
      () => t.select(col("v").sum(), rank().over()),
      /is an aggregation/,
    ],
    [
      "over() on a row expression",
      () => t.withColumn("r", col("v").add(1).over()),
      /over\(\) applies to an aggregation/,
    ],
    [
      "list() over a window",
      () => t.withColumn("r", col("v").list().over()),
      /list\(\) is not available over a window/,
    ],
    [
      "std() over a window",
      () => t.withColumn("r", col("v").std().over()),
      /std\(\) is not available over a window/,
    ],
    [
      "a frame on rank()",
      () => t.withColumn("r", rank().over({ orderBy: "x", frame: { rows: [-1, 0] } })),
      /does not use a frame/,
    ],
    [
      "a frame on cumSum()",
      () =>
        t.withColumn(
          "r",
          col("v")
            .cumSum()
            .over({ frame: { rows: [-1, 0] } }),
        ),
      /leave out frame/,
    ],
    [
      "a range frame with offsets over two keys",
      () =>
        t.withColumn(
          "r",
          col("v")
            .sum()
            .over({ orderBy: ["x", "v"], frame: { range: [-1, 0] } }),
        ),
      /one order key/,
    ],
    [
      "a range frame over strings",
      () =>
        t.withColumn(
          "r",
          col("v")
            .sum()
            .over({ orderBy: "g", frame: { range: [-1, 0] } }),
        ),
      /numeric order key/,
    ],
    [
      "a frame that starts after it ends",
      () =>
        col("v")
          .sum()
          .over({ frame: { rows: [1, 0] } }),
      /starts after it ends/,
    ],
    [
      "a rows frame of fractions",
      () =>
        col("v")
          .sum()
          .over({ frame: { rows: [-0.5, 0] } }),
      /whole rows/,
    ],
    [
      "a malformed frame",
      () =>
        col("v")
          .sum()
          .over({ frame: { row: [1, 2] } as never }),
      /frame is \{ rows/,
    ],
    ["ntile(0)", () => ntile(0), /whole number >= 1/],
    [
      "an unknown partition column",
      () => t.withColumn("r", rank().over({ partitionBy: "nope" })),
      /nope/,
    ],
    ["sum over strings", () => t.withColumn("r", col("g").sum().over()), /not numeric/],
    [
      "a lag default of another type",
      () => t.withColumn("r", col("v").lag(1, "x").over()),
      /does not fit/,
    ],
    [
      "descending per key of the wrong length",
      () => rank().over({ orderBy: "x", descending: [true, false] }),
      /2 entries for 1 order keys/,
    ],
  ])("%s is a PlanError at the call", (_, call, message) => {
    expect(call).toThrow(PlanError);
    expect(call).toThrow(message);
  });
});

describe("plans", () => {
  it("windows sharing keys share one Window node; expressions read its columns", () => {
    const df = t.withColumns({
      r: rank().over(byGX),
      s: col("v")
        .sum()
        .over({ ...byGX, frame: { rows: [-2, 0] } }),
      d: col("v").sub(col("v").mean().over({ partitionBy: "g" })),
      n: lit(1),
    });
    expect(df.explain()).toBe(
      [
        "== Logical plan ==",
        "Project: g, x, v, r, s, d=(col(v) - col(_win0)), n=1",
        "  Window: partitionBy=[g], _win0=col(v).mean() rows=[unbounded, unbounded]",
        "    Window: partitionBy=[g], orderBy=[x], r=rank(), s=col(v).sum() rows=[-2, 0]",
        "      IntoBatches: 3",
        "        Source: memory (7 rows, 1 batches)",
      ].join("\n"),
    );
  });

  it("an unread window is pruned; a filter on a partition key crosses the window, others stay", () => {
    const df = t
      .withColumns({ r: rank().over(byGX), c: col("v").cumSum().over(byGX) })
      .filter(col("g").eq("a").and(col("r").lte(2)))
      .select("g", "r");
    const optimized = df.explain({ optimized: true }).split("== Optimized plan ==\n")[1]!;
    expect(optimized).toContain("Window: partitionBy=[g], orderBy=[x], r=rank()\n");
    expect(optimized).not.toContain("cumSum");
    expect(optimized).not.toContain("col(v).sum()");
    const lines = optimized.split("\n");
    const windowAt = lines.findIndex((l) => l.includes("Window:"));
    expect(lines.findIndex((l) => l.includes('(col(g) == "a")'))).toBeGreaterThan(windowAt);
    expect(lines.findIndex((l) => l.includes("(col(r) <= 2)"))).toBeLessThan(windowAt);
  });

  it("the results are those of the plan before optimizing (filter and pruning)", async () => {
    const df = t
      .withColumns({ r: rank().over(byGX), c: col("v").cumSum().over(byGX) })
      .filter(col("g").eq("a").and(col("r").lte(2)))
      .select("x", "r");
    expect(await df.toRecords({ int64: "number" })).toEqual([
      { x: 2, r: 2 },
      { x: 1, r: 1 },
      { x: 2, r: 2 },
    ]);
  });
});
