import path from "node:path";
import { col, count, DataFrame, type Expr, readParquet } from "@deft/core";
import { Float64, Int32, Table, Utf8, vectorFromArray } from "apache-arrow";
import fc from "fast-check";
import { WriterVersion } from "parquet-wasm";
import { beforeAll, describe, expect, it } from "vitest";
import { tmpDir } from "../io/helpers.js";
import { duckRun, writeWithWasm } from "../io/parquet-native/helpers.js";

// A Parquet scan keeps the dictionary codes of a low-cardinality string column it read from
// dictionary pages, and a group-by on that column maps each dictionary entry to its group
// once instead of hashing every row. The groups, their first-seen order and every aggregate
// must be exactly those of the same query over the table in memory (where no codes exist),
// whether the rows reach the group-by whole, through a filter on another column (the scan
// picks rows of each page) or through a filter on the key itself (read as codes).

const WORDS = ["a", "bb", "ø", "日本", "", "zz", "q"];

const rowArb = fc.record({
  s: fc.constantFrom<string | null>(...WORDS),
  k: fc.integer({ min: -20, max: 20 }),
  x: fc.double({ min: -1e6, max: 1e6, noNaN: true }),
});
type Row = { s: string | null; k: number; x: number };

function toTable(rows: readonly Row[]): Table {
  return new Table({
    s: vectorFromArray(
      rows.map((r) => r.s),
      new Utf8(),
    ),
    k: vectorFromArray(
      rows.map((r) => r.k),
      new Int32(),
    ),
    x: vectorFromArray(
      rows.map((r) => r.x),
      new Float64(),
    ),
  });
}

const filters: Record<string, (t: number) => Expr | undefined> = {
  none: () => undefined,
  "k > t": (t) => col("k").gt(t),
  "s != 'a'": () => col("s").neq("a"),
};

const grouped = (df: DataFrame, where: Expr | undefined) =>
  (where ? df.filter(where) : df)
    .groupBy("s")
    .agg(
      count().alias("n"),
      col("x").sum().alias("sx"),
      col("k").first().alias("first_k"),
      col("k").last().alias("last_k"),
    );

let dir: string;
let seq = 0;

describe("group-by over dictionary codes from a Parquet scan", () => {
  beforeAll(() => {
    dir = tmpDir("deft-dictionary-codes-");
  });

  it("gives the groups, order and aggregates of the same query in memory", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(rowArb, { minLength: 1, maxLength: 3000, size: "max" }),
        fc.constantFrom(...Object.keys(filters)),
        fc.integer({ min: -20, max: 20 }),
        fc.integer({ min: 60, max: 1500 }),
        fc.integer({ min: 64, max: 4096 }),
        fc.constantFrom(1, 2),
        // Now and then one null key: its row group then groups by value, the others by code.
        fc.option(fc.nat(), { freq: 3 }),
        async (rows, name, t, rowGroupSize, pageBytes, threads, nullAt) => {
          if (nullAt !== null) rows[nullAt % rows.length]!.s = null;
          const table = toTable(rows);
          const where = filters[name]!(t);
          const want = await grouped(DataFrame.fromArrow(table), where).toArrow({ threads: 1 });
          const wasmFile = path.join(dir, `wasm-${seq}.parquet`);
          writeWithWasm(table, wasmFile, { rowGroupSize, pageBytes, version: WriterVersion.V2 });
          const duckFile = path.join(dir, `duck-${seq++}.parquet`);
          await duckRun(
            `COPY (SELECT * FROM read_parquet('${wasmFile}')) TO '${duckFile}' (FORMAT parquet, ROW_GROUP_SIZE ${rowGroupSize})`,
          );
          for (const file of [wasmFile, duckFile]) {
            const got = await grouped(readParquet(file), where).toArrow({ threads });
            expect(got.numRows).toBe(want.numRows);
            for (const c of ["s", "n", "first_k", "last_k"]) {
              expect([...got.getChild(c)!], `${file} column ${c}`).toEqual([...want.getChild(c)!]);
            }
            const sums = [...got.getChild("sx")!];
            [...want.getChild("sx")!].forEach((v, i) => {
              expect(sums[i]).toBeCloseTo(v as number, 3);
            });
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it("groups 20,000 rows of 3 words read in slices of 1,000 rows as one table would", async () => {
    const rows: Row[] = Array.from({ length: 20_000 }, (_, i) => ({
      s: WORDS[(i * 7919) % 3]!,
      k: i % 41,
      x: i,
    }));
    const file = path.join(dir, "slices.parquet");
    writeWithWasm(toTable(rows), file, { rowGroupSize: 8_000 });
    for (const threads of [1, 2]) {
      const got = await readParquet(file, { batchSize: 1_000 })
        .groupBy("s")
        .agg(count().alias("n"), col("x").sum().alias("sx"))
        .toArrow({ threads });
      expect(got.toArray().map((r) => r.toJSON())).toEqual(
        // First seen: row 0 holds "a", row 1 "ø", row 2 "bb".
        ["a", "ø", "bb"].map((s) => {
          const mine = rows.filter((r) => r.s === s);
          return { s, n: BigInt(mine.length), sx: mine.reduce((a, r) => a + r.x, 0) };
        }),
      );
    }
  });
});
