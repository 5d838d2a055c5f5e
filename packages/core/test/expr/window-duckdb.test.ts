// Window functions against DuckDB on the same data: each case pairs a deft window expression
// with the DuckDB SQL that answers the same question, and both run here, in the test. deft
// orders ties by input row; where the SQL function reads rows in order (row_number, lag,
// rows frames) the SQL breaks ties by the row number `i` too.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  col,
  count,
  DataFrame,
  denseRank,
  type Expr,
  ntile,
  percentRank,
  rank,
  readParquet,
  rowNumber,
} from "@deft/core";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** Deterministic rows: 5 groups (one null), order keys with ties and nulls, values with nulls. */
const N = 300;
const rows = Array.from({ length: N }, (_, i) => {
  const h = (i * 2654435761) >>> 0;
  return {
    i,
    g: h % 11 === 0 ? null : ["a", "b", "c", "d"][h % 4]!,
    x: h % 13 === 0 ? null : (h >>> 5) % 17,
    v: h % 7 === 0 ? null : (((h >>> 9) % 400) - 200) / 4,
  };
});

interface Case {
  name: string;
  deft: Expr;
  /** DuckDB's window expression over table t(i, g, x, v). */
  sql: string;
}

const byGX = { partitionBy: "g", orderBy: "x" } as const;
const P = "PARTITION BY g ORDER BY x ASC NULLS LAST";
const v = () => col("v");

const cases: Case[] = [
  { name: "row_number", deft: rowNumber().over(byGX), sql: `row_number() OVER (${P}, i)` },
  { name: "rank", deft: rank().over(byGX), sql: `rank() OVER (${P})` },
  { name: "dense_rank", deft: denseRank().over(byGX), sql: `dense_rank() OVER (${P})` },
  { name: "percent_rank", deft: percentRank().over(byGX), sql: `percent_rank() OVER (${P})` },
  { name: "ntile(3)", deft: ntile(3).over(byGX), sql: `ntile(3) OVER (${P}, i)` },
  {
    name: "rank desc nulls first",
    deft: rank().over({ partitionBy: "g", orderBy: "x", descending: true, nullsFirst: true }),
    sql: "rank() OVER (PARTITION BY g ORDER BY x DESC NULLS FIRST)",
  },
  {
    name: "rank without partition",
    deft: rank().over({ orderBy: "x" }),
    sql: "rank() OVER (ORDER BY x)",
  },
  { name: "lag", deft: v().lag().over(byGX), sql: `lag(v) OVER (${P}, i)` },
  { name: "lag 2 default", deft: v().lag(2, 0).over(byGX), sql: `lag(v, 2, 0) OVER (${P}, i)` },
  { name: "lead default", deft: v().lead(1, -1).over(byGX), sql: `lead(v, 1, -1) OVER (${P}, i)` },
  {
    name: "first_value rows",
    deft: v()
      .firstValue()
      .over({ ...byGX, frame: { rows: [-1, 1] } }),
    sql: `first_value(v) OVER (${P}, i ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING)`,
  },
  {
    name: "last_value whole partition",
    deft: v()
      .lastValue()
      .over({ ...byGX, frame: { rows: ["unbounded", "unbounded"] } }),
    sql: `last_value(v) OVER (${P}, i ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)`,
  },
  {
    name: "nth_value(2)",
    deft: v()
      .nthValue(2)
      .over({ ...byGX, frame: { rows: [-2, 2] } }),
    sql: `nth_value(v, 2) OVER (${P}, i ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING)`,
  },
  {
    name: "sum partition",
    deft: v().sum().over({ partitionBy: "g" }),
    sql: "sum(v) OVER (PARTITION BY g)",
  },
  { name: "sum default frame (peers)", deft: v().sum().over(byGX), sql: `sum(v) OVER (${P})` },
  {
    name: "cumSum",
    deft: v().cumSum().over(byGX),
    sql: `sum(v) OVER (${P}, i ROWS UNBOUNDED PRECEDING)`,
  },
  {
    name: "cumCount / cumMin / cumMax",
    deft: v().cumCount().over(byGX).add(v().cumMin().over(byGX)).add(v().cumMax().over(byGX)),
    sql: `count(v) OVER (${P}, i ROWS UNBOUNDED PRECEDING) + min(v) OVER (${P}, i ROWS UNBOUNDED PRECEDING) + max(v) OVER (${P}, i ROWS UNBOUNDED PRECEDING)`,
  },
  {
    name: "moving average rows [-2, 0]",
    deft: v()
      .mean()
      .over({ ...byGX, frame: { rows: [-2, 0] } }),
    sql: `avg(v) OVER (${P}, i ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)`,
  },
  {
    name: "min rows [-1, 1]",
    deft: v()
      .min()
      .over({ ...byGX, frame: { rows: [-1, 1] } }),
    sql: `min(v) OVER (${P}, i ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING)`,
  },
  {
    name: "max rows [1, 3] (following only)",
    deft: v()
      .max()
      .over({ ...byGX, frame: { rows: [1, 3] } }),
    sql: `max(v) OVER (${P}, i ROWS BETWEEN 1 FOLLOWING AND 3 FOLLOWING)`,
  },
  {
    name: "count range [-1, 1]",
    deft: v()
      .count()
      .over({ ...byGX, frame: { range: [-1, 1] } }),
    sql: `count(v) OVER (${P} RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING)`,
  },
  {
    name: "sum range [-2, 1] desc nulls first",
    deft: v()
      .sum()
      .over({ orderBy: "x", descending: true, nullsFirst: true, frame: { range: [-2, 1] } }),
    sql: "sum(v) OVER (ORDER BY x DESC NULLS FIRST RANGE BETWEEN 2 PRECEDING AND 1 FOLLOWING)",
  },
  {
    name: "mean range [unbounded, 3]",
    deft: v()
      .mean()
      .over({ ...byGX, frame: { range: ["unbounded", 3] } }),
    sql: `avg(v) OVER (${P} RANGE BETWEEN UNBOUNDED PRECEDING AND 3 FOLLOWING)`,
  },
  {
    name: "min range [0, unbounded]",
    deft: v()
      .min()
      .over({ ...byGX, frame: { range: [0, "unbounded"] } }),
    sql: `min(v) OVER (${P} RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)`,
  },
  { name: "count(*) over ()", deft: count().over(), sql: "count(*) OVER ()" },
  {
    name: "count distinct per partition",
    deft: col("x").countDistinct().over({ partitionBy: "g" }),
    sql: "count(DISTINCT x) OVER (PARTITION BY g)",
  },
  {
    name: "integer sum per partition",
    deft: col("x").sum().over({ partitionBy: "g" }),
    sql: "sum(x) OVER (PARTITION BY g)",
  },
  {
    name: "value minus its partition mean",
    deft: v().sub(v().mean().over({ partitionBy: "g" })),
    sql: "v - avg(v) OVER (PARTITION BY g)",
  },
  {
    name: "expression keys",
    deft: rowNumber().over({ partitionBy: col("x").mod(3), orderBy: v().neg() }),
    sql: "row_number() OVER (PARTITION BY x % 3 ORDER BY -v NULLS LAST, i)",
  },
];

let db: DuckDBInstance;
let dir = "";
const norm = (x: unknown) => (typeof x === "bigint" ? Number(x) : x);

async function duck(sql: string): Promise<unknown[][]> {
  const conn = await db.connect();
  try {
    const reader = await conn.runAndReadAll(sql);
    return reader.getRows().map((r) => r.map(norm));
  } finally {
    conn.closeSync();
  }
}

beforeAll(async () => {
  db = await DuckDBInstance.create(":memory:");
  const conn = await db.connect();
  await conn.run("CREATE TABLE t (i INTEGER, g VARCHAR, x INTEGER, v DOUBLE)");
  const sqlLit = (x: unknown) =>
    x === null ? "NULL" : typeof x === "string" ? `'${x}'` : String(x);
  await conn.run(
    `INSERT INTO t VALUES ${rows.map((r) => `(${[r.i, r.g, r.x, r.v].map(sqlLit).join(", ")})`).join(", ")}`,
  );
  conn.closeSync();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "deft-window-"));
  await frame().writeParquet(path.join(dir, "t.parquet"), { rowGroupSize: 64 });
});
afterAll(() => {
  db?.closeSync();
  fs.rmSync(dir, { recursive: true, force: true });
});

const frame = () =>
  DataFrame.fromRecords(rows, {
    schema: { i: "int32", g: "utf8", x: "int32", v: "float64" },
  }).intoBatches(50);

const close = (got: unknown[], want: unknown[]) => {
  expect(got.length).toBe(want.length);
  got.forEach((g, k) => {
    const w = want[k];
    if (typeof g === "number" && typeof w === "number") expect(g).toBeCloseTo(w, 9);
    else expect(g).toEqual(w);
  });
};

describe("window functions equal DuckDB's", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_, c) => {
    const got = (await frame().select(col("i"), c.deft.alias("w")).toColumns({ int64: "number" }))
      .w!;
    const want = (await duck(`SELECT ${c.sql} AS w FROM t ORDER BY i`)).map((r) => r[0]);
    close(got, want);
  });

  it("top 3 per group: a filter on a window column (QUALIFY)", async () => {
    const got = await frame()
      .withColumn("r", rowNumber().over(byGX))
      .filter(col("r").lte(3))
      .select("i")
      .toColumns();
    const want = await duck(`SELECT i FROM t QUALIFY row_number() OVER (${P}, i) <= 3 ORDER BY i`);
    expect(got.i).toEqual(want.map((r) => r[0]));
    const direct = await frame().filter(rowNumber().over(byGX).lte(3)).select("i").toColumns();
    expect(direct.i).toEqual(got.i);
  });

  it("on Parquet row groups, threads 1 and 2 give the same rows, equal to DuckDB's", async () => {
    const q = () =>
      readParquet(path.join(dir, "t.parquet"))
        .filter(col("i").gte(10))
        .withColumns({
          r: rank().over(byGX),
          s: v().cumSum().over(byGX),
          m: v()
            .mean()
            .over({ ...byGX, frame: { rows: [-2, 0] } }),
          l: v().lag().over(byGX),
        })
        .select("i", "r", "s", "m", "l");
    const one = await q().toColumns({ int64: "number", threads: 1 });
    const two = await q().toColumns({ int64: "number", threads: 2 });
    expect(two).toEqual(one);
    const want = await duck(
      `SELECT i, rank() OVER (${P}) AS r, sum(v) OVER (${P}, i ROWS UNBOUNDED PRECEDING) AS s, avg(v) OVER (${P}, i ROWS 2 PRECEDING) AS m, lag(v) OVER (${P}, i) AS l FROM t WHERE i >= 10 ORDER BY i`,
    );
    close(
      one.i!,
      want.map((r) => r[0]),
    );
    close(
      one.r!,
      want.map((r) => r[1]),
    );
    close(
      one.s!,
      want.map((r) => r[2]),
    );
    close(
      one.m!,
      want.map((r) => r[3]),
    );
    close(
      one.l!,
      want.map((r) => r[4]),
    );
  });
});
