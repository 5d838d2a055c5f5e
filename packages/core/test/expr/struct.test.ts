// .struct.field(name): one field of a struct column, with struct-level and field-level nulls,
// empty input, sliced batches, typing errors, JSON round trip, and DuckDB's answer for s.field
// on a Parquet file DuckDB writes.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { col, DataFrame, PlanError, readParquet } from "@deft/core";
import { DuckDBInstance } from "@duckdb/node-api";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { typesOf } from "../helpers.js";

type Row = { s: { a: number | null; b: string | null } | null };
const rows: Row[] = [
  { s: { a: 1, b: "x" } },
  { s: null },
  { s: { a: null, b: "y" } },
  { s: { a: 4, b: null } },
];
const schema = { s: "struct<a: int32, b: utf8>" };

describe(".struct.field", () => {
  it("reads a field, null where the struct or the field is null, named after the field", async () => {
    const df = DataFrame.fromRecords(rows, { schema });
    const out = df.select(col("s").struct.field("a"), col("s").struct.field("b"));
    expect(typesOf(out)).toEqual({ a: "int32", b: "utf8" });
    expect(await out.toRecords()).toEqual([
      { a: 1, b: "x" },
      { a: null, b: null },
      { a: null, b: "y" },
      { a: 4, b: null },
    ]);
  });

  it("composes with other expressions and filters", async () => {
    const df = DataFrame.fromRecords(rows, { schema });
    const out = df
      .filter(col("s").struct.field("a").gt(2))
      .select(col("s").struct.field("a").mul(10).alias("a10"));
    expect(await out.toRecords()).toEqual([{ a10: 40 }]);
  });

  it("gives an empty column for an empty input", async () => {
    const df = DataFrame.fromRecords([], { schema });
    expect(await df.select(col("s").struct.field("b")).toRecords()).toEqual([]);
  });

  it("is a PlanError at the call for a non-struct or a missing field, naming the fields", () => {
    const df = DataFrame.fromRecords(rows, { schema });
    expect(() => df.select(col("s").struct.field("c"))).toThrow(PlanError);
    expect(() => df.select(col("s").struct.field("c"))).toThrow(
      /no field "c"; its fields are "a", "b"/,
    );
    const flat = DataFrame.fromRecords([{ x: 1 }]);
    expect(() => flat.select(col("x").struct.field("a"))).toThrow(
      /needs a struct, but col\(x\) is (int64|float64)/,
    );
  });

  it("round-trips through the plan's JSON", async () => {
    const df = DataFrame.fromRecords(rows, { schema }).select(col("s").struct.field("b"));
    const back = DataFrame.fromJSON(JSON.parse(JSON.stringify(df)));
    expect(await back.toRecords()).toEqual(await df.toRecords());
  });

  it("equals a JS reference over random structs in random batches (property)", async () => {
    const value = fc.option(
      fc.record({ a: fc.option(fc.integer({ min: -1000, max: 1000 })), b: fc.option(fc.string()) }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(value, { maxLength: 40 }),
        fc.integer({ min: 1, max: 7 }),
        async (vals, size) => {
          // intoBatches slices the one batch: struct children read at an offset.
          const df = DataFrame.fromRecords(
            vals.map((s) => ({ s })),
            { schema },
          ).intoBatches(size);
          const got = await df
            .select(col("s").struct.field("a"), col("s").struct.field("b"))
            .toRecords();
          expect(got).toEqual(vals.map((s) => ({ a: s?.a ?? null, b: s?.b ?? null })));
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe(".struct.field against DuckDB", () => {
  const dir = mkdtempSync(join(tmpdir(), "deft-struct-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it("reads each field of DuckDB's STRUCT column as DuckDB's s.field does", async () => {
    const file = join(dir, "structs.parquet");
    const db = await DuckDBInstance.create(":memory:");
    const con = await db.connect();
    await con.run(`COPY (
      SELECT i, CASE WHEN i % 5 = 0 THEN NULL
        ELSE {'n': CASE WHEN i % 3 = 0 THEN NULL ELSE i * 7 END, 'name': 'row ' || i} END AS s
      FROM range(50) t(i)) TO '${file}' (FORMAT PARQUET)`);
    const want = (
      await con.runAndReadAll(`SELECT s.n AS n, s.name AS name FROM '${file}' ORDER BY i`)
    )
      .getRowObjectsJS()
      .map((r) => ({ n: r.n === null ? null : BigInt(r.n as bigint), name: r.name }));
    con.closeSync();
    const got = await readParquet(file)
      .sort("i")
      .select(col("s").struct.field("n"), col("s").struct.field("name"))
      .toRecords();
    expect(got).toEqual(want);
  });
});
