// Integers beyond 2^53 in NDJSON and CSV read exactly from the file's text, checked against
// DuckDB writing and reading the same files (DuckDB runs here, through @duckdb/node-api).
import fs from "node:fs";
import path from "node:path";
import { readCsv, readJson } from "@deft/core";
import { parseJsonExact } from "@deft/core/internal";
import { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tmpDir } from "./helpers.js";

let instance: DuckDBInstance;
let con: DuckDBConnection;
beforeAll(async () => {
  instance = await DuckDBInstance.create(":memory:");
  con = await DuckDBConnection.create(instance);
});
afterAll(() => {
  con?.closeSync();
  instance?.closeSync();
});

const int64 = fc.oneof(
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  fc.constantFrom(
    9007199254740993n,
    12345678901234567n,
    -9223372036854775808n,
    9223372036854775807n,
    2n ** 53n,
    -(2n ** 53n) - 1n,
  ),
  fc.bigInt({ min: -1000n, max: 1000n }),
);

describe("parseJsonExact", () => {
  it("gives long integers as bigints and everything else as JSON.parse does", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(int64, fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }))),
        (rows) => {
          const text = `{"rows":[${rows
            .map(
              ([i, s, f]) =>
                `{"i":${i},"s":${JSON.stringify(`${s}${i}`)},"f":${JSON.stringify(f)}}`,
            )
            .join(",")}]}`;
          const got = parseJsonExact(text) as { rows: { i: unknown; s: string; f: number }[] };
          got.rows.forEach((r, k) => {
            const [i, s, f] = rows[k]!;
            // Short integers stay numbers (JSON.parse's own); 16+ digits are bigints.
            expect(BigInt(r.i as number | bigint)).toBe(i);
            if ((i < 0n ? -i : i).toString().length >= 16) expect(typeof r.i).toBe("bigint");
            expect(r.s).toBe(`${s}${i}`);
            // A whole double of 16+ digits is a bigint too: a float column takes it as Number.
            expect(Number(r.f)).toBe(JSON.parse(JSON.stringify(f)));
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("int64 from text files", () => {
  it("NDJSON and CSV written by DuckDB read every int64 exactly", async () => {
    const dir = tmpDir();
    let k = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(int64), { minLength: 1, maxLength: 40 }), async (xs) => {
        const json = path.join(dir, `i${k}.ndjson`);
        const csv = path.join(dir, `i${k++}.csv`);
        const values = xs
          .map((x, i) => `(${i}, ${x === null ? "NULL" : `'${x}'::BIGINT`})`)
          .join(", ");
        await con.run(`CREATE OR REPLACE TABLE t AS SELECT * FROM (VALUES ${values}) v(i, x)`);
        await con.run(`COPY t TO '${json}' (FORMAT JSON)`);
        await con.run(`COPY t TO '${csv}' (FORMAT CSV, HEADER)`);
        const want = (await con.runAndReadAll("SELECT x FROM t")).getRowObjectsJS();
        for (const df of [readJson(json), readCsv(csv)]) {
          const got = await df.toRecords();
          if (xs.some((x) => x !== null)) expect(String(df.schema.fields[1]!.type)).toBe("Int64");
          expect(got.map((r) => r.x)).toEqual(want.map((r) => r.x ?? null));
        }
      }),
      { numRuns: 25 },
    );
  });

  it("the cases that used to round: 9007199254740993, 12345678901234567, -9223372036854775808", async () => {
    const p = path.join(tmpDir(), "big.ndjson");
    fs.writeFileSync(
      p,
      '{"v": 9007199254740993, "s": "9007199254740993"}\n{"v": 12345678901234567}\n{"v": -9223372036854775808}\n',
    );
    expect(await readJson(p).toRecords()).toEqual([
      { v: 9007199254740993n, s: "9007199254740993" },
      { v: 12345678901234567n, s: null },
      { v: -9223372036854775808n, s: null },
    ]);
    const c = path.join(tmpDir(), "big.csv");
    fs.writeFileSync(c, "v\n9007199254740993\n12345678901234567\n-9223372036854775808\n");
    expect(await readCsv(c).toRecords()).toEqual([
      { v: 9007199254740993n },
      { v: 12345678901234567n },
      { v: -9223372036854775808n },
    ]);
  });
});
