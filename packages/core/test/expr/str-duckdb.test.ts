// .str functions against DuckDB on the same data: each case pairs a deft expression with the
// DuckDB SQL that answers the same question, and both run here, in the test.

import { col, concatStr, DataFrame, type Expr, lit } from "@deft/core";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const values: (string | null)[] = [
  "special packages wake; requests sleep",
  "Special Requests",
  "carefully regular requests. special",
  null,
  "",
  "a_b%c",
  "ÉCOLE été",
  "naïve café 😀 x",
  "order 12 of 345 at 6pm",
  "alice@example bob@test",
  "  padded\t ",
  "aaa",
  "😀😀",
];

interface Case {
  name: string;
  deft: Expr;
  /** DuckDB's expression over column `s`. */
  sql: string;
  /** Turns deft's value into DuckDB's JSON form where they differ in kind (bytes -> hex). */
  map?: (v: unknown) => unknown;
}

const s = () => col("s").str;

/** DuckDB's regexp_extract gives "" when nothing matches; deft gives null (as Polars). */
const extractSql = (p: string, g: number) =>
  `CASE WHEN regexp_matches(s, '${p}') THEN regexp_extract(s, '${p}', ${g}) END`;

const likeAndRegexCases: Case[] = [
  { name: "like contains", deft: s().like("%special%"), sql: "s LIKE '%special%'" },
  {
    name: "like two parts",
    deft: s().like("%special%requests%"),
    sql: "s LIKE '%special%requests%'",
  },
  {
    name: "not like two parts",
    deft: s().like("%special%requests%").not(),
    sql: "s NOT LIKE '%special%requests%'",
  },
  { name: "like prefix", deft: s().like("special%"), sql: "s LIKE 'special%'" },
  { name: "like suffix", deft: s().like("%special"), sql: "s LIKE '%special'" },
  { name: "like exact", deft: s().like("aaa"), sql: "s LIKE 'aaa'" },
  { name: "like underscores", deft: s().like("_a_"), sql: "s LIKE '_a_'" },
  { name: "like emoji underscore", deft: s().like("_😀"), sql: "s LIKE '_😀'" },
  { name: "like unicode", deft: s().like("%caf_ %"), sql: "s LIKE '%caf_ %'" },
  { name: "like empty", deft: s().like(""), sql: "s LIKE ''" },
  { name: "like percent", deft: s().like("%"), sql: "s LIKE '%'" },
  {
    name: "like escape",
    deft: s().like("a\\_b\\%%", { escape: "\\" }),
    sql: "s LIKE 'a\\_b\\%%' ESCAPE '\\'",
  },
  { name: "like unescaped _ and %", deft: s().like("a_b%"), sql: "s LIKE 'a_b%'" },
  {
    name: "ilike ascii",
    deft: s().ilike("%SPECIAL%requests%"),
    sql: "s ILIKE '%SPECIAL%requests%'",
  },
  { name: "ilike unicode", deft: s().ilike("école%"), sql: "s ILIKE 'école%'" },
  { name: "ilike unicode upper", deft: s().ilike("%ÉTÉ"), sql: "s ILIKE '%ÉTÉ'" },
  { name: "not ilike", deft: s().ilike("%special%").not(), sql: "s NOT ILIKE '%special%'" },
  { name: "regexp_matches", deft: s().matches("[0-9]+"), sql: "regexp_matches(s, '[0-9]+')" },
  { name: "regexp_matches anchored", deft: s().matches("^a+$"), sql: "regexp_matches(s, '^a+$')" },
  {
    name: "regexp_matches literal",
    deft: s().matches("requests"),
    sql: "regexp_matches(s, 'requests')",
  },
  { name: "regexp_matches unicode", deft: s().matches("é.é"), sql: "regexp_matches(s, 'é.é')" },
  {
    name: "regexp_extract group 1",
    deft: s().extract("([a-z]+)@([a-z]+)"),
    sql: extractSql("([a-z]+)@([a-z]+)", 1),
  },
  {
    name: "regexp_extract group 2",
    deft: s().extract("([a-z]+)@([a-z]+)", 2),
    sql: extractSql("([a-z]+)@([a-z]+)", 2),
  },
  { name: "regexp_extract group 0", deft: s().extract("[0-9]+", 0), sql: extractSql("[0-9]+", 0) },
  {
    name: "regexp_extract_all",
    deft: s().extractAll("[0-9]+"),
    sql: "regexp_extract_all(s, '[0-9]+')",
  },
  {
    name: "count of matches",
    deft: s().countMatches("[a-z]+"),
    sql: "len(regexp_extract_all(s, '[a-z]+'))::INTEGER",
  },
  {
    name: "regexp_replace all",
    deft: s().replace("[0-9]+", "#", { regex: true }),
    sql: "regexp_replace(s, '[0-9]+', '#', 'g')",
  },
  {
    name: "regexp_replace first",
    deft: s().replace("[0-9]+", "#", { regex: true, all: false }),
    sql: "regexp_replace(s, '[0-9]+', '#')",
  },
  {
    name: "regexp_replace groups",
    deft: s().replace(/([a-z]+)@([a-z]+)/, "$2 at $1"),
    sql: "regexp_replace(s, '([a-z]+)@([a-z]+)', '\\2 at \\1', 'g')",
  },
  { name: "replace literal", deft: s().replace("a", "A"), sql: "replace(s, 'a', 'A')" },
  {
    name: "string_split_regex",
    deft: s().split("[ ;.]+", { regex: true }),
    sql: "string_split_regex(s, '[ ;.]+')",
  },
  { name: "string_split", deft: s().split(" "), sql: "string_split(s, ' ')" },
];

/** SQL's lpad/rpad cut a longer value to the width; deft (as Polars) keeps it whole. */
const padSql = (f: string, w: number, fill: string) =>
  `CASE WHEN length(s) >= ${w} THEN s ELSE ${f}(s, ${w}, '${fill}') END`;
const ws = "' ' || chr(9) || chr(10)";
const hex = (v: unknown) =>
  v === null
    ? null
    : Array.from(v as Uint8Array, (b) => b.toString(16).padStart(2, "0").toUpperCase()).join("");

const moreCases: Case[] = [
  { name: "lpad", deft: s().padStart(12, "*"), sql: padSql("lpad", 12, "*") },
  { name: "lpad multi-char fill", deft: s().padStart(9, "ab"), sql: padSql("lpad", 9, "ab") },
  { name: "rpad", deft: s().padEnd(12, "é"), sql: padSql("rpad", 12, "é") },
  { name: "repeat", deft: s().repeat(3), sql: "repeat(s, 3)" },
  { name: "repeat 0", deft: s().repeat(0), sql: "repeat(s, 0)" },
  { name: "reverse", deft: s().reverse(), sql: "reverse(s)" },
  {
    name: "strpos",
    deft: s().find("e"),
    sql: "CASE WHEN strpos(s, 'e') > 0 THEN (strpos(s, 'e') - 1)::INTEGER END",
  },
  {
    name: "instr unicode",
    deft: s().find("é"),
    sql: "CASE WHEN instr(s, 'é') > 0 THEN (instr(s, 'é') - 1)::INTEGER END",
  },
  { name: "ltrim", deft: s().lstrip(), sql: `ltrim(s, ${ws})` },
  { name: "rtrim", deft: s().rstrip(), sql: `rtrim(s, ${ws})` },
  { name: "capitalize", deft: s().capitalize(), sql: "upper(s[1]) || lower(s[2:])" },
  { name: "encode", deft: s().toBytes(), sql: "hex(encode(s))", map: hex },
  { name: "||", deft: s().concat("!", s().upper()), sql: "s || '!' || upper(s)" },
  {
    name: "concat (skips nulls)",
    deft: concatStr(col("s"), lit(null), "#", { ignoreNulls: true }),
    sql: "concat(s, NULL, '#')",
  },
  {
    name: "concat_ws",
    deft: concatStr(col("s"), lit(null), s().reverse(), { separator: "/", ignoreNulls: true }),
    sql: "concat_ws('/', s, NULL, reverse(s))",
  },
  {
    name: "|| with a separator",
    deft: concatStr(col("s"), s().length(), { separator: ":" }),
    sql: "s || ':' || length(s)",
  },
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

beforeAll(async () => {
  db = await DuckDBInstance.create(":memory:");
  const conn = await db.connect();
  await conn.run("CREATE TABLE t (i INTEGER, s VARCHAR)");
  const lit = (v: string | null) => (v === null ? "NULL" : `'${v.replaceAll("'", "''")}'`);
  await conn.run(`INSERT INTO t VALUES ${values.map((v, i) => `(${i}, ${lit(v)})`).join(", ")}`);
  conn.closeSync();
});
afterAll(() => db?.closeSync());

async function expectDuckDbEqual(cases: Case[]): Promise<void> {
  // Several batches, so per-expression state (compiled patterns) serves more than one.
  const df = DataFrame.fromRecords(values.map((v) => ({ s: v }))).intoBatches(4);
  for (const c of cases) {
    const deft = (await df.select(c.deft.alias("v")).toColumns()).v!.map(c.map ?? ((v) => v));
    const duck = await rowsOf(`SELECT ${c.sql} AS v FROM t ORDER BY i`);
    expect(deft, c.name).toEqual(duck);
  }
}

describe(".str functions equal DuckDB's answers on the same data", () => {
  it("LIKE / ILIKE / NOT LIKE and the regex functions", async () => {
    await expectDuckDbEqual(likeAndRegexCases);
  });

  it("padding, repeat, reverse, find, trims, capitalize, bytes, concatenation", async () => {
    await expectDuckDbEqual(moreCases);
  });
});
