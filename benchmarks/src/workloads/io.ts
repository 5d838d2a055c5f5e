// Parquet I/O on 5M rows (int64 id, two float64 columns, an int32 key), snappy and zstd: raw
// parquet-wasm (the engine deft decodes and encodes with), DuckDB and deft. Target:
// deft within 1.1x of raw parquet-wasm both ways. Files live in os.tmpdir().
import { statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Table, tableFromArrays } from "apache-arrow";
import { expectClose, expectEqual, sumFloat64, uniformFloat64, uniformInt32 } from "../data.js";
import { DataFrame, type DeftFrame, readParquet, requireMethods } from "../deft.js";
import {
  type DuckDB,
  duckdbRow,
  loadIntoDuckDB,
  openDuckDB,
  type ParquetCompression,
  parquetWasmEncode,
  parquetWasmReadStream,
  parquetWasmReadSync,
  scratchDir,
} from "../peers.js";
import { type Case, relativeTo, type Workload } from "../runner.js";

const ROWS = Number(process.env.BENCH_IO_ROWS ?? 5_000_000);
const CODECS: ParquetCompression[] = ["snappy", "zstd"];

let table: Table | undefined;
let expectedSumA = 0;
let scratch: { dir: string; remove: () => void } | undefined;
let db: DuckDB | undefined;
let deftSource: DeftFrame | undefined;

const dir = () => scratch!.dir;
const inputFile = (codec: ParquetCompression) => join(dir(), `input-${codec}.parquet`);

function checkTable(what: string, t: Table): void {
  expectEqual(`${what}: rows`, t.numRows, ROWS);
  const a = t.getChild("a");
  if (!a)
    throw new Error(`${what}: no column "a" in ${t.schema.fields.map((f) => f.name).join(", ")}`);
  let s = 0;
  for (const chunk of a.data) s += sumFloat64(chunk.values as Float64Array);
  expectClose(`${what}: sum of a`, s, expectedSumA);
}

async function checkDuckDBTable(name: string): Promise<void> {
  const row = await duckdbRow(db!, `SELECT count(*)::DOUBLE AS n, sum(a) AS s FROM ${name}`);
  expectEqual(`${name}: rows`, row.n, ROWS);
  expectClose(`${name}: sum of a`, row.s as number, expectedSumA);
}

const fileMetrics = (path: string) => ({ bytes: statSync(path).size });

function readCases(codec: ParquetCompression): Case[] {
  const group = `read ${codec}`;
  const file = () => inputFile(codec);
  return [
    {
      label: "parquet-wasm readParquet",
      group,
      run: () => parquetWasmReadSync(file()),
      check: (t) => checkTable(group, t as Table),
    },
    {
      label: "parquet-wasm stream (1M-row batches)",
      group,
      run: () => parquetWasmReadStream(file(), 1 << 20),
      check: (t) => checkTable(group, t as Table),
    },
    {
      label: "duckdb",
      group,
      // Materialized inside DuckDB (its native format), not pulled into JS values.
      run: () =>
        db!.con.run(
          `CREATE OR REPLACE TEMP TABLE r_${codec} AS SELECT * FROM read_parquet('${file()}')`,
        ),
      check: () => checkDuckDBTable(`r_${codec}`),
    },
    {
      label: "deft",
      group,
      setup: () => readParquet(file()),
      run: () => readParquet(file()).toArrow(),
      check: (t) => checkTable(group, t as Table),
    },
  ];
}

function writeCases(codec: ParquetCompression): Case[] {
  const group = `write ${codec}`;
  const out = (engine: string) => join(dir(), `out-${engine}-${codec}.parquet`);
  const readBack = (engine: string) => () =>
    checkTable(`${group} by ${engine}`, parquetWasmReadSync(out(engine)));
  return [
    {
      label: "parquet-wasm",
      group,
      run: () => writeFileSync(out("parquet-wasm"), parquetWasmEncode(table!, codec)),
      check: readBack("parquet-wasm"),
      metrics: () => fileMetrics(out("parquet-wasm")),
    },
    {
      label: "duckdb",
      group,
      run: () =>
        db!.con.run(`COPY src TO '${out("duckdb")}' (FORMAT parquet, COMPRESSION ${codec})`),
      check: readBack("duckdb"),
      metrics: () => fileMetrics(out("duckdb")),
    },
    {
      label: "deft",
      group,
      setup: () => {
        deftSource = DataFrame().fromArrow(table!);
        requireMethods(deftSource, "writeParquet");
      },
      run: () => deftSource!.writeParquet(out("deft"), { compression: codec }),
      check: readBack("deft"),
      metrics: () => fileMetrics(out("deft")),
    },
  ];
}

const workload: Workload = {
  name: "io",
  description:
    `Parquet read and write of ${ROWS.toLocaleString("en")} rows (int64 id, float64 a and b, int32 k), ` +
    "snappy and zstd; files written and read in os.tmpdir(). Reads end in an apache-arrow Table " +
    "(DuckDB: a table in DuckDB); writes start from one (DuckDB: from its own table).",
  cases: [...CODECS.flatMap(readCases), ...CODECS.flatMap(writeCases)],
  baseline: Object.fromEntries([
    ...CODECS.map((c) => [`read ${c}`, "parquet-wasm readParquet"]),
    ...CODECS.map((c) => [`write ${c}`, "parquet-wasm"]),
  ]),
  derived: [
    relativeTo("deft"),
    {
      name: "file MB",
      value: (row) => (row.metrics.bytes === undefined ? undefined : row.metrics.bytes / 1e6),
    },
  ],
  comparisons: [
    ...CODECS.map((c) => ({
      name: `read ${c}: deft / parquet-wasm`,
      group: `read ${c}`,
      numerator: "deft",
      denominator: "parquet-wasm readParquet",
      target: "<= 1.1x",
    })),
    ...CODECS.map((c) => ({
      name: `write ${c}: deft / parquet-wasm`,
      group: `write ${c}`,
      numerator: "deft",
      denominator: "parquet-wasm",
      target: "<= 1.1x",
    })),
  ],
  setup: async () => {
    scratch = scratchDir("io");
    const a = uniformFloat64(ROWS, 21);
    expectedSumA = sumFloat64(a);
    const id = new BigInt64Array(ROWS);
    for (let i = 0; i < ROWS; i++) id[i] = BigInt(i);
    table = tableFromArrays({
      id,
      a,
      b: uniformFloat64(ROWS, 22),
      k: uniformInt32(ROWS, 1000, 23),
    });
    for (const codec of CODECS) writeFileSync(inputFile(codec), parquetWasmEncode(table, codec));
    db = await openDuckDB();
    await loadIntoDuckDB(db, "src", table);
  },
  teardown: () => {
    db?.close();
    db = undefined;
    scratch?.remove();
    table = deftSource = undefined;
  },
};

export default workload;
