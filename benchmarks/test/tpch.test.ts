// The TPC-H correctness guard: our generator at scale factor 0.01, and every one of the 22
// queries answered by deft exactly as DuckDB answers the standard SQL on the same files.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerOfArrow, expectSameAnswer } from "../src/tpch/answers.js";
import { runDeft } from "../src/tpch/deft.js";
import { openTpchDuckDB, type TpchDuckDB } from "../src/tpch/duckdb.js";
import { ensureTpch, type TpchFiles } from "../src/tpch/generate.js";
import { QUERIES } from "../src/tpch/queries/index.js";
import { q18With } from "../src/tpch/queries/q18.js";

const SF = 0.01;
let root: string;
let files: TpchFiles;
let duck: TpchDuckDB;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "deft-tpch-test-"));
  files = ensureTpch(SF, root).files;
  duck = await openTpchDuckDB(files);
}, 60_000);

afterAll(() => {
  duck?.close();
  rmSync(root, { recursive: true, force: true });
});

describe("TPC-H SF 0.01: deft answers like DuckDB", () => {
  it("generates the spec's row counts and key relations", async () => {
    const one = async (sql: string) => (await duck.query(sql)).rows[0]!;
    expect(await one("SELECT count(*) FROM part")).toEqual([2000]);
    expect(await one("SELECT count(*) FROM supplier")).toEqual([100]);
    expect(await one("SELECT count(*) FROM partsupp")).toEqual([8000]);
    expect(await one("SELECT count(*) FROM customer")).toEqual([1500]);
    expect(await one("SELECT count(*) FROM orders")).toEqual([15000]);
    expect(await one("SELECT count(*) FROM nation")).toEqual([25]);
    expect(await one("SELECT count(*) FROM region")).toEqual([5]);
    // Every line's (part, supplier) is a partsupp row; every order's customer exists and is
    // not a multiple of 3; dates keep ship < receipt and the flags follow 1995-06-17.
    expect(
      await one(
        "SELECT count(*) FROM lineitem LEFT JOIN partsupp ON l_partkey = ps_partkey AND l_suppkey = ps_suppkey WHERE ps_partkey IS NULL",
      ),
    ).toEqual([0]);
    expect(
      await one(
        "SELECT count(*) FROM orders LEFT JOIN customer ON o_custkey = c_custkey WHERE c_custkey IS NULL OR o_custkey % 3 = 0",
      ),
    ).toEqual([0]);
    expect(
      await one(
        `SELECT count(*) FROM lineitem WHERE NOT (l_shipdate < l_receiptdate
           AND (l_returnflag = 'N') = (l_receiptdate > DATE '1995-06-17')
           AND (l_linestatus = 'O') = (l_shipdate > DATE '1995-06-17'))`,
      ),
    ).toEqual([0]);
    expect(
      await one(
        "SELECT min(o_orderdate)::VARCHAR, max(l_receiptdate) <= DATE '1998-12-31' FROM orders, lineitem WHERE o_orderkey = l_orderkey",
      ),
    ).toEqual(["1992-01-01", true]);
  });

  it("generates the same bytes on every run", () => {
    const again = mkdtempSync(join(tmpdir(), "deft-tpch-again-"));
    try {
      const other = ensureTpch(SF, again).files;
      for (const t of ["lineitem", "part", "supplier"] as const) {
        expect(readFileSync(other[t]).equals(readFileSync(files[t])), t).toBe(true);
      }
    } finally {
      rmSync(again, { recursive: true, force: true });
    }
  }, 30_000);

  // At SF 0.01 no order holds more than 300 items, so Q18 also runs with a lower threshold.
  for (const q of [...QUERIES, q18With(250)]) {
    it(q.name, async () => {
      const expected = await duck.query(q.sql(SF));
      if (q.name !== "q18") {
        expect(expected.rows.length, `${q.name}: DuckDB's answer is empty`).toBeGreaterThan(0);
      }
      expectSameAnswer(q.name, answerOfArrow(await runDeft(q, files, SF)), expected, q.ordered);
    });
  }
});
