// The DataFrame verbs against DuckDB's answers to the same SQL on the same rows (both read
// the same Parquet files; DuckDB runs here, in the test, through @duckdb/node-api).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { col, DataFrame, readParquet } from "@deft/core";
import { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let dir = "";
let instance: DuckDBInstance;
let con: DuckDBConnection;

function rows(n: number, seed: number) {
  let s = seed;
  const r = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  return Array.from({ length: n }, () => {
    const u = r();
    return {
      k: u < 0.1 ? null : `k${Math.floor(r() * 4)}`,
      g: Math.floor(r() * 3),
      x: u > 0.9 ? null : u > 0.85 ? Number.NaN : Math.floor(r() * 6) / 2,
      a: Math.round(r() * 10_000) / 100,
    };
  });
}
const schema = { k: "utf8", g: "int32", x: "float64", a: "float64" } as const;
const t = () => readParquet(join(dir, "t.parquet"));
const u = () => readParquet(join(dir, "u.parquet"));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "deft-verbs-duckdb-"));
  await DataFrame.fromRecords(rows(200, 1), { schema }).writeParquet(join(dir, "t.parquet"), {
    rowGroupSize: 64,
  });
  await DataFrame.fromRecords(rows(60, 2), { schema })
    .rename({ a: "m" })
    .writeParquet(join(dir, "u.parquet"));
  instance = await DuckDBInstance.create(":memory:");
  con = await DuckDBConnection.create(instance);
  await con.run(`CREATE TABLE t AS SELECT * FROM read_parquet('${join(dir, "t.parquet")}')`);
  await con.run(`CREATE TABLE u AS SELECT * FROM read_parquet('${join(dir, "u.parquet")}')`);
});
afterAll(() => {
  con?.closeSync();
  instance?.closeSync();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A value both engines print the same: numbers to 12 digits, NaN as text, bigints as numbers. */
function plain(v: unknown): unknown {
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "number") return Number.isNaN(v) ? "NaN" : Number(v.toPrecision(12));
  return v;
}
async function duck(sql: string): Promise<Record<string, unknown>[]> {
  const reader = await con.runAndReadAll(sql);
  return reader
    .getRowObjectsJS()
    .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, plain(v)])));
}
async function deft(df: DataFrame): Promise<Record<string, unknown>[]> {
  return (await df.toRecords()).map((r) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, plain(v)])),
  );
}
const sorted = (rs: Record<string, unknown>[]) =>
  rs.map((r) => JSON.stringify(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1)))).sort();

interface Case {
  name: string;
  deft: () => DataFrame | Promise<DataFrame>;
  sql: string;
  /** True when both sides fix the row order (compared in order), else compared as sets. */
  ordered?: boolean;
}

const cases: Case[] = [
  {
    name: "cross join",
    deft: () => t().select("k", "g").join(u().select("m"), { how: "cross" }),
    sql: "SELECT t.k, t.g, u.m FROM t CROSS JOIN u",
  },
  {
    name: "cross join, filtered across both sides",
    deft: () =>
      t()
        .join(u().select(col("g").alias("h"), "m"), { how: "cross" })
        .filter(
          col("g")
            .lt(col("h"))
            .and(col("a").gt(col("m"))),
        ),
    sql: "SELECT t.*, u.g AS h, u.m FROM t CROSS JOIN u WHERE t.g < u.g AND t.a > u.m",
  },
  {
    name: "intersect",
    deft: () => t().select("k", "g").intersect(u().select("k", "g")),
    sql: "SELECT k, g FROM t INTERSECT SELECT k, g FROM u",
  },
  {
    name: "intersect with NaN and null",
    deft: () => t().select("k", "x").intersect(u().select("k", "x")),
    sql: "SELECT k, x FROM t INTERSECT SELECT k, x FROM u",
  },
  {
    name: "except",
    deft: () => t().select("k", "x").except(u().select("k", "x")),
    sql: "SELECT k, x FROM t EXCEPT SELECT k, x FROM u",
  },
  {
    name: "unionByName with allowMissing",
    deft: () => t().select("k", "g", "a").unionByName(u().select("m", "k"), { allowMissing: true }),
    sql: "SELECT k, g, a FROM t UNION ALL BY NAME SELECT m, k FROM u",
  },
  {
    name: "unpivot (nulls included)",
    deft: () => t().select("k", col("g").cast("float64"), "x").unpivot({ index: "k" }),
    sql: "WITH s AS (SELECT k, g::DOUBLE AS g, x FROM t) SELECT * FROM s UNPIVOT INCLUDE NULLS (value FOR variable IN (g, x))",
  },
  {
    name: "pivot sum",
    deft: () => t().pivot({ index: "k", on: "g", values: "a", agg: "sum" }),
    sql: "PIVOT t ON g USING sum(a) GROUP BY k",
  },
  {
    name: "pivot count",
    deft: () => t().pivot({ index: "k", on: "g", values: "x", agg: "count", onValues: [0, 1, 2] }),
    sql: `SELECT k, ${[0, 1, 2].map((g) => `CASE WHEN count(*) FILTER (g = ${g}) > 0 THEN count(x) FILTER (g = ${g}) END AS "${g}"`).join(", ")} FROM t GROUP BY k`,
  },
  {
    name: "dropNulls",
    deft: () => t().dropNulls(),
    sql: "SELECT * FROM t WHERE k IS NOT NULL AND g IS NOT NULL AND x IS NOT NULL AND a IS NOT NULL",
  },
  {
    name: "fillNull",
    deft: () => t().fillNull({ k: "?", x: -1 }),
    sql: "SELECT coalesce(k, '?') AS k, g, coalesce(x, -1) AS x, a FROM t",
  },
  {
    name: "tail",
    deft: () => t().tail(7),
    sql: "SELECT k, g, x, a FROM (SELECT rowid AS r, * FROM t ORDER BY rowid DESC LIMIT 7) ORDER BY r",
    ordered: true,
  },
  {
    name: "withRowIndex",
    deft: () => t().withRowIndex().select("index", "k"),
    sql: 'SELECT rowid AS "index", k FROM t ORDER BY rowid',
    ordered: true,
  },
];

describe("DataFrame verbs equal DuckDB's answers", () => {
  for (const c of cases) {
    it(c.name, async () => {
      const got = await deft(await c.deft());
      const want = await duck(c.sql);
      expect(got.length, "row count").toBe(want.length);
      if (c.ordered) expect(got).toEqual(want);
      else expect(sorted(got)).toEqual(sorted(want));
    });
  }

  it("describe", async () => {
    const out = await (await t().select("g", "a").describe()).toColumns();
    const [d] = await duck(
      `SELECT ${["g", "a"]
        .map(
          (c) =>
            `count(${c}) AS ${c}_count, count(*) - count(${c}) AS ${c}_nulls, avg(${c}) AS ${c}_mean, stddev_samp(${c}) AS ${c}_std, min(${c}) AS ${c}_min, ${[25, 50, 75].map((q) => `quantile_cont(${c}, ${q / 100}) AS ${c}_q${q}`).join(", ")}, max(${c}) AS ${c}_max`,
        )
        .join(", ")} FROM t`,
    );
    for (const c of ["g", "a"]) {
      const want = ["count", "nulls", "mean", "std", "min", "q25", "q50", "q75", "max"].map(
        (s) => d![`${c}_${s}`],
      );
      expect(out[c]!.map(plain), c).toEqual(want.map((v) => plain(Number(v))));
    }
  });
});
