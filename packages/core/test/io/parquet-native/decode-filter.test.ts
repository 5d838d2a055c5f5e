import path from "node:path";
import {
  col,
  DataFrame,
  type DeftEvent,
  type Expr,
  lit,
  readParquet,
  type ScanEndEvent,
} from "@deft/core";
import { writeParquetBatches } from "@deft/core/internal";
import { Bool, Float64, Int32, Int64, Table, Utf8, vectorFromArray } from "apache-arrow";
import fc from "fast-check";
import { Encoding, WriterVersion } from "parquet-wasm";
import { beforeAll, describe, expect, it } from "vitest";
import { tmpDir } from "../helpers.js";
import { columnCells, duckRows, duckRun, expectSameCells, writeWithWasm } from "./helpers.js";

// A scan's filter is evaluated while its row groups decode: the filter's columns first, the
// others only for the rows that pass (dictionary pages copy only the picked entries, pages
// without a passing row are not decompressed). The rows must be exactly those the same
// filter keeps over the table in memory, whatever the encodings, nulls and page layout.

const NAMES = ["k", "s", "t", "x", "f", "b"];

const rowArb = fc.record({
  k: fc.option(fc.integer({ min: -20, max: 20 }), { freq: 6 }),
  s: fc.option(fc.constantFrom("a", "bb", "ø", "日本", ""), { freq: 6 }),
  t: fc.option(fc.string({ maxLength: 40 }), { freq: 6 }),
  x: fc.option(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), { freq: 6 }),
  f: fc.option(fc.double({ noNaN: true }), { freq: 6 }),
  b: fc.option(fc.boolean(), { freq: 6 }),
});

type Row = {
  k: number | null;
  s: string | null;
  t: string | null;
  x: bigint | null;
  f: number | null;
  b: boolean | null;
};

const TYPES = {
  k: new Int32(),
  s: new Utf8(),
  t: new Utf8(),
  x: new Int64(),
  f: new Float64(),
  b: new Bool(),
};

function toTable(rows: readonly Row[]): Table {
  const column = (n: keyof Row) =>
    vectorFromArray(
      rows.map((r) => r[n]),
      TYPES[n] as never,
    );
  return new Table(Object.fromEntries(NAMES.map((n) => [n, column(n as keyof Row)])));
}

/** Filters over the filter's columns only, over all columns, and partly over a UDF-free mix. */
const predicates: Record<string, (t: number) => Expr> = {
  "k > t": (t) => col("k").gt(t),
  "k == t and s == 'a'": (t) => col("k").eq(t).and(col("s").eq("a")),
  b: () => col("b"),
  "s in (a, ø) or k < t": (t) => col("s").isIn(["a", "ø"]).or(col("k").lt(t)),
  "f < 0 and x > 0": () => col("f").lt(0).and(col("x").gt(0n)),
  "k is null": () => col("k").isNull(),
  "t starts with a, k >= t": (t) => col("t").str.startsWith("a").or(col("k").gte(t)),
  false: () => lit(false),
};

let dir: string;
let seq = 0;

async function scanWith(file: string, where: Expr, threads: number) {
  let scan: ScanEndEvent | undefined;
  const progress = (e: DeftEvent) => {
    if (e.type === "scan:end") scan = e;
  };
  const table = await readParquet(file).filter(where).toArrow({ threads, progress });
  return { table, scan };
}

describe("a scan's filter evaluated while decoding", () => {
  beforeAll(() => {
    dir = tmpDir("deft-decode-filter-");
  });

  it("keeps exactly the rows the filter keeps in memory (random tables, encodings, filters)", async () => {
    await fc.assert(
      fc.asyncProperty(
        // "medium": arrays of up to a few hundred rows, many pages per row group.
        fc.array(rowArb, { minLength: 1, maxLength: 1500, size: "medium" }),
        fc.constantFrom(...Object.keys(predicates)),
        fc.integer({ min: -20, max: 20 }),
        fc.integer({ min: 20, max: 2000 }),
        fc.constantFrom("V1", "V2"),
        fc.constantFrom(1, 2),
        fc.record({
          pageBytes: fc.integer({ min: 64, max: 4096 }),
          dictionary: fc.boolean(),
          delta: fc.boolean(),
        }),
        async (rows, name, t, rowGroupSize, version, threads, pages) => {
          const table = toTable(rows);
          const deftFile = path.join(dir, `deft-${seq}.parquet`);
          const duckFile = path.join(dir, `duck-${seq++}.parquet`);
          await writeParquetBatches(table.batches, table.schema, deftFile, { rowGroupSize });
          await duckRun(
            `COPY (SELECT * FROM read_parquet('${deftFile}')) TO '${duckFile}' (FORMAT parquet, PARQUET_VERSION ${version}, ROW_GROUP_SIZE ${rowGroupSize})`,
          );
          // Many small pages per row group (some without a passing row), dictionary or
          // plain, delta encodings: the layouts the other two writers do not produce.
          const pagedFile = path.join(dir, `paged-${seq}.parquet`);
          writeWithWasm(table, pagedFile, {
            rowGroupSize,
            pageBytes: pages.pageBytes,
            dictionary: pages.dictionary,
            version: version === "V1" ? WriterVersion.V1 : WriterVersion.V2,
            ...(pages.delta && {
              columnEncodings: {
                x: Encoding.DELTA_BINARY_PACKED,
                t: Encoding.DELTA_LENGTH_BYTE_ARRAY,
              },
            }),
          });
          const where = predicates[name]!(t);
          const want = await DataFrame.fromArrow(table).filter(where).toArrow();
          for (const file of [deftFile, duckFile, pagedFile]) {
            const { table: got, scan } = await scanWith(file, where, threads);
            // Row groups the statistics rule out are never decoded; every other row the
            // filter drops is dropped while decoding (a literal reads no column).
            if (scan?.decoder !== undefined) expect(scan.decoder).toBe("native");
            if (name !== "false") expect(scan?.rowsRead).toBe(want.numRows);
            const dropped = rows.length - want.numRows;
            const filtered = scan?.rowsFiltered ?? 0;
            if (name === "false") expect(filtered).toBe(0);
            else if (scan?.rowGroupsSkipped === 0) expect(filtered).toBe(dropped);
            else expect(filtered).toBeLessThanOrEqual(dropped);
            for (const c of NAMES) {
              expectSameCells(
                columnCells(got, c),
                columnCells(want, c),
                `${path.basename(file)} ${name} (t=${t}) column ${c}`,
              );
            }
          }
        },
      ),
      { numRuns: 60, endOnFailure: true },
    );
  }, 240_000);
});

describe("a filter on one dictionary-encoded column without nulls", () => {
  // Such a filter is evaluated once per dictionary entry and rows are selected by their code;
  // chunks with a plain page or a null take the per-row path. Same rows either way.
  const denseArb = fc.record({
    k: fc.integer({ min: -20, max: 20 }),
    s: fc.constantFrom("a", "bb", "ø", "日本", ""),
    t: fc.string({ maxLength: 12 }),
    x: fc.bigInt({ min: -5n, max: 5n }),
  });
  const dense: Record<string, (t: number) => Expr> = {
    "k > t": (t) => col("k").gt(t),
    "k == t": (t) => col("k").eq(t),
    "s in (a, ø)": () => col("s").isIn(["a", "ø"]),
    "t starts with a": () => col("t").str.startsWith("a"),
    "x * t >= 0": (t) => col("x").mul(BigInt(t)).gte(0n),
    "k != k": () => col("k").neq(col("k")),
  };

  beforeAll(() => {
    dir = tmpDir("deft-decode-filter-dense-");
  });

  it("keeps exactly the rows the filter keeps in memory", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(denseArb, { minLength: 1, maxLength: 1500, size: "medium" }),
        fc.constantFrom(...Object.keys(dense)),
        fc.integer({ min: -20, max: 20 }),
        fc.integer({ min: 50, max: 2000 }),
        fc.constantFrom(1, 2),
        fc.boolean(),
        async (rows, name, t, rowGroupSize, threads, dictionary) => {
          const table = new Table({
            k: vectorFromArray(
              rows.map((r) => r.k),
              new Int32(),
            ),
            s: vectorFromArray(
              rows.map((r) => r.s),
              new Utf8(),
            ),
            t: vectorFromArray(
              rows.map((r) => r.t),
              new Utf8(),
            ),
            x: vectorFromArray(
              rows.map((r) => r.x),
              new Int64(),
            ),
          });
          const deftFile = path.join(dir, `dense-deft-${seq}.parquet`);
          const pagedFile = path.join(dir, `dense-paged-${seq++}.parquet`);
          await writeParquetBatches(table.batches, table.schema, deftFile, { rowGroupSize });
          writeWithWasm(table, pagedFile, {
            rowGroupSize,
            pageBytes: 256,
            dictionary,
            version: WriterVersion.V2,
          });
          const where = dense[name]!(t);
          const want = await DataFrame.fromArrow(table).filter(where).toArrow();
          for (const file of [deftFile, pagedFile]) {
            const { table: got, scan } = await scanWith(file, where, threads);
            expect(scan?.rowsRead).toBe(want.numRows);
            for (const c of ["k", "s", "t", "x"]) {
              expectSameCells(
                columnCells(got, c),
                columnCells(want, c),
                `${path.basename(file)} ${name} (t=${t}) column ${c}`,
              );
            }
          }
        },
      ),
      { numRuns: 40, endOnFailure: true },
    );
  }, 240_000);
});

describe("on flights-3m (ZSTD, dictionary pages, many pages per row group)", () => {
  const FLIGHTS = path.resolve("node_modules/vega-datasets/data/flights-3m.parquet");

  it.each([1, 2])(
    "delay > 60: the rows and sums DuckDB gives (threads %i)",
    async (threads) => {
      const { table } = await scanWith(
        FLIGHTS,
        col("delay")
          .gt(60)
          .and(col("origin").isIn(["ORD", "ATL", "SFO"])),
        threads,
      );
      const [want] = await duckRows(
        `SELECT count(*)::INT AS n, sum(distance)::DOUBLE AS d, string_agg(destination, '' ORDER BY date, destination, delay)::VARCHAR AS dest FROM read_parquet('${FLIGHTS}') WHERE delay > 60 AND origin IN ('ORD', 'ATL', 'SFO')`,
      );
      expect(table.numRows).toBe(want!.n);
      let d = 0;
      for (const v of table.getChild("distance")!) d += Number(v);
      expect(d).toBe(want!.d);
      const sorted = await DataFrame.fromArrow(table)
        .sort(["date", "destination", "delay"])
        .toColumns();
      expect((sorted.destination as string[]).join("")).toBe(want!.dest);
    },
    60_000,
  );

  it("a filter that fails to evaluate is left to the Filter above, which names the column", async () => {
    const err = await readParquet(FLIGHTS, { columns: ["origin", "delay"] })
      .filter(col("origin").cast("int32").gt(3))
      .toArrow({ threads: 1 })
      .then(
        () => null,
        (e: unknown) => e as Error,
      );
    expect(err?.message).toMatch(/origin/);
    expect(err?.name).not.toBe("FileError");
  });
});
