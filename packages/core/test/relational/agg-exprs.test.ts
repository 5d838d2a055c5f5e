// Expressions over aggregations in groupBy().agg() and a global select(), against DuckDB's
// answers to the same SQL on the same rows (computed here with @duckdb/node-api).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { col, count, DataFrame, lit, PlanError, readParquet, when } from "@deft/core";
import { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let instance: DuckDBInstance;
let con: DuckDBConnection;
let dir: string;

/** Seeded rows: 7 groups (one null), ints with nulls, floats, never a zero divisor. */
function rows(n: number) {
  let s = 12345;
  const r = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
  return Array.from({ length: n }, (_, i) => ({
    k: i % 7 === 6 ? null : `g${i % 7}`,
    g: i % 7,
    x: r() < 0.1 ? null : Math.floor(r() * 1000) - 300,
    a: Math.round(r() * 10_000) / 100,
    b: 1 + Math.floor(r() * 50),
  }));
}
const data = rows(500);
const frame = () =>
  DataFrame.fromRecords(data, {
    schema: { k: "utf8", g: "int32", x: "int64", a: "float64", b: "int32" },
  });

beforeAll(async () => {
  instance = await DuckDBInstance.create(":memory:");
  con = await DuckDBConnection.create(instance);
  await con.run("CREATE TABLE t (k VARCHAR, g INTEGER, x BIGINT, a DOUBLE, b INTEGER)");
  const values = data
    .map((d) => `(${d.k === null ? "NULL" : `'${d.k}'`}, ${d.g}, ${d.x ?? "NULL"}, ${d.a}, ${d.b})`)
    .join(", ");
  await con.run(`INSERT INTO t VALUES ${values}`);
  dir = mkdtempSync(join(tmpdir(), "deft-agg-exprs-"));
});
afterAll(() => {
  con?.closeSync();
  instance?.closeSync();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Rows as arrays of plain numbers/strings (bigints as numbers), for both engines. */
const plain = (v: unknown) => (typeof v === "bigint" ? Number(v) : v);
async function duck(sql: string): Promise<unknown[][]> {
  return (await con.runAndReadAll(sql)).getRowsJS().map((r) => r.map(plain));
}
async function deft(df: DataFrame): Promise<unknown[][]> {
  return (await df.toRecords()).map((r) => Object.values(r).map(plain));
}
const close = (rowsOf: unknown[][]) =>
  rowsOf.map((r) =>
    r.map((v) => (typeof v === "number" && !Number.isInteger(v) ? expect.closeTo(v, 9) : v)),
  );

describe("aggregations inside expressions vs DuckDB", () => {
  it("groupBy().agg(): ratios, ranges, arithmetic with literals, when over aggregates, a key in an expression", async () => {
    const df = frame()
      .groupBy("k", "g")
      .agg(
        col("x").sum().div(count()).alias("per_row"),
        col("x").max().sub(col("x").min()).alias("range"),
        col("a").sum().div(col("b").sum()).alias("r"),
        col("x").sum().alias("s"),
        col("x").sum().add(1).mul(2).alias("s2"),
        when(count().gt(70)).then(col("a").max()).otherwise(lit(0)).alias("big"),
        col("g").mul(100).add(col("x").count()).alias("gk"),
        col("a")
          .mean()
          .sub(col("a").min())
          .div(col("a").max().sub(col("a").min()))
          .alias("scaled"),
      )
      .sort(["g"]);
    const want = await duck(`
      SELECT k, g, sum(x) / count(*), max(x) - min(x), sum(a) / sum(b), sum(x), (sum(x) + 1) * 2,
        CASE WHEN count(*) > 70 THEN max(a) ELSE 0 END, g * 100 + count(x),
        (avg(a) - min(a)) / (max(a) - min(a))
      FROM t GROUP BY k, g ORDER BY g`);
    expect(await deft(df)).toEqual(close(want));
  });

  it("a global select(): one row of expressions over aggregations", async () => {
    const df = frame().select(
      col("x").sum().div(7).alias("s7"),
      col("x").max().sub(col("x").min()).alias("range"),
      col("x").sum().div(count()).alias("per_row"),
      col("a").sum().div(col("b").sum()).alias("r"),
      count().sub(col("x").count()).alias("nulls"),
    );
    expect(df.columns).toEqual(["s7", "range", "per_row", "r", "nulls"]);
    const want = await duck(
      "SELECT sum(x) / 7, max(x) - min(x), sum(x) / count(*), sum(a) / sum(b), count(*) - count(x) FROM t",
    );
    expect(await deft(df)).toEqual(close(want));
  });

  it("empty input: the global row is null where an aggregate is, as in DuckDB", async () => {
    const df = frame()
      .filter(col("g").gt(100))
      .select(
        col("x").sum().div(count()).alias("p"),
        count().add(1).alias("c"),
        col("x").max().sub(col("x").min()).alias("d"),
      );
    const want = await duck(
      "SELECT sum(x) / count(*), count(*) + 1, max(x) - min(x) FROM t WHERE g > 100",
    );
    expect(await deft(df)).toEqual(want);
  });

  it("on Parquet with two threads (partial and final aggregation) the answer is the same", async () => {
    const path = join(dir, "t.parquet");
    await frame().writeParquet(path, { rowGroupSize: 64 });
    const q = readParquet(path)
      .groupBy("k")
      .agg(col("x").sum().div(count()).alias("p"), col("a").max().sub(col("a").min()).alias("d"))
      .sort("k");
    const want = await duck(
      "SELECT k, sum(x) / count(*), max(a) - min(a) FROM t GROUP BY k ORDER BY k NULLS LAST",
    );
    for (const threads of [1, 2]) {
      expect((await q.toRecords({ threads })).map((r) => Object.values(r).map(plain))).toEqual(
        close(want),
      );
    }
  });
});

describe("how the plan is built", () => {
  it("each distinct aggregation is computed once, under its own name when it is also an output", () => {
    const df = frame()
      .groupBy("k")
      .agg(
        col("x").sum().alias("s"),
        col("x").sum().div(count()).alias("p"),
        col("x").sum().mul(2).alias("d"),
      );
    const plan = df.explain();
    expect(plan).toContain("Project: k, s, p=(col(s) / col(_agg0)), d=(col(s) * 2)");
    expect(plan).toContain("aggs=[s=col(x).sum(), _agg0=count()]");
    // Plain aggregations keep their one-node plan.
    expect(frame().groupBy("k").agg(col("x").sum()).explain()).not.toContain("Project");
  });

  it("plans with aggregation expressions round-trip as JSON", async () => {
    const df = frame()
      .groupBy("g")
      .agg(col("x").max().sub(col("x").min()).alias("range"))
      .sort("g");
    const back = DataFrame.fromJSON(JSON.parse(JSON.stringify(df)));
    expect(await back.toRecords()).toEqual(await df.toRecords());
  });

  it("a row value beside aggregations is a PlanError naming the column", () => {
    expect(() => frame().select(col("a"), col("x").sum())).toThrow(PlanError);
    expect(() => frame().select(col("a"), col("x").sum())).toThrow(
      /select\(\): col\(a\) is one value per row, but this select\(\) aggregates the whole table/,
    );
    expect(() => frame().select(col("a").add(col("x").sum()).alias("y"))).toThrow(
      /col\(a\) in \(col\(a\) \+ col\(x\)\.sum\(\)\) is one value per row/,
    );
    expect(() =>
      frame()
        .groupBy("k")
        .agg(col("x").sum().div(col("b"))),
    ).toThrow(
      /agg: col\(b\) in \(col\(x\)\.sum\(\) \/ col\(b\)\) is neither a group key nor inside an aggregation/,
    );
    expect(() => frame().groupBy("k").agg(col("x").sum().sum())).toThrow(/nests an aggregation/);
    expect(() => frame().select(col("x").sum().add(lit("a")))).toThrow(
      /select\(\): add\(\) needs numbers/,
    );
    // An alias is printed once (it used to read "AS s AS s").
    expect(() => frame().select(col("k").sum().alias("s"))).toThrow(
      /^select\(\): sum\(\) of col\(k\)/,
    );
  });
});
