// Number functions (and the choices among values) against DuckDB on the same data: each case
// pairs a deft expression with the DuckDB SQL that answers the same question, both run here.
// DuckDB raises errors where deft follows IEEE 754 (sqrt or log of a negative, asin outside
// [-1, 1]), so `p` holds positive values and `u` values in [-1, 1].

import { coalesce, col, DataFrame, type Expr, greatest, least } from "@deft/core";
import { DuckDBInstance } from "@duckdb/node-api";
import { Float64, Int32 } from "apache-arrow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { arrowBatches } from "../helpers.js";

const data = {
  i: [3, -7, null, 0, 15, -25, 100, 1, 5],
  f: [0.5, Number.NaN, null, -2.5, 2.675, -0.4, 1e10, 0.999, -1.5],
  p: [0.5, Number.NaN, null, 2, 1e-10, 100, 3.3, 7, 1],
  u: [0.5, Number.NaN, null, -1, 1, 0, -0.3, 0.75, null],
};

interface Case {
  name: string;
  deft: Expr;
  /** DuckDB's expression over columns i (INTEGER), f, p, u (DOUBLE). */
  sql: string;
}

const numberCases: Case[] = [
  { name: "abs int", deft: col("i").abs(), sql: "abs(i)" },
  { name: "abs double", deft: col("f").abs(), sql: "abs(f)" },
  { name: "sign int", deft: col("i").sign(), sql: "sign(i)" },
  { name: "round double", deft: col("f").round(), sql: "round(f)" },
  { name: "round double 2", deft: col("f").round(2), sql: "round(f, 2)" },
  // DuckDB rounds NaN and infinities to 0 at negative digits; deft keeps them (NaN-free here).
  {
    name: "round double -1",
    deft: col("i").mul(13.7).round(-1),
    sql: "round(i::DOUBLE * 13.7::DOUBLE, -1)",
  },
  { name: "round int -1", deft: col("i").round(-1), sql: "round(i, -1)" },
  { name: "round int 1", deft: col("i").round(1), sql: "round(i, 1)" },
  { name: "floor", deft: col("f").floor(), sql: "floor(f)" },
  { name: "ceil", deft: col("f").ceil(), sql: "ceil(f)" },
  { name: "floor int", deft: col("i").floor(), sql: "floor(i)" },
  { name: "sqrt", deft: col("p").sqrt(), sql: "sqrt(p)" },
  { name: "cbrt", deft: col("f").cbrt(), sql: "cbrt(f)" },
  { name: "exp", deft: col("u").exp(), sql: "exp(u)" },
  { name: "ln", deft: col("p").log(), sql: "ln(p)" },
  { name: "log base 3", deft: col("p").log(3), sql: "log(3, p)" },
  { name: "log2", deft: col("p").log2(), sql: "log2(p)" },
  { name: "log10", deft: col("p").log10(), sql: "log10(p)" },
  { name: "pow", deft: col("f").pow(2), sql: "pow(f, 2)" },
  { name: "pow int column", deft: col("p").pow(col("i")), sql: "pow(p, i)" },
  { name: "sin", deft: col("f").sin(), sql: "sin(f)" },
  { name: "cos", deft: col("f").cos(), sql: "cos(f)" },
  { name: "tan", deft: col("u").tan(), sql: "tan(u)" },
  { name: "asin", deft: col("u").asin(), sql: "asin(u)" },
  { name: "acos", deft: col("u").acos(), sql: "acos(u)" },
  { name: "atan", deft: col("f").atan(), sql: "atan(f)" },
  { name: "atan2", deft: col("f").atan2(col("i")), sql: "atan2(f, i)" },
  { name: "isnan", deft: col("f").isNan(), sql: "isnan(f)" },
  { name: "isfinite", deft: col("f").isFinite(), sql: "isfinite(f)" },
  {
    name: "clip int",
    deft: col("i").clip(-5, 10),
    sql: "CASE WHEN i < -5 THEN -5 WHEN i > 10 THEN 10 ELSE i END",
  },
  // DuckDB orders NaN above every number; clip leaves NaN as it is (as Polars does).
  {
    name: "clip double",
    deft: col("p").clip(1, 5),
    sql: "CASE WHEN isnan(p) THEN p WHEN p < 1 THEN 1 WHEN p > 5 THEN 5 ELSE p END",
  },
];

const choiceCases: Case[] = [
  { name: "coalesce", deft: coalesce(col("u"), col("i")), sql: "coalesce(u, i)" },
  { name: "coalesce literal", deft: coalesce(col("u"), -1), sql: "coalesce(u, -1)" },
  { name: "greatest", deft: greatest(col("f"), col("p")), sql: "greatest(f, p)" },
  { name: "greatest 3", deft: greatest(col("i"), col("u"), 2), sql: "greatest(i, u, 2)" },
  { name: "least", deft: least(col("f"), col("p")), sql: "least(f, p)" },
  { name: "least 3", deft: least(col("f"), col("u"), col("i")), sql: "least(f, u, i)" },
  { name: "least int", deft: least(col("i"), 4), sql: "least(i, 4)" },
  { name: "nullif int", deft: col("i").nullIf(0), sql: "nullif(i, 0)" },
  { name: "nullif column", deft: col("f").nullIf(col("u")), sql: "nullif(f, u)" },
  { name: "nullif NaN", deft: col("p").nullIf(Number.NaN), sql: "nullif(p, 'NaN'::DOUBLE)" },
];

let db: DuckDBInstance;
const rowsOf = async (sql: string): Promise<unknown[]> => {
  const conn = await db.connect();
  try {
    const reader = await conn.runAndReadAll(sql);
    return reader.getRowObjectsJson().map((r) => r.v);
  } finally {
    conn.closeSync();
  }
};

const rows = data.i.length;
const sqlValue = (v: number | null, double: boolean) =>
  v === null ? "NULL" : Number.isNaN(v) ? "'NaN'::DOUBLE" : double ? `${v}::DOUBLE` : `${v}`;

beforeAll(async () => {
  db = await DuckDBInstance.create(":memory:");
  const conn = await db.connect();
  await conn.run("CREATE TABLE t (k INTEGER, i INTEGER, f DOUBLE, p DOUBLE, u DOUBLE)");
  const values = Array.from(
    { length: rows },
    (_, r) =>
      `(${r}, ${sqlValue(data.i[r]!, false)}, ${sqlValue(data.f[r]!, true)}, ${sqlValue(data.p[r]!, true)}, ${sqlValue(data.u[r]!, true)})`,
  );
  await conn.run(`INSERT INTO t VALUES ${values.join(", ")}`);
  conn.closeSync();
});
afterAll(() => db?.closeSync());

/** DuckDB's JSON writes NaN and infinities as strings, and -0 as 0. */
function normal(v: unknown): unknown {
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "string" && /^-?(NaN|Infinity|inf)$/i.test(v)) return Number(v);
  if (typeof v === "number" && Object.is(v, -0)) return 0;
  return v;
}

/** Equal, or floats within a few ulps (libm and V8 may differ in the last bit). */
function close(a: unknown, b: unknown): boolean {
  if (typeof a !== "number" || typeof b !== "number") return a === b;
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  return a === b || Math.abs(a - b) <= 1e-14 * Math.max(1, Math.abs(a), Math.abs(b));
}

async function expectDuckDbEqual(cases: Case[]): Promise<void> {
  const df = DataFrame.fromArrow(
    arrowBatches(
      {
        i: { type: new Int32(), values: data.i },
        f: { type: new Float64(), values: data.f },
        p: { type: new Float64(), values: data.p },
        u: { type: new Float64(), values: data.u },
      },
      [2, 5],
    ),
  );
  for (const c of cases) {
    const deft = (await df.select(c.deft.alias("v")).toColumns()).v!.map(normal);
    const duck = (await rowsOf(`SELECT ${c.sql} AS v FROM t ORDER BY k`)).map(normal);
    const same = deft.length === duck.length && deft.every((v, r) => close(v, duck[r]));
    if (!same) expect(deft, c.name).toEqual(duck);
  }
}

describe("number functions equal DuckDB's answers on the same data", () => {
  it("abs sign round floor ceil sqrt cbrt exp logs pow trigonometry isnan isfinite clip", async () => {
    await expectDuckDbEqual(numberCases);
  });

  it("coalesce greatest least nullif (nulls skipped, NaN above every number)", async () => {
    await expectDuckDbEqual(choiceCases);
  });
});
