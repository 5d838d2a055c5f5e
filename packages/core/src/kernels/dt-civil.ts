// Proleptic Gregorian calendar arithmetic on day numbers (days since 1970-01-01), after Howard
// Hinnant's civil_from_days / days_from_civil: integer operations only, valid for every day an
// Arrow date32 can hold, and no Date object per row.

export const MS_PER_DAY = 86_400_000;

/** Floor division for numbers that are integers (JS `%` and `/` round toward zero). */
export const floorDiv = (a: number, b: number): number => Math.floor(a / b);

/** The day number of year y, month m (1-12), day d (1-31); d may run past the month's end. */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * Year, month and day of a day number packed in one number, `y * 512 + m * 32 + d`, so the
 * hot loops allocate nothing; read it back with yearOf/monthOf/dayOf.
 */
export function civilFromDays(z: number): number {
  const zz = z + 719468;
  const era = Math.floor(zz / 146097);
  const doe = zz - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return y * 512 + m * 32 + d;
}

export const packedYear = (p: number): number => Math.floor(p / 512);
export const packedMonth = (p: number): number => (p - Math.floor(p / 512) * 512) >> 5;
export const packedDay = (p: number): number => (p - Math.floor(p / 512) * 512) & 31;

export const yearOfDays = (z: number): number => packedYear(civilFromDays(z));
export const monthOfDays = (z: number): number => packedMonth(civilFromDays(z));
export const dayOfDays = (z: number): number => packedDay(civilFromDays(z));

/** ISO weekday: Monday = 1 … Sunday = 7 (1970-01-01 was a Thursday). */
export function isoWeekday(z: number): number {
  return ((((z + 3) % 7) + 7) % 7) + 1;
}

/** Day of the year, 1 … 366. */
export function dayOfYear(z: number): number {
  return z - daysFromCivil(yearOfDays(z), 1, 1) + 1;
}

export const quarterOfDays = (z: number): number => ((monthOfDays(z) - 1) / 3 + 1) | 0;

/** The ISO 8601 week number, 1 … 53: the week (Monday first) holding the year's first Thursday is week 1. */
export function isoWeek(z: number): number {
  const thursday = z - isoWeekday(z) + 4;
  const y = yearOfDays(thursday);
  return Math.floor((thursday - daysFromCivil(y, 1, 1)) / 7) + 1;
}

/** The ISO week-numbering year (the year of the week's Thursday), for strftime's %G. */
export function isoYear(z: number): number {
  return yearOfDays(z - isoWeekday(z) + 4);
}

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

export function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeap(y) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/**
 * The day `months` calendar months after day z; a day past the new month's end becomes its
 * last day (2024-01-31 plus one month is 2024-02-29), as DuckDB and Postgres do.
 */
export function addMonths(z: number, months: number): number {
  if (months === 0) return z;
  const p = civilFromDays(z);
  const total = packedYear(p) * 12 + (packedMonth(p) - 1) + months;
  const y = Math.floor(total / 12);
  const m = total - y * 12 + 1;
  return daysFromCivil(y, m, Math.min(packedDay(p), daysInMonth(y, m)));
}

export type TruncUnit =
  | "year"
  | "quarter"
  | "month"
  | "week"
  | "day"
  | "hour"
  | "minute"
  | "second";
export const TRUNC_UNITS: readonly TruncUnit[] = [
  "year",
  "quarter",
  "month",
  "week",
  "day",
  "hour",
  "minute",
  "second",
];

/** The first day of z's year, quarter, month or ISO week (Monday); other units keep z. */
export function truncateDays(z: number, unit: TruncUnit): number {
  switch (unit) {
    case "year":
      return daysFromCivil(yearOfDays(z), 1, 1);
    case "quarter": {
      const p = civilFromDays(z);
      return daysFromCivil(packedYear(p), Math.floor((packedMonth(p) - 1) / 3) * 3 + 1, 1);
    }
    case "month": {
      const p = civilFromDays(z);
      return daysFromCivil(packedYear(p), packedMonth(p), 1);
    }
    case "week":
      return z - isoWeekday(z) + 1;
    default:
      return z;
  }
}

/** Milliseconds per unit below a day, for truncating the time of day. */
export const TIME_UNIT_MS: Partial<Record<TruncUnit, number>> = {
  hour: 3_600_000,
  minute: 60_000,
  second: 1000,
};
