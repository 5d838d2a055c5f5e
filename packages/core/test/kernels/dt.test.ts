// Date and time kernels: nulls, empty input, leap years, before 1970 and the far future,
// sub-millisecond units beyond 2^53, zones, formats, and the plan errors for misuse.
import { col, DataFrame, interval, lit, PlanError, typeName } from "@deft/core";
import { describe, expect, it } from "vitest";
import { expectColumns } from "../helpers.js";

/** deft's type names of a frame's columns. */
const typesOf = (df: DataFrame) =>
  Object.fromEntries(df.schema.fields.map((f) => [f.name, typeName(f.type)]));

const d = (s: string) => new Date(`${s}T00:00:00Z`);
const dates = (xs: (string | null)[]) =>
  DataFrame.fromColumns(
    { d: xs.map((x) => (x === null ? null : d(x))) },
    { schema: { d: "date" } },
  );

describe(".dt on dates", () => {
  it("leap years, 1900 and 2000, before 1970 and far future; nulls stay null", async () => {
    const df = dates([
      "2024-02-29",
      "1900-03-01",
      "2000-12-31",
      "1969-12-31",
      null,
      "9999-12-31",
      "0001-01-01",
    ]);
    await expectColumns(
      df.select(
        col("d").dt.year().alias("y"),
        col("d").dt.dayOfYear().alias("doy"),
        col("d").dt.week().alias("w"),
        col("d").dt.weekday().alias("wd"),
      ),
      {
        y: [2024, 1900, 2000, 1969, null, 9999, 1],
        doy: [60, 60, 366, 365, null, 365, 1],
        w: [9, 9, 52, 1, null, 52, 1],
        wd: [4, 4, 7, 3, null, 5, 1],
      },
    );
  });

  it("empty input gives empty columns of the right types", async () => {
    const df = dates([]).select(
      col("d").dt.month().alias("m"),
      col("d").dt.strftime("%Y").alias("f"),
      col("d").dt.epoch("ms").alias("e"),
      col("d")
        .add(interval({ months: 1 }))
        .alias("p"),
    );
    expect(typesOf(df)).toEqual({ m: "int32", f: "utf8", e: "int64", p: "date" });
    await expectColumns(df, { m: [], f: [], e: [], p: [] });
  });

  it("a typed null literal and an all-null column give nulls", async () => {
    const df = dates([null, null]).withColumn("n", lit(null, "date"));
    await expectColumns(
      df.select(
        col("d").dt.year().alias("a"),
        col("n").dt.quarter().alias("b"),
        col("d").dt.strftime("%F").alias("c"),
      ),
      { a: [null, null], b: [null, null], c: [null, null] },
    );
  });

  it("month arithmetic clamps the day to the month's end", async () => {
    const df = dates(["2024-01-31", "2023-01-31", "2024-02-29", "2024-03-31", "1999-12-31"]);
    const text = (e: ReturnType<typeof col>) => e.cast("utf8");
    await expectColumns(
      df.select(
        text(col("d").add(interval({ months: 1 }))).alias("m1"),
        text(col("d").add(interval({ years: 1 }))).alias("y1"),
        text(col("d").sub(interval({ months: 1 }))).alias("m_1"),
        text(col("d").add(interval({ months: 1, days: 1 }))).alias("md"),
        text(interval({ days: 2 }).add(col("d"))).alias("left"),
      ),
      {
        m1: ["2024-02-29", "2023-02-28", "2024-03-29", "2024-04-30", "2000-01-31"],
        y1: ["2025-01-31", "2024-01-31", "2025-02-28", "2025-03-31", "2000-12-31"],
        m_1: ["2023-12-31", "2022-12-31", "2024-01-29", "2024-02-29", "1999-11-30"],
        md: ["2024-03-01", "2023-03-01", "2024-03-30", "2024-05-01", "2000-02-01"],
        left: ["2024-02-02", "2023-02-02", "2024-03-02", "2024-04-02", "2000-01-02"],
      },
    );
  });

  it("a date plus hours is a timestamp; date - date is a duration; dates compare with date literals", async () => {
    const df = dates(["1995-03-14", "1995-03-15", "1995-03-16"]);
    const out = df.select(
      col("d")
        .add(interval({ hours: 6 }))
        .alias("ts"),
      col("d").sub(lit("1995-03-15", "date")).alias("diff"),
      col("d").lt(lit("1995-03-15", "date")).alias("before"),
      col("d")
        .gte(lit(new Date("1995-03-15T00:00:00Z")))
        .alias("after"),
    );
    expect(typesOf(out)).toMatchObject({ ts: "timestamp[ms]", diff: "duration[ms]" });
    await expectColumns(out, {
      ts: [
        new Date("1995-03-14T06:00:00Z"),
        new Date("1995-03-15T06:00:00Z"),
        new Date("1995-03-16T06:00:00Z"),
      ],
      diff: [-86_400_000n, 0n, 86_400_000n],
      before: [true, false, false],
      after: [false, true, true],
    });
  });

  it("time-of-day parts, unknown units and codes, and arithmetic that means nothing are plan errors", () => {
    const df = dates(["2024-01-01"]);
    expect(() => df.select(col("d").dt.hour())).toThrow(/is a date, which has no time of day/);
    expect(() => df.select(col("d").dt.truncate("decade" as "year"))).toThrow(
      /unknown unit "decade"; use one of year/,
    );
    expect(() => df.select(col("d").dt.strftime("%Q"))).toThrow(/%Q is not a known code/);
    expect(() => df.select(col("d").dt.epoch("min" as "s"))).toThrow(PlanError);
    expect(() => df.select(col("d").add(1.5))).toThrow(/A date adds whole days/);
    expect(() => df.select(col("d").mul(2))).toThrow(PlanError);
    expect(() => df.select(col("d").add(col("d")))).toThrow(/Subtract them for a duration/);
    expect(() => df.withColumn("i", interval({ days: 1 }))).toThrow(
      /add it to or subtract it from a date/,
    );
    expect(() => DataFrame.fromColumns({ x: [1] }).select(col("x").dt.year())).toThrow(
      /needs a date or timestamp, but col\(x\) is float64/,
    );
    expect(() => interval({ weeks: 1 } as never)).toThrow(/unknown part "weeks"/);
    expect(() => interval({ months: 1.5 })).toThrow(/whole number/);
    expect(() => lit("15/03/1995", "date")).toThrow(/not an ISO 8601 date/);
  });
});

describe(".dt on timestamps", () => {
  const ts = (xs: (string | null)[], type = "timestamp[ms]") =>
    DataFrame.fromColumns(
      { t: xs.map((x) => (x === null ? null : new Date(x))) },
      { schema: { t: type } },
    );

  it("before 1970, parts floor toward the past", async () => {
    const df = ts(["1969-12-31T23:59:59.999Z", "1900-01-01T00:00:00.001Z", null]);
    await expectColumns(
      df.select(
        col("t").dt.year().alias("y"),
        col("t").dt.hour().alias("h"),
        col("t").dt.second().alias("s"),
        col("t").dt.millisecond().alias("ms"),
        col("t").dt.truncate("second").cast("utf8").alias("tr"),
        col("t").dt.date().cast("utf8").alias("date"),
      ),
      {
        y: [1969, 1900, null],
        h: [23, 0, null],
        s: [59, 0, null],
        ms: [999, 1, null],
        tr: ["1969-12-31T23:59:59.000", "1900-01-01T00:00:00.000", null],
        date: ["1969-12-31", "1900-01-01", null],
      },
    );
  });

  it("microseconds and nanoseconds beyond 2^53 are read exactly", async () => {
    // 2500-01-01T00:00:00.999999 in us is about 1.7e16, past 2^53 (9.0e15).
    const us = 16_725_225_600_000_000n + 999_999n;
    const df = DataFrame.fromColumns({ t: [us, -us] }, { schema: { t: "int64" } }).select(
      col("t").cast("timestamp[us]"),
    );
    await expectColumns(
      df.select(
        col("t").dt.year().alias("y"),
        col("t").dt.second().alias("s"),
        col("t").dt.millisecond().alias("ms"),
        col("t").dt.strftime("%f").alias("f"),
        col("t").dt.epoch("ms").alias("e"),
        col("t").dt.truncate("second").dt.epoch("us").alias("tr"),
      ),
      {
        y: [2500, 1439],
        s: [0, 59],
        ms: [999, 0],
        f: ["999999", "000001"],
        e: [16_725_225_600_999n, -16_725_225_601_000n],
        tr: [16_725_225_600_000_000n, -16_725_225_601_000_000n],
      },
    );
  });

  it("timestamp - timestamp is a duration in the finer unit; durations add to timestamps", async () => {
    const df = ts(["2024-01-01T00:00:00Z", "2024-03-01T12:00:00Z"]).withColumn(
      "u",
      col("t")
        .cast("timestamp[us]")
        .add(interval({ ms: 1.5 })),
    );
    const out = df.select(
      col("u").sub(col("t")).alias("d"),
      col("u").sub(col("t")).dt.totalMilliseconds().alias("ms"),
      col("t")
        .add(col("u").sub(col("t")))
        .alias("back"),
      lit("2024-03-01T12:00:00", "timestamp[ms]").sub(col("t")).dt.totalDays().alias("days"),
    );
    expect(typesOf(out)).toMatchObject({ d: "duration[us]", back: "timestamp[ms]" });
    await expectColumns(out, {
      d: [1500n, 1500n],
      ms: [1n, 1n],
      back: [new Date("2024-01-01T00:00:00.001Z"), new Date("2024-03-01T12:00:00.001Z")],
      days: [60n, 0n],
    });
  });

  it("a zone reads the wall clock: fixed offsets, and IANA zones across a change", async () => {
    const df = ts(
      ["2024-03-31T00:59:59Z", "2024-03-31T01:00:00Z", "2024-01-01T00:00:00Z"],
      "timestamp[ms, Europe/Berlin]",
    );
    await expectColumns(
      df.select(
        col("t").dt.hour().alias("h"),
        col("t").dt.strftime("%H:%M %z").alias("f"),
        col("t").cast("timestamp[ms, -03:30]").dt.strftime("%F %H:%M").alias("nf"),
        col("t").dt.truncate("day").cast("utf8").alias("day"),
      ),
      {
        h: [1, 3, 1],
        f: ["01:59 +0100", "03:00 +0200", "01:00 +0100"],
        nf: ["2024-03-30 21:29", "2024-03-30 21:30", "2023-12-31 20:30"],
        day: [
          "2024-03-31T00:00:00.000+01:00",
          "2024-03-31T00:00:00.000+01:00",
          "2024-01-01T00:00:00.000+01:00",
        ],
      },
    );
    expect(() =>
      ts(["2024-01-01T00:00:00Z"], "timestamp[ms, Mars/Olympus]").select(col("t").dt.hour()),
    ).toThrow(/time zone "Mars\/Olympus" of col\(t\) is unknown/);
  });

  it("strftime codes", async () => {
    const df = ts(["2024-07-04T15:06:07.089Z", "2021-01-03T00:00:00Z"]);
    await expectColumns(
      df.select(col("t").dt.strftime("%A %a %B %b %e|%y|%I %p|%j|%u %w|%V %G|%T|%D|%%|%g")),
      {
        t: [
          "Thursday Thu July Jul  4|24|03 PM|186|4 4|27 2024|15:06:07|07/04/24|%|089",
          "Sunday Sun January Jan  3|21|12 AM|003|7 0|53 2020|00:00:00|01/03/21|%|000",
        ],
      },
    );
  });
});

describe("str.toDate / str.toTimestamp", () => {
  it("ISO text and formats; an offset converts to UTC; nulls stay null", async () => {
    const df = DataFrame.fromColumns({
      iso: ["2024-02-29", null, "1969-07-20"],
      eu: ["29/02/2024", null, "20/07/1969"],
      ts: ["2024-02-29T10:30:00+02:00", null, "1969-07-20 20:17:40.5"],
      us: ["Feb 29 2024 10:30 PM", null, "July 20 1969 08:17 pm"],
    });
    await expectColumns(
      df.select(
        col("iso").str.toDate().cast("utf8"),
        col("eu").str.toDate("%d/%m/%Y").cast("utf8"),
        col("ts").str.toTimestamp().cast("utf8"),
        col("us").str.toTimestamp("%b %d %Y %I:%M %p").cast("utf8"),
      ),
      {
        iso: ["2024-02-29", null, "1969-07-20"],
        eu: ["2024-02-29", null, "1969-07-20"],
        ts: ["2024-02-29T08:30:00.000000", null, "1969-07-20T20:17:40.500000"],
        us: ["2024-02-29T22:30:00.000000", null, "1969-07-20T20:17:00.000000"],
      },
    );
  });

  it("text that does not parse fails naming the expression and the row", async () => {
    const df = DataFrame.fromColumns({ s: ["2024-01-01", "2024-02-30", "x"] });
    await expect(df.select(col("s").str.toDate()).collect()).rejects.toThrow(
      /\.str\.toDate\(\) of col\(s\) failed at row 1: "2024-02-30" is not a date in ISO 8601/,
    );
    await expect(df.select(col("s").str.toDate("%Y/%m/%d")).collect()).rejects.toThrow(
      /failed at row 0: "2024-01-01" is not a date in the format "%Y\/%m\/%d"/,
    );
    expect(() => df.select(col("s").str.toTimestamp("%Y-%q"))).toThrow(/%q is not a known code/);
    expect(() => DataFrame.fromColumns({ x: [1] }).select(col("x").str.toDate())).toThrow(
      /needs a string/,
    );
  });
});

describe("dates in plans", () => {
  it("explain prints the functions; plans with them round-trip as JSON", async () => {
    const df = dates(["2024-01-31", null]).select(
      col("d").dt.truncate("month").alias("m"),
      col("d")
        .add(interval({ months: 1, days: 2 }))
        .alias("p"),
      col("d").dt.strftime("%Y").str.toDate("%Y").alias("y"),
    );
    const plan = df.explain();
    expect(plan).toContain('col(d).dt.truncate("month")');
    expect(plan).toContain("(col(d) + interval(1 month 2 days))");
    expect(plan).toContain('col(d).dt.strftime("%Y").str.toDate("%Y")');
    const back = DataFrame.fromJSON(JSON.parse(JSON.stringify(df)));
    expect(await back.toRecords()).toEqual(await df.toRecords());
    expect(await df.toRecords()).toEqual([
      { m: d("2024-01-01"), p: d("2024-03-02"), y: d("2024-01-01") },
      { m: null, p: null, y: null },
    ]);
  });
});
