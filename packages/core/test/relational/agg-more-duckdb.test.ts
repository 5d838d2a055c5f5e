// std var median quantile product any all stringAgg mode against DuckDB's answers to the
// same SQL on the same rows (computed here with @duckdb/node-api): per group, globally, inside
// expressions, and on Parquet at threads 1 and 2 (partial states merged across threads).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { col, DataFrame, type Expr, readParquet } from "@deft/core";
import { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let instance: DuckDBInstance;
let con: DuckDBConnection;
let dir: string;

/** Seeded rows: 6 groups (one null key), ints with nulls and repeats, floats, bools, strings. */
function rows(n: number) {
  let s = 777;
  const r = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
  return Array.from({ length: n }, (_, i) => ({
    i,
    k: i % 6 === 5 ? null : `g${i % 6}`,
    x: r() < 0.1 ? null : Math.floor(r() * 20) - 5,
    a: Math.round(r() * 10_000) / 100,
    c: [0.5, 1, 2, 1.25][Math.floor(r() * 4)]!,
    flag: r() < 0.1 ? null : r() < 0.8,
    s: r() < 0.2 ? null : `w${Math.floor(r() * 30)}`,
  }));
}
const data = rows(300);
const frame = () =>
  DataFrame.fromRecords(data, {
    schema: {
      i: "int32",
      k: "utf8",
      x: "int64",
      a: "float64",
      c: "float64",
      flag: "bool",
      s: "utf8",
    },
  });

beforeAll(async () => {
  instance = await DuckDBInstance.create(":memory:");
  con = await DuckDBConnection.create(instance);
  await con.run(
    "CREATE TABLE t (i INTEGER, k VARCHAR, x BIGINT, a DOUBLE, c DOUBLE, flag BOOLEAN, s VARCHAR)",
  );
  const q = (v: string | null) => (v === null ? "NULL" : `'${v}'`);
  const values = data
    .map(
      (d) =>
        `(${d.i}, ${q(d.k)}, ${d.x ?? "NULL"}, ${d.a}, ${d.c}, ${d.flag ?? "NULL"}, ${q(d.s)})`,
    )
    .join(", ");
  await con.run(`INSERT INTO t VALUES ${values}`);
  dir = mkdtempSync(join(tmpdir(), "deft-agg-more-"));
});
afterAll(() => {
  con?.closeSync();
  instance?.closeSync();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const plain = (v: unknown) => (typeof v === "bigint" ? Number(v) : v);
async function duck(sql: string): Promise<unknown[][]> {
  return (await con.runAndReadAll(sql)).getRowsJS().map((r) => r.map(plain));
}
async function deftRows(df: DataFrame, threads = 1): Promise<unknown[][]> {
  return (await df.toRecords({ threads })).map((r) => Object.values(r).map(plain));
}
const close = (rowsOf: unknown[][]) =>
  rowsOf.map((r) =>
    r.map((v) => (typeof v === "number" && !Number.isInteger(v) ? expect.closeTo(v, 9) : v)),
  );

/** deft aggregation, DuckDB aggregate over t. */
const cases: [Expr, string][] = [
  [col("a").std(), "stddev_samp(a)"],
  [col("a").std(0), "stddev_pop(a)"],
  [col("x").var(), "var_samp(x)"],
  [col("x").var(0), "var_pop(x)"],
  [col("a").median(), "median(a)"],
  [col("x").median(), "median(x)"],
  [col("a").quantile(0.1), "quantile_cont(a, 0.1)"],
  [col("x").quantile(0.9), "quantile_cont(x, 0.9)"],
  [col("x").quantile(0), "quantile_cont(x, 0)"],
  [col("c").product(), "product(c)"],
  [col("flag").any(), "bool_or(flag)"],
  [col("flag").all(), "bool_and(flag)"],
  [col("s").stringAgg(", "), "string_agg(s, ', ' ORDER BY i)"],
  [col("s").stringAgg(), "string_agg(s, ',' ORDER BY i)"],
];
const named = () => cases.map(([e], n) => e.alias(`v${n}`));
const sql = cases.map(([, q]) => q).join(", ");

/** The mode as deft defines it (the smallest of the most frequent values), in DuckDB SQL. */
const modeSql = (v: string) => `
  SELECT k, min(${v}) FROM (
    SELECT k, ${v}, count(*) AS n, max(count(*)) OVER (PARTITION BY k) AS top
    FROM t WHERE ${v} IS NOT NULL GROUP BY k, ${v}
  ) WHERE n = top GROUP BY k ORDER BY k NULLS LAST`;

describe("more aggregations vs DuckDB", () => {
  it("per group", async () => {
    const df = frame()
      .groupBy("k")
      .agg(...named())
      .sort("k");
    const want = await duck(`SELECT k, ${sql} FROM t GROUP BY k ORDER BY k NULLS LAST`);
    expect(await deftRows(df)).toEqual(close(want));
  });

  it("over the whole table, and over no rows", async () => {
    expect(await deftRows(frame().select(...named()))).toEqual(
      close(await duck(`SELECT ${sql} FROM t`)),
    );
    expect(
      await deftRows(
        frame()
          .filter(col("i").lt(0))
          .select(...named()),
      ),
    ).toEqual(await duck(`SELECT ${sql} FROM t WHERE i < 0`));
  });

  it("mode: the smallest of the most frequent values, for ints and strings", async () => {
    for (const v of ["x", "s"]) {
      const df = frame().groupBy("k").agg(col(v).mode()).sort("k");
      expect(await deftRows(df), v).toEqual(await duck(modeSql(v)));
    }
  });

  it("inside expressions: interquartile range, coefficient of variation, a range over std", async () => {
    const df = frame()
      .groupBy("k")
      .agg(
        col("a").quantile(0.75).sub(col("a").quantile(0.25)).alias("iqr"),
        col("a").std().div(col("a").mean()).alias("cv"),
        col("x").max().sub(col("x").min()).div(col("x").std()).alias("r"),
      )
      .sort("k");
    const want = await duck(`
      SELECT k, quantile_cont(a, 0.75) - quantile_cont(a, 0.25), stddev_samp(a) / avg(a),
        (max(x) - min(x)) / stddev_samp(x)
      FROM t GROUP BY k ORDER BY k NULLS LAST`);
    expect(await deftRows(df)).toEqual(close(want));
  });

  it("on Parquet at threads 1 and 2: partial states per partition, merged", async () => {
    const path = join(dir, "t.parquet");
    await frame().writeParquet(path, { rowGroupSize: 32 });
    const q = readParquet(path, { batchSize: 32 })
      .groupBy("k")
      .agg(...named(), col("x").mode().alias("mode"))
      .sort("k");
    expect(q.explain({ physical: true })).toContain("partial per task on the compute threads");
    const want = await duck(`SELECT k, ${sql} FROM t GROUP BY k ORDER BY k NULLS LAST`);
    const modes = (await duck(modeSql("x"))).map((r) => r[1]);
    for (const threads of [1, 2]) {
      const got = await deftRows(q, threads);
      expect(
        got.map((r) => r.slice(0, -1)),
        `threads ${threads}`,
      ).toEqual(close(want));
      expect(got.map((r) => r[r.length - 1])).toEqual(modes);
    }
  });
});
