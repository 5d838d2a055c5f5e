// Date and time functions against DuckDB: the same dates and timestamps go to both, and every
// column deft computes equals DuckDB's answer to the SQL spelled beside it (computed here, with
// @duckdb/node-api, during the test).
import { col, DataFrame, interval, lit } from "@deft/core";
import { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

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

/** A seeded generator (no Math.random: the cases are the same every run). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const DAY = 86_400_000;
const rand = lcg(20260101);
// Edges: leap days, year ends (ISO weeks 1 and 53), 1970, before it, the far future.
const EDGE_DATES = [
  "2024-02-29",
  "2023-02-28",
  "2000-02-29",
  "1900-02-28",
  "1900-03-01",
  "1969-12-31",
  "1970-01-01",
  "2020-12-31",
  "2021-01-01",
  "2021-01-03",
  "2026-12-28",
  "2027-01-01",
  "1600-01-01",
  "2399-12-31",
  "2024-01-31",
  "2023-10-31",
];
const dates: (Date | null)[] = [
  ...EDGE_DATES.map((s) => new Date(`${s}T00:00:00Z`)),
  null,
  ...Array.from({ length: 300 }, () => {
    const days = Math.floor(-135_000 + rand() * 285_000); // 1600 … 2400
    return new Date(days * DAY);
  }),
];
const timestamps: (Date | null)[] = [
  new Date("1969-12-31T23:59:59.999Z"),
  new Date("2024-02-29T12:00:00.001Z"),
  new Date("2000-01-01T00:00:00.000Z"),
  null,
  ...Array.from(
    { length: 300 },
    () => new Date(Math.floor(-11_000_000_000_000 + rand() * 23_000_000_000_000)),
  ),
];

const iso = (d: Date) => d.toISOString().replace("T", " ").replace("Z", "");
const dateSql = (d: Date | null) => (d ? `DATE '${iso(d).slice(0, 10)}'` : "NULL::DATE");
const tsSql = (d: Date | null) => (d ? `TIMESTAMP '${iso(d)}'` : "NULL::TIMESTAMP");

/**
 * DuckDB's answer, one array per expression, rows in input order. One query per expression:
 * DuckDB treats INTERVAL 1 MONTH and INTERVAL 30 DAY as equal, and one query holding both
 * computes them once.
 */
async function duck(
  values: (Date | null)[],
  lit: (d: Date | null) => string,
  exprs: Record<string, string>,
): Promise<Record<string, unknown[]>> {
  const rows = values.map((v, i) => `(${i}, ${lit(v)})`).join(", ");
  const out: Record<string, unknown[]> = {};
  for (const [name, e] of Object.entries(exprs)) {
    const reader = await con.runAndReadAll(`SELECT ${e} FROM (VALUES ${rows}) t(i, x) ORDER BY i`);
    out[name] = reader.getRowsJS().map(([v]) => norm(v));
  }
  return out;
}

/** Numbers and bigints as text, so int32 here and BIGINT there compare (int64s exactly). */
const norm = (v: unknown) => (typeof v === "bigint" || typeof v === "number" ? String(v) : v);

async function deft(
  df: DataFrame,
  exprs: Record<string, ReturnType<typeof col>>,
): Promise<Record<string, unknown[]>> {
  const cols = await df.select(...Object.entries(exprs).map(([k, e]) => e.alias(k))).toColumns();
  return Object.fromEntries(Object.entries(cols).map(([k, vs]) => [k, vs.map(norm)]));
}

const x = col("x");

describe("dates vs DuckDB", () => {
  const df = () => DataFrame.fromColumns({ x: dates }, { schema: { x: "date" } });

  it("parts: year month day isodow dayofyear quarter week", async () => {
    const got = await deft(df(), {
      year: x.dt.year(),
      month: x.dt.month(),
      day: x.dt.day(),
      weekday: x.dt.weekday(),
      doy: x.dt.dayOfYear(),
      quarter: x.dt.quarter(),
      week: x.dt.week(),
    });
    const want = await duck(dates, dateSql, {
      year: "year(x)",
      month: "month(x)",
      day: "day(x)",
      weekday: "isodow(x)",
      doy: "dayofyear(x)",
      quarter: "quarter(x)",
      week: "week(x)",
    });
    expect(got).toEqual(want);
  });

  it("date_trunc, strftime, epoch_ms", async () => {
    const txt = (e: ReturnType<typeof col>) => e.cast("utf8");
    const got = await deft(df(), {
      y: txt(x.dt.truncate("year")),
      q: txt(x.dt.truncate("quarter")),
      m: txt(x.dt.truncate("month")),
      w: txt(x.dt.truncate("week")),
      d: txt(x.dt.truncate("day")),
      f: x.dt.strftime("%Y-%m-%d %j %a %A %b %B %u %w %V %y %%"),
      e: x.dt.epoch("ms"),
      es: x.dt.epoch("s"),
    });
    const trunc = (u: string) => `CAST(CAST(date_trunc('${u}', x) AS DATE) AS VARCHAR)`;
    const want = await duck(dates, dateSql, {
      y: trunc("year"),
      q: trunc("quarter"),
      m: trunc("month"),
      w: trunc("week"),
      d: trunc("day"),
      f: "strftime(x, '%Y-%m-%d %j %a %A %b %B %u %w %V %y %%')",
      e: "epoch_ms(x)",
      es: "epoch_ms(x) // 1000",
    });
    expect(got).toEqual(want);
  });

  it("date + interval, date + integer days, date_diff", async () => {
    const txt = (e: ReturnType<typeof col>) => e.cast("utf8");
    const got = await deft(df(), {
      m1: txt(x.add(interval({ months: 1 }))),
      m13: txt(x.sub(interval({ years: 1, months: 1 }))),
      d30: txt(x.add(interval({ days: 30 }))),
      plus: txt(x.add(30)),
      minus: txt(x.sub(lit(400, "int32"))),
      diff: lit("2000-01-01", "date").sub(x).dt.totalDays(),
      hours: txt(x.add(interval({ hours: 36 }))),
    });
    const c = (e: string) => `CAST(CAST(${e} AS DATE) AS VARCHAR)`;
    const want = await duck(dates, dateSql, {
      m1: c("x + INTERVAL 1 MONTH"),
      m13: c("x - INTERVAL '1 year 1 month'"),
      d30: c("x + INTERVAL 30 DAY"),
      plus: c("x + 30"),
      minus: c("x - 400"),
      diff: "date_diff('day', x, DATE '2000-01-01')",
      hours: "strftime(x + INTERVAL 36 HOUR, '%Y-%m-%dT%H:%M:%S.%g')",
    });
    expect(got).toEqual(want);
  });
});

describe("timestamps vs DuckDB", () => {
  const df = () => DataFrame.fromColumns({ x: timestamps }, { schema: { x: "timestamp[ms]" } });

  it("parts down to the millisecond; date", async () => {
    const got = await deft(df(), {
      year: x.dt.year(),
      month: x.dt.month(),
      day: x.dt.day(),
      hour: x.dt.hour(),
      minute: x.dt.minute(),
      second: x.dt.second(),
      ms: x.dt.millisecond(),
      weekday: x.dt.weekday(),
      doy: x.dt.dayOfYear(),
      quarter: x.dt.quarter(),
      week: x.dt.week(),
      date: x.dt.date().cast("utf8"),
    });
    const want = await duck(timestamps, tsSql, {
      year: "year(x)",
      month: "month(x)",
      day: "day(x)",
      hour: "hour(x)",
      minute: "minute(x)",
      second: "second(x)",
      ms: "millisecond(x) % 1000",
      weekday: "isodow(x)",
      doy: "dayofyear(x)",
      quarter: "quarter(x)",
      week: "week(x)",
      date: "CAST(CAST(x AS DATE) AS VARCHAR)",
    });
    expect(got).toEqual(want);
  });

  it("date_trunc, strftime, epoch in every unit, interval arithmetic, differences", async () => {
    const ms = (e: ReturnType<typeof col>) => e.dt.epoch("ms");
    const got = await deft(df(), {
      tm: ms(x.dt.truncate("month")),
      tw: ms(x.dt.truncate("week")),
      td: ms(x.dt.truncate("day")),
      th: ms(x.dt.truncate("hour")),
      tmin: ms(x.dt.truncate("minute")),
      ts: ms(x.dt.truncate("second")),
      f: x.dt.strftime("%Y-%m-%d %H:%M:%S.%g %I %p %f"),
      es: x.dt.epoch("s"),
      ems: x.dt.epoch("ms"),
      eus: x.dt.epoch("us"),
      plus: ms(x.add(interval({ months: 1, days: 3, hours: 4, minutes: 5, seconds: 6 }))),
      minus: ms(x.sub(interval({ months: 14, ms: 250 }))),
      diff: lit("2000-01-01T00:00:00", "timestamp[ms]").sub(x).dt.totalMilliseconds(),
    });
    const e = (s: string) => `epoch_ms(${s})`;
    const want = await duck(timestamps, tsSql, {
      tm: e("date_trunc('month', x)"),
      tw: e("date_trunc('week', x)"),
      td: e("date_trunc('day', x)"),
      th: e("date_trunc('hour', x)"),
      tmin: e("date_trunc('minute', x)"),
      ts: e("date_trunc('second', x)"),
      f: "strftime(x, '%Y-%m-%d %H:%M:%S.%g %I %p %f')",
      es: "CAST(floor(epoch(x)) AS BIGINT)",
      ems: "epoch_ms(x)",
      eus: "epoch_us(x)",
      plus: e("x + INTERVAL '1 month 3 days 04:05:06'"),
      minus: e("x - INTERVAL '14 months' - INTERVAL 250 MILLISECOND"),
      diff: "epoch_ms(TIMESTAMP '2000-01-01') - epoch_ms(x)",
    });
    expect(got).toEqual(want);
  });

  it("a zoned timestamp reads parts and truncates on its zone's clock (DuckDB TIMESTAMPTZ)", async () => {
    await con.run("SET TimeZone = 'America/New_York'");
    const zdf = () =>
      DataFrame.fromColumns(
        { x: timestamps },
        { schema: { x: "timestamp[ms, America/New_York]" } },
      );
    const got = await deft(zdf(), {
      hour: x.dt.hour(),
      day: x.dt.day(),
      td: x.dt.truncate("day").dt.epoch("ms"),
      tm: x.dt.truncate("month").dt.epoch("ms"),
      plus: x.add(interval({ months: 1, days: 1 })).dt.epoch("ms"),
      f: x.dt.strftime("%Y-%m-%d %H:%M:%S"),
    });
    const tz = (d: Date | null) => (d ? `TIMESTAMPTZ '${iso(d)}+00'` : "NULL::TIMESTAMPTZ");
    const want = await duck(timestamps, tz, {
      hour: "hour(x)",
      day: "day(x)",
      td: "epoch_ms(date_trunc('day', x))",
      tm: "epoch_ms(date_trunc('month', x))",
      plus: "epoch_ms(x + INTERVAL '1 month 1 day')",
      f: "strftime(x, '%Y-%m-%d %H:%M:%S')",
    });
    await con.run("SET TimeZone = 'UTC'");
    expect(got).toEqual(want);
  });
});

describe("parsing vs DuckDB", () => {
  it("str.toDate / str.toTimestamp with formats equal strptime", async () => {
    const text = timestamps.map((t) => (t ? iso(t) : null));
    const df = DataFrame.fromColumns({ s: text });
    const got = await df
      .select(
        col("s").str.toTimestamp().dt.epoch("ms").alias("iso"),
        col("s").str.toTimestamp("%Y-%m-%d %H:%M:%S.%g").dt.epoch("ms").alias("fmt"),
        col("s").str.slice(0, 10).str.toDate().cast("utf8").alias("d"),
      )
      .toColumns();
    const rows = text.map((s, i) => `(${i}, ${s === null ? "NULL" : `'${s}'`})`).join(", ");
    const reader = await con.runAndReadAll(
      `SELECT epoch_ms(CAST(s AS TIMESTAMP)), epoch_ms(strptime(s, '%Y-%m-%d %H:%M:%S.%g')), CAST(CAST(s[1:10] AS DATE) AS VARCHAR) FROM (VALUES ${rows}) t(i, s) ORDER BY i`,
    );
    const want = reader.getRowsJS();
    expect(got.iso).toEqual(want.map((r) => r[0]));
    expect(got.fmt).toEqual(want.map((r) => r[1]));
    expect(got.d).toEqual(want.map((r) => r[2]));
  });
});
