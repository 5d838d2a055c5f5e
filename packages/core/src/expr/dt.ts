import type { DtFn, ExprNode, LitValue } from "./ast.js";
import { Expr } from "./expr.js";

/** A unit `truncate` rounds down to (weeks start on Monday, as in ISO 8601). */
export type TruncateUnit =
  | "year"
  | "quarter"
  | "month"
  | "week"
  | "day"
  | "hour"
  | "minute"
  | "second";
/** A unit of `epoch`: seconds, milliseconds, microseconds or nanoseconds. */
export type EpochUnit = "s" | "ms" | "us" | "ns";

/**
 * `.dt` functions on a date or timestamp expression (and `total*` on a duration). Null in,
 * null out. A timestamp with a time zone is read on that zone's wall clock; one without is
 * read as it is stored (UTC).
 */
export class DtNamespace {
  constructor(private readonly node: ExprNode) {}
  /** The year (int32; 1 BC is 0, as in ISO 8601). */
  year(): Expr {
    return this.fn("year");
  }
  /** The month, 1 … 12. */
  month(): Expr {
    return this.fn("month");
  }
  /** The day of the month, 1 … 31. */
  day(): Expr {
    return this.fn("day");
  }
  /** The hour, 0 … 23 (timestamps). */
  hour(): Expr {
    return this.fn("hour");
  }
  /** The minute, 0 … 59 (timestamps). */
  minute(): Expr {
    return this.fn("minute");
  }
  /** The second, 0 … 59 (timestamps). */
  second(): Expr {
    return this.fn("second");
  }
  /** The millisecond within the second, 0 … 999 (timestamps). */
  millisecond(): Expr {
    return this.fn("millisecond");
  }
  /** The ISO weekday: Monday = 1 … Sunday = 7. */
  weekday(): Expr {
    return this.fn("weekday");
  }
  /** The day of the year, 1 … 366. */
  dayOfYear(): Expr {
    return this.fn("dayOfYear");
  }
  /** The quarter, 1 … 4. */
  quarter(): Expr {
    return this.fn("quarter");
  }
  /** The ISO 8601 week number, 1 … 53. */
  week(): Expr {
    return this.fn("week");
  }
  /** The calendar date (a date; of a timestamp, in its zone). */
  date(): Expr {
    return this.fn("date");
  }
  /** Rounds down to the start of the year, quarter, month, ISO week, day, hour, minute or second. */
  truncate(unit: TruncateUnit): Expr {
    return this.fn("truncate", unit);
  }
  /** Text in a strftime format, e.g. `"%Y-%m-%d %H:%M"` (codes in docs/expressions.md). */
  strftime(format: string): Expr {
    return this.fn("strftime", format);
  }
  /** Time since 1970-01-01T00:00:00Z in whole units (int64, rounded down). */
  epoch(unit: EpochUnit = "s"): Expr {
    return this.fn("epoch", unit);
  }
  /** Whole days of a duration (int64, toward zero). */
  totalDays(): Expr {
    return this.fn("totalDays");
  }
  /** Whole hours of a duration (int64, toward zero). */
  totalHours(): Expr {
    return this.fn("totalHours");
  }
  /** Whole minutes of a duration (int64, toward zero). */
  totalMinutes(): Expr {
    return this.fn("totalMinutes");
  }
  /** Whole seconds of a duration (int64, toward zero). */
  totalSeconds(): Expr {
    return this.fn("totalSeconds");
  }
  /** Whole milliseconds of a duration (int64, toward zero). */
  totalMilliseconds(): Expr {
    return this.fn("totalMilliseconds");
  }
  private fn(fn: DtFn, ...args: LitValue[]): Expr {
    return new Expr({ kind: "dt", fn, arg: this.node, args });
  }
}

/** Text to a date or timestamp (`.str.toDate(format?)`, `.str.toTimestamp(format?)`). */
export function parseNode(fn: "toDate" | "toTimestamp", arg: ExprNode, format?: string): Expr {
  return new Expr({ kind: "dt", fn, arg, args: format === undefined ? [] : [format] });
}

/** The parts of an `interval({...})`. */
export interface IntervalParts {
  /** Calendar years (twelve months each; whole). */
  years?: number;
  /** Calendar months (whole; the day is clamped to the new month's end). */
  months?: number;
  /** Calendar days (whole). */
  days?: number;
  /** Elapsed hours. */
  hours?: number;
  /** Elapsed minutes. */
  minutes?: number;
  /** Elapsed seconds (fractions allowed). */
  seconds?: number;
  /** Elapsed milliseconds (fractions reach micro- and nanosecond timestamps). */
  ms?: number;
}

const PARTS = ["years", "months", "days", "hours", "minutes", "seconds", "ms"] as const;

/**
 * A calendar interval to add to or subtract from a date or timestamp:
 * `col("d").add(interval({ months: 1 }))`. Years and months are calendar months (the day is
 * clamped to the month's end: 2024-01-31 plus one month is 2024-02-29), days are calendar
 * days, and hours … ms are elapsed time.
 */
export function interval(parts: IntervalParts): Expr {
  for (const [k, v] of Object.entries(parts)) {
    if (!(PARTS as readonly string[]).includes(k)) {
      throw new TypeError(`interval(): unknown part "${k}"; use ${PARTS.join(", ")}.`);
    }
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new TypeError(`interval(): ${k} must be a finite number, got ${String(v)}.`);
    }
  }
  const whole = (k: "years" | "months" | "days") => {
    const v = parts[k] ?? 0;
    if (!Number.isInteger(v)) {
      throw new TypeError(
        `interval(): ${k} must be a whole number, got ${v}; use a smaller unit for fractions.`,
      );
    }
    return v;
  };
  const ms =
    (parts.hours ?? 0) * 3_600_000 +
    (parts.minutes ?? 0) * 60_000 +
    (parts.seconds ?? 0) * 1000 +
    (parts.ms ?? 0);
  return new Expr({
    kind: "interval",
    months: whole("years") * 12 + whole("months"),
    days: whole("days"),
    ms,
  });
}

/** `x + interval` / `x - interval` as the node the kernels compute (a shift of x). */
export function shiftNode(
  arg: ExprNode,
  iv: Extract<ExprNode, { kind: "interval" }>,
  sign: 1 | -1,
): ExprNode {
  return {
    kind: "dt",
    fn: "shift",
    arg,
    args: [sign * iv.months || 0, sign * iv.days || 0, sign * iv.ms || 0],
  };
}

/** How an interval prints: `interval(1 month 2 days)`. */
export function formatInterval(iv: { months: number; days: number; ms: number }): string {
  const parts: string[] = [];
  if (iv.months) parts.push(`${iv.months} month${Math.abs(iv.months) === 1 ? "" : "s"}`);
  if (iv.days) parts.push(`${iv.days} day${Math.abs(iv.days) === 1 ? "" : "s"}`);
  if (iv.ms || parts.length === 0) parts.push(`${iv.ms} ms`);
  return `interval(${parts.join(" ")})`;
}
