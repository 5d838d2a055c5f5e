// Property tests: every .dt part, truncation, strftime, epoch and interval arithmetic against
// a plain JS reference (Date in UTC, which is fine as a reference: deft never uses it per row).
import { col, DataFrame, interval } from "@deft/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const DAY = 86_400_000;
// ±5000 years around 1970: before the Gregorian reform, BC years, the far future.
const dayArb = fc.integer({ min: -2_500_000, max: 1_200_000 });
const msArb = fc.integer({ min: -2_500_000 * DAY, max: 1_200_000 * DAY });
const withNulls = <T>(a: fc.Arbitrary<T>) =>
  fc.array(fc.option(a, { nil: null, freq: 8 }), { maxLength: 60 });

/** ISO week of a UTC Date, the textbook way (nearest Thursday). */
function refIsoWeek(d: Date): number {
  const t = new Date(d.getTime());
  const wd = (t.getUTCDay() + 6) % 7; // Monday 0
  t.setUTCDate(t.getUTCDate() - wd + 3);
  const jan4 = new Date(0);
  jan4.setUTCFullYear(t.getUTCFullYear(), 0, 4);
  const wd4 = (jan4.getUTCDay() + 6) % 7;
  return 1 + Math.round((t.getTime() - (jan4.getTime() - wd4 * DAY + 3 * DAY)) / (7 * DAY));
}
const utcDate = (y: number, m: number, d: number) => {
  const t = new Date(0);
  t.setUTCFullYear(y, m, d);
  return t.getTime();
};
const refParts = (ms: number) => {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  return {
    year: y,
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: d.getUTCMilliseconds(),
    weekday: ((d.getUTCDay() + 6) % 7) + 1,
    dayOfYear:
      Math.round((utcDate(y, d.getUTCMonth(), d.getUTCDate()) - utcDate(y, 0, 1)) / DAY) + 1,
    quarter: Math.floor(d.getUTCMonth() / 3) + 1,
    week: refIsoWeek(d),
  };
};
type Part = keyof ReturnType<typeof refParts>;
const DATE_PARTS: Part[] = ["year", "month", "day", "weekday", "dayOfYear", "quarter", "week"];
const ALL_PARTS: Part[] = [...DATE_PARTS, "hour", "minute", "second", "millisecond"];

/** The day `months` after day ms, the day clamped to the month's end. */
function refAddMonths(ms: number, months: number): number {
  const d = new Date(ms);
  const total = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
  const y = Math.floor(total / 12);
  const m = total - y * 12;
  const last = new Date(utcDate(y, m + 1, 0)).getUTCDate();
  return utcDate(y, m, Math.min(d.getUTCDate(), last)) + (ms - Math.floor(ms / DAY) * DAY);
}

const pad = (n: number, w: number) => (n < 0 ? "-" : "") + String(Math.abs(n)).padStart(w, "0");

describe(".dt parts (property)", () => {
  it("of dates equal the UTC reference", async () => {
    await fc.assert(
      fc.asyncProperty(withNulls(dayArb), async (days) => {
        const df = DataFrame.fromColumns(
          { d: days.map((z) => (z === null ? null : new Date(z * DAY))) },
          { schema: { d: "date" } },
        );
        const got = await df
          .select(...DATE_PARTS.map((p) => col("d").dt[p]().alias(p)))
          .toColumns();
        for (const p of DATE_PARTS) {
          expect(got[p]).toEqual(days.map((z) => (z === null ? null : refParts(z * DAY)[p])));
        }
      }),
      { numRuns: 60 },
    );
  });

  it("of timestamps in every unit equal the reference (ms precision, floor toward the past)", async () => {
    const unitArb = fc.constantFrom("s", "ms", "us", "ns");
    await fc.assert(
      fc.asyncProperty(withNulls(msArb), unitArb, async (all, unit) => {
        // int64 nanoseconds span 1677 … 2262 only.
        const ms = unit === "ns" ? all.map((x) => (x === null ? null : x % 9e12)) : all;
        // Whole seconds for s; for us/ns some digits below the ms, which must not move it.
        const stored = ms.map((x) => {
          if (x === null) return null;
          if (unit === "s") return BigInt(Math.floor(x / 1000));
          const sub = BigInt(Math.abs(x) % 997);
          return unit === "ms" ? BigInt(x) : BigInt(x) * (unit === "us" ? 1000n : 1_000_000n) + sub;
        });
        const df = DataFrame.fromColumns({ t: stored }, { schema: { t: "int64" } }).select(
          col("t").cast(`timestamp[${unit}]`),
        );
        const got = await df.select(...ALL_PARTS.map((p) => col("t").dt[p]().alias(p))).toColumns();
        const trueMs = (x: number) => (unit === "s" ? Math.floor(x / 1000) * 1000 : x);
        for (const p of ALL_PARTS) {
          const want = ms.map((x) => (x === null ? null : refParts(trueMs(x))[p]));
          expect(got[p], `${p} of timestamp[${unit}]`).toEqual(want);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("in a fixed-offset zone equal the reference shifted by the offset", async () => {
    const offArb = fc.integer({ min: -14 * 60, max: 14 * 60 });
    await fc.assert(
      fc.asyncProperty(withNulls(msArb), offArb, async (ms, offMin) => {
        const zone = `${offMin < 0 ? "-" : "+"}${pad(Math.floor(Math.abs(offMin) / 60), 2)}:${pad(Math.abs(offMin) % 60, 2)}`;
        const df = DataFrame.fromColumns(
          { t: ms.map((x) => (x === null ? null : new Date(x))) },
          { schema: { t: `timestamp[ms, ${zone}]` } },
        );
        const got = await df.select(...ALL_PARTS.map((p) => col("t").dt[p]().alias(p))).toColumns();
        for (const p of ALL_PARTS) {
          expect(got[p]).toEqual(
            ms.map((x) => (x === null ? null : refParts(x + offMin * 60_000)[p])),
          );
        }
      }),
      { numRuns: 40 },
    );
  });

  it("in an IANA zone equal Intl's wall clock", async () => {
    const zoneArb = fc.constantFrom(
      "Europe/Berlin",
      "America/Sao_Paulo",
      "Asia/Kolkata",
      "Australia/Lord_Howe",
    );
    // 1900 … 2100: the span the zone database is about.
    const near = fc.integer({ min: -25_000 * DAY, max: 47_000 * DAY });
    await fc.assert(
      fc.asyncProperty(withNulls(near), zoneArb, async (ms, zone) => {
        const fmt = new Intl.DateTimeFormat("en-US", {
          timeZone: zone,
          hourCycle: "h23",
          year: "numeric",
          month: "numeric",
          day: "numeric",
          hour: "numeric",
          minute: "numeric",
          second: "numeric",
        });
        const wall = (x: number) => {
          const p = Object.fromEntries(fmt.formatToParts(x).map((q) => [q.type, Number(q.value)]));
          return (
            utcDate(p.year!, p.month! - 1, p.day!) +
            ((p.hour! * 60 + p.minute!) * 60 + p.second!) * 1000 +
            (((x % 1000) + 1000) % 1000)
          );
        };
        const df = DataFrame.fromColumns(
          { t: ms.map((x) => (x === null ? null : new Date(x))) },
          { schema: { t: `timestamp[ms, ${zone}]` } },
        );
        const got = await df.select(...ALL_PARTS.map((p) => col("t").dt[p]().alias(p))).toColumns();
        for (const p of ALL_PARTS) {
          expect(got[p], `${p} in ${zone}`).toEqual(
            ms.map((x) => (x === null ? null : refParts(wall(x))[p])),
          );
        }
      }),
      { numRuns: 30 },
    );
  });
});

describe("truncate, strftime, epoch (property)", () => {
  it("truncate every unit equals the reference", async () => {
    await fc.assert(
      fc.asyncProperty(withNulls(msArb), async (ms) => {
        const df = DataFrame.fromColumns(
          { t: ms.map((x) => (x === null ? null : new Date(x))) },
          { schema: { t: "timestamp[ms]" } },
        );
        const units = [
          "year",
          "quarter",
          "month",
          "week",
          "day",
          "hour",
          "minute",
          "second",
        ] as const;
        const got = await df
          .select(...units.map((u) => col("t").dt.truncate(u).alias(u)))
          .toColumns();
        const ref = (x: number, u: (typeof units)[number]): number => {
          const d = new Date(x);
          const y = d.getUTCFullYear();
          const m = d.getUTCMonth();
          const day = Math.floor(x / DAY) * DAY;
          switch (u) {
            case "year":
              return utcDate(y, 0, 1);
            case "quarter":
              return utcDate(y, m - (m % 3), 1);
            case "month":
              return utcDate(y, m, 1);
            case "week":
              return day - ((d.getUTCDay() + 6) % 7) * DAY;
            case "day":
              return day;
            case "hour":
              return Math.floor(x / 3_600_000) * 3_600_000;
            case "minute":
              return Math.floor(x / 60_000) * 60_000;
            case "second":
              return Math.floor(x / 1000) * 1000;
          }
        };
        for (const u of units) {
          expect(got[u]).toEqual(ms.map((x) => (x === null ? null : new Date(ref(x, u)))));
        }
      }),
      { numRuns: 60 },
    );
  });

  it("strftime and epoch equal the reference", async () => {
    await fc.assert(
      fc.asyncProperty(withNulls(msArb), async (ms) => {
        const df = DataFrame.fromColumns(
          { t: ms.map((x) => (x === null ? null : new Date(x))) },
          { schema: { t: "timestamp[ms]" } },
        );
        const got = await df
          .select(
            col("t").dt.strftime("%Y-%m-%d %H:%M:%S.%g|%j|%u").alias("f"),
            col("t").dt.epoch("s").alias("s"),
            col("t").dt.epoch("us").alias("us"),
          )
          .toColumns();
        const f = (x: number) => {
          const p = refParts(x);
          return `${pad(p.year, 4)}-${pad(p.month, 2)}-${pad(p.day, 2)} ${pad(p.hour, 2)}:${pad(p.minute, 2)}:${pad(p.second, 2)}.${pad(p.millisecond, 3)}|${pad(p.dayOfYear, 3)}|${p.weekday}`;
        };
        expect(got.f).toEqual(ms.map((x) => (x === null ? null : f(x))));
        expect(got.s).toEqual(ms.map((x) => (x === null ? null : BigInt(Math.floor(x / 1000)))));
        expect(got.us).toEqual(ms.map((x) => (x === null ? null : BigInt(x) * 1000n)));
      }),
      { numRuns: 60 },
    );
  });
});

describe("interval arithmetic (property)", () => {
  const ivArb = fc.record({
    months: fc.integer({ min: -400, max: 400 }),
    days: fc.integer({ min: -2000, max: 2000 }),
    ms: fc.integer({ min: -10 * DAY, max: 10 * DAY }),
  });

  it("timestamp ± interval: months clamp the day, then days, then elapsed time", async () => {
    await fc.assert(
      fc.asyncProperty(withNulls(msArb), ivArb, async (ms, iv) => {
        const df = DataFrame.fromColumns(
          { t: ms.map((x) => (x === null ? null : new Date(x))) },
          { schema: { t: "timestamp[ms]" } },
        );
        const i = interval({ months: iv.months, days: iv.days, ms: iv.ms });
        const got = await df
          .select(col("t").add(i).alias("a"), col("t").sub(i).alias("s"))
          .toColumns();
        const ref = (x: number, sign: number) =>
          new Date(refAddMonths(x, sign * iv.months) + sign * iv.days * DAY + sign * iv.ms);
        expect(got.a).toEqual(ms.map((x) => (x === null ? null : ref(x, 1))));
        expect(got.s).toEqual(ms.map((x) => (x === null ? null : ref(x, -1))));
      }),
      { numRuns: 60 },
    );
  });

  it("date + months/days stays a date; date - date is a duration of whole days", async () => {
    await fc.assert(
      fc.asyncProperty(withNulls(fc.tuple(dayArb, dayArb)), ivArb, async (pairs, iv) => {
        const df = DataFrame.fromColumns(
          {
            a: pairs.map((p) => (p === null ? null : new Date(p[0] * DAY))),
            b: pairs.map((p) => (p === null ? null : new Date(p[1] * DAY))),
          },
          { schema: { a: "date", b: "date" } },
        );
        const got = await df
          .select(
            col("a")
              .add(interval({ months: iv.months, days: iv.days }))
              .alias("s"),
            col("a").add(iv.days).alias("plus"),
            col("b").sub(col("a")).dt.totalDays().alias("diff"),
          )
          .toColumns();
        expect(got.s).toEqual(
          pairs.map((p) =>
            p === null ? null : new Date(refAddMonths(p[0] * DAY, iv.months) + iv.days * DAY),
          ),
        );
        expect(got.plus).toEqual(
          pairs.map((p) => (p === null ? null : new Date((p[0] + iv.days) * DAY))),
        );
        expect(got.diff).toEqual(pairs.map((p) => (p === null ? null : BigInt(p[1] - p[0]))));
      }),
      { numRuns: 60 },
    );
  });
});
