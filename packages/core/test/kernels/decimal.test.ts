// Decimal columns as DuckDB writes them to Parquet: values, casts and conversions compared with
// what DuckDB itself gives for the same rows (DuckDB runs here, through @duckdb/node-api).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { col, DataFrame, readParquet } from "@deft/core";
import { typeName } from "@deft/core/internal";
import { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let dir = "";
let instance: DuckDBInstance;
let con: DuckDBConnection;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "deft-decimal-"));
  instance = await DuckDBInstance.create(":memory:");
  con = await DuckDBConnection.create(instance);
});
afterAll(() => {
  con?.closeSync();
  instance?.closeSync();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function duck(sql: string): Promise<Record<string, unknown>[]> {
  return (await con.runAndReadAll(sql)).getRowObjectsJS();
}

/** Decimal text with up to `int` integer digits and `frac` fraction digits, or null. */
const decimalText = (int: number, frac: number) =>
  fc.option(
    fc
      .tuple(
        fc.boolean(),
        fc.bigInt({ min: 0n, max: 10n ** BigInt(int) - 1n }),
        fc.bigInt({ min: 0n, max: 10n ** BigInt(frac) - 1n }),
      )
      .map(
        ([neg, a, b]) =>
          `${neg ? "-" : ""}${a}${frac ? `.${b.toString().padStart(frac, "0")}` : ""}`,
      ),
    { freq: 6 },
  );

const COLUMNS = [
  ["d4", "DECIMAL(4,0)", 4, 0],
  ["d9", "DECIMAL(9,4)", 5, 4],
  ["d18", "DECIMAL(18,2)", 16, 2],
  ["d38", "DECIMAL(38,10)", 28, 10],
] as const;

let file = 0;
/** Writes the rows with DuckDB (as DECIMAL columns) and returns the Parquet path. */
async function write(rows: (string | null)[][]): Promise<string> {
  const path = join(dir, `d${file++}.parquet`);
  const values = rows
    .map(
      (r) =>
        `(${r.map((v, i) => (v === null ? `NULL::${COLUMNS[i]![1]}` : `'${v}'::${COLUMNS[i]![1]}`)).join(", ")})`,
    )
    .join(", ");
  await con.run(
    `CREATE OR REPLACE TABLE t AS SELECT * FROM (VALUES ${values}) v(d4, d9, d18, d38)`,
  );
  await con.run(`COPY t TO '${path}' (FORMAT PARQUET)`);
  return path;
}

const rowsArb = fc.array(fc.tuple(...COLUMNS.map(([, , i, f]) => decimalText(i, f))), {
  minLength: 1,
  maxLength: 30,
});

describe("decimals from DuckDB's Parquet", () => {
  it("read with their types and exact values (toRecords as DuckDB's text, or numbers)", async () => {
    await fc.assert(
      fc.asyncProperty(rowsArb, async (rows) => {
        const df = readParquet(await write(rows));
        expect(df.schema.fields.map((f) => typeName(f.type))).toEqual([
          "decimal(4, 0)",
          "decimal(9, 4)",
          "decimal(18, 2)",
          "decimal(38, 10)",
        ]);
        const text = await duck(
          `SELECT ${COLUMNS.map(([n]) => `${n}::VARCHAR AS ${n}`).join(", ")} FROM t`,
        );
        expect(await df.toRecords()).toEqual(text);
        // The nearest double to each exact value (DuckDB's own ::DOUBLE of a wide decimal
        // divides by a power of ten and can land one double off).
        const nums = text.map((r) =>
          Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? null : Number(v)])),
        );
        expect(await df.toRecords({ decimal: "number" })).toEqual(nums);
      }),
      { numRuns: 15 },
    );
  });

  it("cast to float64, int64, int32 (rounded, range-checked), utf8 and another decimal as DuckDB casts", async () => {
    await fc.assert(
      fc.asyncProperty(rowsArb, async (rows) => {
        const df = readParquet(await write(rows));
        const q = df.select(
          col("d9").cast("float64").alias("f"),
          col("d18").cast("int64").alias("i"),
          col("d9").cast("int32").alias("i32"),
          col("d38").cast("utf8").alias("s"),
          col("d18").cast("decimal(20, 1)").cast("utf8").alias("r"),
          col("d9").cast("decimal(12, 6)").cast("utf8").alias("w"),
        );
        const want = await duck(
          `SELECT d9::DOUBLE f, d18::BIGINT i, d9::INTEGER i32, d38::VARCHAR s,
             d18::DECIMAL(20,1)::VARCHAR r, d9::DECIMAL(12,6)::VARCHAR w FROM t`,
        );
        expect(await q.toRecords()).toEqual(want);
      }),
      { numRuns: 15 },
    );
  });

  it("utf8, floats and ints cast to decimal as DuckDB casts them", async () => {
    const texts = ["1.005", "-2.5", "0", "123456.78", " 7 ", "1e2", null];
    const df = DataFrame.fromRecords(
      texts.map((s, i) => ({ s, f: s === null ? null : Number(s), i: i - 3 })),
    );
    const q = df.select(
      col("s").cast("decimal(10, 2)").cast("utf8").alias("s"),
      col("f").cast("decimal(12, 1)").cast("utf8").alias("f"),
      col("i").cast("int32").cast("decimal(4, 1)").cast("utf8").alias("i"),
    );
    const want = await duck(
      `SELECT trim(s)::DECIMAL(10,2)::VARCHAR s, f::DECIMAL(12,1)::VARCHAR f,
         i::DECIMAL(4,1)::VARCHAR i
       FROM (VALUES ${texts.map((s, i) => `(${s === null ? "NULL" : `'${s}'`}, ${s === null ? "NULL" : Number(s)}::DOUBLE, ${i - 3})`).join(", ")}) v(s, f, i)`,
    );
    expect(await q.toRecords()).toEqual(want);
  });

  it("values that do not fit or parse name the column and row, or become null", async () => {
    const df = DataFrame.fromRecords([{ s: "12.5" }, { s: "abc" }, { s: "123456" }]);
    await expect(df.select(col("s").cast("decimal(5, 2)")).toRecords()).rejects.toThrow(
      /Column "s" row 1: cast to decimal\(5, 2\) failed: "abc" is not a number/,
    );
    await expect(
      DataFrame.fromRecords([{ s: "123456" }])
        .select(col("s").cast("decimal(5, 2)"))
        .toRecords(),
    ).rejects.toThrow(/Column "s" row 0: 123456.00 does not fit decimal\(5, 2\)/);
    expect(
      await df.select(col("s").cast("decimal(5, 2)", { onError: "null" })).toRecords(),
    ).toEqual([{ s: "12.50" }, { s: null }, { s: null }]);
    const big = DataFrame.fromRecords([{ d: "99999999999.5" }], {
      schema: { d: "decimal(12, 1)" },
    });
    await expect(big.select(col("d").cast("int32")).toRecords()).rejects.toThrow(
      /Column "d" row 0: 100000000000 is out of range for int32/,
    );
  });

  it("fromRecords takes decimal text, bigints and numbers for a decimal schema", async () => {
    const df = DataFrame.fromRecords([{ d: "1.005" }, { d: 2n }, { d: 0.1 }, { d: null }], {
      schema: { d: "decimal(6, 2)" },
    });
    expect(await df.toRecords()).toEqual([
      { d: "1.01" },
      { d: "2.00" },
      { d: "0.10" },
      { d: null },
    ]);
    expect(() => DataFrame.fromRecords([{ d: true }], { schema: { d: "decimal(6, 2)" } })).toThrow(
      /Column "d" row 0: boolean true is not a decimal\(6, 2\)/,
    );
  });
});
