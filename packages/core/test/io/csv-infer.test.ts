// CSV type inference against DuckDB's sniffer on the same files: the vega-datasets CSVs, CSVs
// DuckDB itself writes (offsets as +00, zip codes, int64 extremes) and hand-written edge cases.
import fs from "node:fs";
import path from "node:path";
import { readCsv } from "@deft/core";
import { typeName } from "@deft/core/internal";
import { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
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

/**
 * deft's type as DuckDB names it. Timestamps keep the unit their fraction needs (DuckDB's
 * TIMESTAMP is always microseconds), so only the zone is compared.
 */
function duckName(t: string): string {
  if (t.startsWith("timestamp")) return t.includes(",") ? "TIMESTAMP WITH TIME ZONE" : "TIMESTAMP";
  const names: Record<string, string> = {
    int64: "BIGINT",
    float64: "DOUBLE",
    utf8: "VARCHAR",
    date: "DATE",
    bool: "BOOLEAN",
    "time64[us]": "TIME",
  };
  return names[t] ?? t;
}

async function compare(file: string): Promise<void> {
  const deft = readCsv(file).schema.fields.map((f) => `${f.name}: ${duckName(typeName(f.type))}`);
  const duck = (await con.runAndReadAll(`DESCRIBE SELECT * FROM read_csv('${file}')`))
    .getRowObjectsJS()
    .map((r) => `${r.column_name}: ${r.column_type}`);
  expect(deft, path.basename(file)).toEqual(duck);
}

const vega = path.resolve(__dirname, "../../../../node_modules/vega-datasets/data");

describe("CSV types as DuckDB infers them", () => {
  const files = fs.readdirSync(vega).filter((f) => f.endsWith(".csv"));
  it("has the vega-datasets CSVs to compare", () => {
    expect(files.length).toBeGreaterThan(15);
  });
  it.each(files)("vega-datasets %s", async (f) => {
    await compare(path.join(vega, f));
  });

  it("CSVs DuckDB writes: int64 extremes, doubles, dates, timestamps with +00, zip codes, booleans", async () => {
    const file = path.join(tmpDir(), "duck.csv");
    await con.run(`COPY (
      SELECT i::BIGINT AS id,
        (CASE WHEN i = 0 THEN -9223372036854775808 WHEN i = 1 THEN 9223372036854775807 ELSE i * 12345678901 END)::BIGINT AS big,
        i / 7 AS ratio,
        DATE '2024-01-01' + i::INTEGER AS day,
        TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (i) MINUTE AS at,
        TIMESTAMPTZ '2024-03-01 12:00:00+00' + INTERVAL (i * 37) SECOND AS at_utc,
        lpad((i * 7919 % 100000)::VARCHAR, 5, '0') AS zip,
        i % 3 = 0 AS flag,
        'name ' || i AS label,
        TIME '01:02:03' + INTERVAL (i * 1234567) MICROSECOND AS tod
      FROM range(200) t(i)) TO '${file}' (FORMAT CSV, HEADER)`);
    expect(fs.readFileSync(file, "utf8")).toMatch(/\+00\b/);
    await compare(file);
  });

  const cases: Record<string, string[]> = {
    "leading zeros stay text": ["0123", "5"],
    "a leading zero in a float": ["01.5", "2.5"],
    "zero and negative zero": ["0", "-0"],
    "signed leading zero is a number": ["-012", "3"],
    "a leading plus": ["+5", "+6"],
    "YYYY/MM/DD dates": ["2015/01/02", "2016/12/31"],
    "t/f": ["t", "f"],
    "T/F": ["T", "F"],
    "yes/no": ["yes", "no"],
    "+00 offsets": ["2024-01-02 03:04:05+00", "2024-01-02 03:04:05.5+00"],
    "+0000 offsets": ["2024-01-02 03:04:05+0000", "2024-01-02T03:04:05-0130"],
    "+00:00 offsets": ["2024-01-02 03:04:05+00:00", "2024-01-02T03:04:05-01:30"],
    Z: ["2024-01-02T03:04:05Z", "2024-01-02T03:04:05.123Z"],
    "beyond int64": ["18446744073709551615", "1"],
    exponents: ["1e5", "2E-3"],
    NaN: ["NaN", "1"],
    "1 and 0": ["1", "0"],
    "bare fractions": [".5", "5."],
    "minutes only": ["2024-01-02T03:04", "2024-01-02T03:04:05"],
    "times of day": ["12:00:00", "01:02:03.5"],
    "times with microseconds": ["23:59:59.999999", "00:00:00"],
    "nine fraction digits": ["2024-01-02 03:04:05.123456789", "2024-01-02 03:04:05"],
    "integers padded with spaces": [" 12", "3 "],
    "an integer padded on both sides, a tab": [" 12 ", "\t4"],
    "a padded negative integer": [" -12", "1"],
    "a padded leading zero": [" 02", "1"],
    "a float after spaces": [" 1.5", " 1e3"],
    "a float before a space": ["1.5 ", "2.5"],
    "a float between spaces": [" 1.5 ", "2.5"],
    inf: ["inf", "1.5"],
    "-inf": ["-inf", "1.5"],
    Infinity: ["Infinity", "2"],
    "-nan and NAN": ["-nan", "NAN"],
  };
  it.each(Object.entries(cases))("%s", async (name, values) => {
    const file = path.join(tmpDir(), `${name.replace(/\W+/g, "_")}.csv`);
    fs.writeFileSync(file, `a,b\n${values.map((v, i) => `${v},${i}`).join("\n")}\n`);
    await compare(file);
  });
});

describe("CSV numbers padded with spaces", () => {
  it("read with DuckDB's values", async () => {
    const file = path.join(tmpDir(), "padded.csv");
    fs.writeFileSync(file, "i,f\n 12, 1.5\n3 , 2e3\n , \n");
    const df = readCsv(file, { nullValues: ["", " "] });
    expect(df.schema.fields.map((f) => typeName(f.type))).toEqual(["int64", "float64"]);
    const want = (
      await con.runAndReadAll(`SELECT i, f FROM read_csv('${file}', nullstr = ['', ' '])`)
    )
      .getRowObjectsJS()
      .map((r) => ({ i: r.i, f: r.f }));
    expect(want).toEqual([
      { i: 12n, f: 1.5 },
      { i: 3n, f: 2000 },
      { i: null, f: null },
    ]);
    expect(await df.toRecords()).toEqual(want);
  });
});

describe("CSV timestamps with offsets", () => {
  it("+00, +0000, +00:00 and Z are the same instant; other offsets shift it", async () => {
    const file = path.join(tmpDir(), "offsets.csv");
    fs.writeFileSync(
      file,
      "t\n2024-01-02 03:04:05+00\n2024-01-02 03:04:05+0000\n2024-01-02T03:04:05+00:00\n2024-01-02T03:04:05Z\n2024-01-02 04:34:05+0130\n2024-01-02 01:04:05-02\n",
    );
    const df = readCsv(file);
    expect(typeName(df.schema.fields[0]!.type)).toBe("timestamp[ms, UTC]");
    const want = (await con.runAndReadAll(`SELECT epoch_ms(t) AS ms FROM read_csv('${file}')`))
      .getRowObjectsJS()
      .map((r) => Number(r.ms));
    expect(want.every((ms) => ms === Date.UTC(2024, 0, 2, 3, 4, 5))).toBe(true);
    expect((await df.toRecords()).map((r) => (r.t as Date).getTime())).toEqual(want);
  });
});

describe("CSV times of day", () => {
  it("read as time64[us] with DuckDB's values; nulls kept; a bad time in a schema'd column names it", async () => {
    const file = path.join(tmpDir(), "times.csv");
    fs.writeFileSync(file, "t,n\n12:00:00,1\n01:02:03.5,2\n,3\n23:59:59.999999,4\n");
    const df = readCsv(file);
    expect(typeName(df.schema.fields[0]!.type)).toBe("time64[us]");
    const want = (
      await con.runAndReadAll(
        `SELECT datediff('microsecond', TIME '00:00:00', t) AS us FROM read_csv('${file}') ORDER BY n`,
      )
    )
      .getRowObjectsJS()
      .map((r) => (r.us === null ? null : BigInt(r.us as bigint)));
    expect(want).toEqual([43_200_000_000n, 3_723_500_000n, null, 86_399_999_999n]);
    expect((await df.toRecords()).map((r) => r.t)).toEqual(want);

    const bad = path.join(tmpDir(), "bad-time.csv");
    fs.writeFileSync(bad, "t\n12:00:00\n25:00:00\n");
    await expect(readCsv(bad, { schema: { t: "time64[us]" } }).toRecords()).rejects.toThrow(
      /line 3, column "t": cannot read "25:00:00" as time64\[us\]/,
    );
  });
});
