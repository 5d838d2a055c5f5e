// Row-wise expressions over 10M rows: the year of a date, LIKE with one and with two `%` parts
// (and str.contains beside the first), and a regex extract. The strings are made of words in a
// seeded order, with a number in most of them, built straight into Arrow's UTF-8 layout; each
// peer gets the same Arrow table (polars through IPC, DuckDB through Parquet). Filters are
// counted; the year and the extract are materialized.
import { col, DataFrame } from "@deft/core";
import { DateDay, makeData, makeTable, type Table, tableToIPC, Utf8 } from "apache-arrow";
import pl from "nodejs-polars";
import { expectEqual, prng } from "../data.js";
import { type DuckDB, duckdbRow, loadIntoDuckDB } from "../peers.js";
import type { Case } from "../runner.js";

const ROWS = Number(process.env.BENCH_EXPRESSIONS_ROWS ?? 10_000_000);

export const SCALAR_GROUPS = {
  year: "dt.year()",
  like1: "like '%special%'",
  like2: "like '%special%requests%'",
  extract: "str.extract(\\d+)",
} as const;

const WORDS = [
  "carefully",
  "regular",
  "special",
  "requests",
  "packages",
  "sleep",
  "furiously",
  "ironic",
  "deposits",
  "wake",
  "final",
  "accounts",
  "blithely",
  "pending",
  "theodolites",
  "quickly",
];

let table: Table | undefined;
let db: DuckDB | undefined;
let plFrame: pl.DataFrame | undefined;
let deftFrame: ReturnType<typeof DataFrame.fromArrow> | undefined;
const expected = { year: 0, like1: 0, like2: 0, extract: 0, extractLen: 0 };

/** Strings of 4-7 words, most ending in a number; dates from 1992 to 1998. */
function build(): Table {
  const next = prng(31);
  const enc = new TextEncoder();
  const words = WORDS.map((w) => enc.encode(w));
  const offsets = new Int32Array(ROWS + 1);
  let bytes = new Uint8Array(ROWS * 48);
  let at = 0;
  const days = new Int32Array(ROWS);
  const base = Date.UTC(1992, 0, 1) / 86_400_000;
  for (let i = 0; i < ROWS; i++) {
    if (at + 128 > bytes.length) {
      const grown = new Uint8Array(bytes.length * 2);
      grown.set(bytes);
      bytes = grown;
    }
    const n = 4 + Math.floor(next() * 4);
    for (let w = 0; w < n; w++) {
      if (w > 0) bytes[at++] = 32;
      const word = words[Math.floor(next() * words.length)]!;
      bytes.set(word, at);
      at += word.length;
    }
    if (next() < 0.8) {
      const num = enc.encode(` ${Math.floor(next() * 100_000)}`);
      bytes.set(num, at);
      at += num.length;
    }
    offsets[i + 1] = at;
    days[i] = base + Math.floor(next() * 2557);
  }
  const s = makeData({
    type: new Utf8(),
    length: ROWS,
    valueOffsets: offsets,
    data: bytes.subarray(0, at),
  });
  const d = makeData({ type: new DateDay(), length: ROWS, data: days });
  const t = makeTable({ s, d } as never) as unknown as Table;
  // The answers, from the strings as JS sees them.
  const text = new TextDecoder();
  for (let i = 0; i < ROWS; i++) {
    const str = text.decode(bytes.subarray(offsets[i]!, offsets[i + 1]!));
    const p = str.indexOf("special");
    if (p >= 0) {
      expected.like1++;
      if (str.indexOf("requests", p + 7) >= 0) expected.like2++;
    }
    const m = /\d+/.exec(str);
    if (m) {
      expected.extract++;
      expected.extractLen += m[0].length;
    }
    expected.year += new Date(days[i]! * 86_400_000).getUTCFullYear();
  }
  return t;
}

const countOf = (what: string, want: () => number) => (n: unknown) =>
  expectEqual(what, Number(n), want());

const duck = (
  group: string,
  query: string,
  checkRow: (row: Record<string, unknown>) => void,
): Case => ({
  label: "duckdb",
  group,
  run: () => db!.con.runAndReadAll(query),
  check: async (r) => {
    const rows = (r as { getRowObjectsJS(): Record<string, unknown>[] }).getRowObjectsJS();
    checkRow(rows[0] ?? (await duckdbRow(db!, "SELECT 0 AS n")));
  },
});

const polarsFrame = () => (plFrame ??= pl.readIPC(Buffer.from(tableToIPC(table!, "file"))));
const deft = () => (deftFrame ??= DataFrame.fromArrow(table!));

function checkYearSum(y: ArrayLike<number | bigint>): void {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += Number(y[i]);
  expectEqual("sum of years", s, expected.year);
}

function checkExtract(values: ArrayLike<string | null>): void {
  let n = 0;
  let len = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (x === null || x === undefined || x === "") continue;
    n++;
    len += x.length;
  }
  expectEqual("extracted values", n, expected.extract);
  expectEqual("extracted characters", len, expected.extractLen);
}

export const scalarCases: Case[] = [
  // The year of a date.
  {
    label: "polars",
    group: SCALAR_GROUPS.year,
    setup: polarsFrame,
    run: () => polarsFrame().select(pl.col("d").dt.year().alias("y")),
    check: (df) => checkYearSum((df as pl.DataFrame).getColumn("y").toTypedArray() as Int32Array),
  },
  {
    label: "duckdb",
    group: SCALAR_GROUPS.year,
    run: () => db!.con.run("CREATE OR REPLACE TEMP TABLE yout AS SELECT year(d) AS y FROM str"),
    check: async () =>
      expectEqual(
        "sum of years",
        Number((await duckdbRow(db!, "SELECT sum(y)::DOUBLE AS s FROM yout")).s),
        expected.year,
      ),
  },
  {
    label: "deft",
    group: SCALAR_GROUPS.year,
    setup: deft,
    run: () => deft().select(col("d").dt.year().alias("y")).toArrow(),
    check: (t) => checkYearSum((t as Table).getChild("y")!.toArray() as Int32Array),
  },
  // LIKE with one % part, and str.contains, which asks the same.
  {
    label: "polars",
    group: SCALAR_GROUPS.like1,
    setup: polarsFrame,
    run: () => polarsFrame().filter(pl.col("s").str.contains("special", true)).height,
    check: countOf("rows like %special%", () => expected.like1),
  },
  duck(
    SCALAR_GROUPS.like1,
    "SELECT count(*)::DOUBLE AS n FROM str WHERE s LIKE '%special%'",
    (row) => expectEqual("rows like %special%", Number(row.n), expected.like1),
  ),
  {
    label: "deft",
    group: SCALAR_GROUPS.like1,
    setup: deft,
    run: () => deft().filter(col("s").str.like("%special%")).count(),
    check: countOf("rows like %special%", () => expected.like1),
  },
  {
    label: "deft str.contains",
    group: SCALAR_GROUPS.like1,
    setup: deft,
    run: () => deft().filter(col("s").str.contains("special")).count(),
    check: countOf("rows containing special", () => expected.like1),
  },
  // LIKE with two % parts (polars: a regex).
  {
    label: "polars",
    group: SCALAR_GROUPS.like2,
    setup: polarsFrame,
    run: () => polarsFrame().filter(pl.col("s").str.contains("special.*requests")).height,
    check: countOf("rows like %special%requests%", () => expected.like2),
  },
  duck(
    SCALAR_GROUPS.like2,
    "SELECT count(*)::DOUBLE AS n FROM str WHERE s LIKE '%special%requests%'",
    (row) => expectEqual("rows like %special%requests%", Number(row.n), expected.like2),
  ),
  {
    label: "deft",
    group: SCALAR_GROUPS.like2,
    setup: deft,
    run: () => deft().filter(col("s").str.like("%special%requests%")).count(),
    check: countOf("rows like %special%requests%", () => expected.like2),
  },
  // A regex extract, materialized.
  {
    label: "polars",
    group: SCALAR_GROUPS.extract,
    setup: polarsFrame,
    run: () => polarsFrame().select(pl.col("s").str.extract(/(\d+)/, 1).alias("n")),
    check: (df) => checkExtract((df as pl.DataFrame).getColumn("n").toArray() as (string | null)[]),
  },
  {
    label: "duckdb",
    group: SCALAR_GROUPS.extract,
    run: () =>
      db!.con.run(
        "CREATE OR REPLACE TEMP TABLE xout AS SELECT regexp_extract(s, '(\\d+)', 1) AS n FROM str",
      ),
    check: async () => {
      const row = await duckdbRow(
        db!,
        "SELECT count(*) FILTER (WHERE n <> '')::DOUBLE AS c, sum(length(n))::DOUBLE AS l FROM xout",
      );
      expectEqual("extracted values", Number(row.c), expected.extract);
      expectEqual("extracted characters", Number(row.l), expected.extractLen);
    },
  },
  {
    label: "deft",
    group: SCALAR_GROUPS.extract,
    setup: deft,
    run: () => deft().select(col("s").str.extract("(\\d+)", 1).alias("n")).toArrow(),
    check: (t) => checkExtract((t as Table).getChild("n")!.toArray() as (string | null)[]),
  },
];

export async function setupScalar(duck: DuckDB): Promise<void> {
  db = duck;
  table = build();
  await loadIntoDuckDB(duck, "str", table);
}

export function teardownScalar(): void {
  table = db = plFrame = deftFrame = undefined;
}
