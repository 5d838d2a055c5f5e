// Decimal arithmetic, comparisons and aggregations against DuckDB on the same Parquet rows:
// results compared as DuckDB's text (the scales agree; see docs/expressions.md for the
// precision rule), quotients and means as doubles.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { col, count, DataFrame, readParquet } from "@deft/core";
import { typeName } from "@deft/core/internal";
import { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let dir = "";
let instance: DuckDBInstance;
let con: DuckDBConnection;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "deft-decimal-arith-"));
  instance = await DuckDBInstance.create(":memory:");
  con = await DuckDBConnection.create(instance);
});
afterAll(() => {
  con?.closeSync();
  instance?.closeSync();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const text = (int: number, frac: number) =>
  fc.option(
    fc
      .tuple(
        fc.boolean(),
        fc.bigInt({ min: 0n, max: 10n ** BigInt(int) - 1n }),
        fc.bigInt({ min: 0n, max: 10n ** BigInt(frac) - 1n }),
      )
      .map(([neg, a, b]) => `${neg ? "-" : ""}${a}.${b.toString().padStart(frac, "0")}`),
    { freq: 6 },
  );

const rowsArb = fc.array(
  fc.tuple(text(5, 4), text(8, 2), text(20, 10), fc.integer({ min: -1000, max: 1000 })),
  { minLength: 1, maxLength: 30 },
);

let file = 0;
async function write(rows: [string | null, string | null, string | null, number][]) {
  const path = join(dir, `a${file++}.parquet`);
  const lit = (v: string | null, t: string) => (v === null ? `NULL::${t}` : `'${v}'::${t}`);
  const values = rows
    .map(
      ([a, b, c, i]) =>
        `(${lit(a, "DECIMAL(9,4)")}, ${lit(b, "DECIMAL(18,2)")}, ${lit(c, "DECIMAL(38,10)")}, ${i}::INTEGER)`,
    )
    .join(", ");
  await con.run(`CREATE OR REPLACE TABLE t AS SELECT * FROM (VALUES ${values}) v(a, b, c, i)`);
  await con.run(`COPY t TO '${path}' (FORMAT PARQUET)`);
  return readParquet(path);
}

async function duck(sql: string): Promise<Record<string, unknown>[]> {
  return (await con.runAndReadAll(sql)).getRowObjectsJS();
}

const close = (x: unknown, y: unknown) =>
  x === null || y === null
    ? x === y
    : Math.abs(Number(x) - Number(y)) <= 1e-12 * Math.max(1, Math.abs(Number(y)));

describe("decimal arithmetic as DuckDB computes it", () => {
  it("add, sub, mul, mod, neg with decimals, ints and number literals: exact", async () => {
    await fc.assert(
      fc.asyncProperty(rowsArb, async (rows) => {
        const df = await write(rows);
        const q = df.select(
          col("b").add(col("a")).cast("utf8").alias("s"),
          col("c").sub(col("b")).cast("utf8").alias("d"),
          col("a").mul(col("b")).cast("utf8").alias("m"),
          col("b").add(col("i")).cast("utf8").alias("bi"),
          col("a").mul(2.5).cast("utf8").alias("a25"),
          col("b").sub(1).cast("utf8").alias("b1"),
          col("c").neg().cast("utf8").alias("n"),
          col("b").mod(col("a")).cast("utf8").alias("r"),
        );
        // DuckDB keeps DECIMAL(9,4) * DECIMAL(18,2) in 18 digits (overflowing); widening one
        // side first gives the same scale.
        const want =
          await duck(`SELECT (b + a)::VARCHAR s, (c - b)::VARCHAR d, (a::DECIMAL(27,4) * b)::VARCHAR m,
          (b + i)::VARCHAR bi, (a * 2.5)::VARCHAR a25, (b - 1)::VARCHAR b1, (-c)::VARCHAR n,
          (CASE WHEN a = 0 THEN NULL ELSE b % a END)::VARCHAR r FROM t`);
        expect(await q.toRecords()).toEqual(want);
      }),
      { numRuns: 20 },
    );
  });

  it("comparisons across scales, with ints and literals; division and float sides as doubles", async () => {
    await fc.assert(
      fc.asyncProperty(rowsArb, async (rows) => {
        const df = await write(rows);
        const q = df.select(
          col("a").lt(col("b")).alias("lt"),
          col("c").eq(col("b")).alias("eq"),
          col("b").gte(col("i")).alias("ge"),
          col("a").gt(0.5).alias("gl"),
          col("a").div(col("b")).alias("q"),
          col("a").add(col("i").cast("float64")).alias("f"),
        );
        const want = await duck(`SELECT a < b lt, c = b eq, b >= i ge, a > 0.5 gl,
          CASE WHEN b = 0 THEN NULL ELSE a / b END q, a + i::DOUBLE f FROM t`);
        const got = await q.toRecords();
        got.forEach((g, k) => {
          const w = want[k]!;
          expect([g.lt, g.eq, g.ge, g.gl]).toEqual([w.lt, w.eq, w.ge, w.gl]);
          if (w.q !== null) expect(close(g.q, w.q)).toBe(true);
          expect(close(g.f, w.f)).toBe(true);
        });
        // A filter on a decimal comparison keeps DuckDB's rows.
        const kept = await df
          .filter(col("b").gt(col("a")))
          .select("i")
          .toRecords();
        expect(kept).toEqual(await duck("SELECT i FROM t WHERE b > a"));
      }),
      { numRuns: 20 },
    );
  });

  it("sum, mean, min, max per group and overall (threads 1 and 2)", async () => {
    await fc.assert(
      fc.asyncProperty(rowsArb, fc.constantFrom(1, 2), async (rows, threads) => {
        const df = await write(rows);
        const q = df
          .groupBy(col("i").mod(3).alias("g"))
          .agg(
            col("b").sum().cast("utf8").alias("s"),
            col("c").sum().cast("utf8").alias("sc"),
            col("a").mean().alias("m"),
            col("c").min().cast("utf8").alias("lo"),
            col("a").max().cast("utf8").alias("hi"),
          )
          .sort("g");
        const want = await duck(`SELECT i % 3 g, sum(b)::VARCHAR s, sum(c)::VARCHAR sc, avg(a) m,
          min(c)::VARCHAR lo, max(a)::VARCHAR hi FROM t GROUP BY g ORDER BY g`);
        const got = await q.toRecords({ threads });
        expect(got.map((r) => [Number(r.g), r.s, r.sc, r.lo, r.hi])).toEqual(
          want.map((r) => [Number(r.g), r.s, r.sc, r.lo, r.hi]),
        );
        got.forEach((r, k) => {
          expect(close(r.m, want[k]!.m)).toBe(true);
        });
      }),
      { numRuns: 15 },
    );
  });

  it("sort, group-by, join and distinct keys: DuckDB's order and groups (threads 1 and 2)", async () => {
    await fc.assert(
      fc.asyncProperty(rowsArb, fc.constantFrom(1, 2), async (rows, threads) => {
        const df = await write(rows);
        const sorted = await df
          .sort(["b", "i"], { descending: [true, false] })
          .select(col("b").cast("utf8").alias("bs"), "i")
          .toRecords({ threads });
        expect(sorted).toEqual(
          await duck("SELECT b::VARCHAR bs, i FROM t ORDER BY b DESC NULLS LAST, i"),
        );
        // Keys of few distinct values: each row's b rounded to a whole number, as decimal(18, 2).
        const keyed = df.withColumn("k", col("a").cast("decimal(7, 0)").cast("decimal(18, 2)"));
        const groups = await keyed
          .groupBy("k")
          .agg(count().alias("n"), col("a").countDistinct().alias("d"))
          .sort("k")
          .select(col("k").cast("utf8").alias("k"), "n", "d")
          .toRecords({ threads });
        // (Ordered by the decimal, not by its text: an alias named like the column would win.)
        const want = await duck(`SELECT k::VARCHAR ks, count(*) n, count(DISTINCT a) d FROM
          (SELECT a::DECIMAL(7,0)::DECIMAL(18,2) k, a FROM t) GROUP BY k ORDER BY k NULLS LAST`);
        expect(groups.map((r) => [r.k, Number(r.n), Number(r.d)])).toEqual(
          want.map((r) => [r.ks, Number(r.n), Number(r.d)]),
        );
        const joined = await keyed
          .select("k", col("i").alias("li"))
          .join(keyed.select("k", col("i").alias("ri")), { on: "k" })
          .select("li", "ri")
          .sort(["li", "ri"])
          .toRecords({ threads });
        const wantJoin = await duck(`WITH s AS (SELECT a::DECIMAL(7,0)::DECIMAL(18,2) k, i FROM t)
          SELECT l.i li, r.i ri FROM s l JOIN s r ON l.k = r.k ORDER BY li, ri`);
        expect(joined).toEqual(wantJoin);
        const distinct = await keyed.select("k").distinct().sort("k").toRecords();
        expect(distinct.map((r) => r.k)).toEqual(
          (
            await duck(`SELECT k::VARCHAR ks FROM (SELECT DISTINCT a::DECIMAL(7,0)::DECIMAL(18,2) k
              FROM t) ORDER BY k NULLS LAST`)
          ).map((r) => r.ks),
        );
      }),
      { numRuns: 15 },
    );
  });

  it("result types: the scales DuckDB gives, precision for every digit (at most 38)", () => {
    const df = DataFrame.fromRecords([{ a: "1", b: "1", c: "1", i: 1 }], {
      schema: { a: "decimal(9, 4)", b: "decimal(18, 2)", c: "decimal(38, 10)", i: "int32" },
    });
    const types = df
      .select(
        col("b").add(col("a")).alias("add"),
        col("a").mul(col("b")).alias("mul"),
        col("c").mul(col("c")).alias("mul38"),
        col("b").mod(col("a")).alias("mod"),
        col("b").add(col("i")).alias("int"),
        col("b").mul(2.5).alias("lit"),
        col("b").div(col("a")).alias("div"),
        col("b").add(col("i").cast("float64")).alias("float"),
      )
      .schema.fields.map((f) => `${f.name}: ${typeName(f.type)}`);
    types.push(`sum: ${typeName(df.select(col("b").sum()).schema.fields[0]!.type)}`);
    expect(types).toEqual([
      "add: decimal(21, 4)",
      "mul: decimal(27, 6)",
      "mul38: decimal(38, 20)",
      "mod: decimal(20, 4)",
      "int: decimal(19, 2)",
      "lit: decimal(20, 3)",
      "div: float64",
      "float: float64",
      "sum: decimal(38, 2)",
    ]);
  });

  it("a result beyond 38 digits names the expression and row; unsupported uses say what to do", async () => {
    const df = DataFrame.fromRecords([{ x: "1" }, { x: `9${"9".repeat(37)}` }], {
      schema: { x: "decimal(38, 0)" },
    });
    await expect(df.select(col("x").mul(col("x"))).toRecords()).rejects.toThrow(
      /Column "\(col\(x\) \* col\(x\)\)" row 1: \d+ does not fit decimal\(38, 0\)/,
    );
    expect(() => df.select(col("x").std())).toThrow(/std\(\) of col\(x\): not supported/);
    expect(() => df.select(col("x").cumSum())).toThrow(/window functions over decimals/);
  });
});
