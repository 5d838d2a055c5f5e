// One function per (.dt function, input type) from a stored date or timestamp value to the
// result's stored value. The generated loops call them per row (as a constant), so a date part
// fuses with the arithmetic and comparisons around it. Integer arithmetic on the day number or
// epoch value only; a timestamp with a zone is read on that zone's wall clock.
import { type DataType, type Timestamp, Type } from "apache-arrow";
import type { DtFn, LitValue } from "../expr/ast.js";
import {
  addMonths,
  dayOfDays,
  dayOfYear,
  isoWeek,
  isoWeekday,
  MS_PER_DAY,
  monthOfDays,
  quarterOfDays,
  TIME_UNIT_MS,
  type TruncUnit,
  truncateDays,
  yearOfDays,
} from "./dt-civil.js";
import { localToUtc, type OffsetFn, offsetFnOf } from "./dt-zone.js";

export type Stored = number | bigint;
type Scalar = (v: Stored) => Stored;

const SAFE = 2 ** 53;

/** floor(x / d) for integers x (exact also where x / d rounds up to an integer). */
export function fdiv(x: number, d: number): number {
  const q = Math.floor(x / d);
  const r = x - q * d;
  return r < 0 ? q - 1 : r >= d ? q + 1 : q;
}

export function floorBig(v: bigint, d: bigint): bigint {
  const q = v / d;
  return v % d < 0n ? q - 1n : q;
}

/** Stored units per millisecond of a timestamp, date64 or duration (s = 1e-3 … ns = 1e6). */
export function unitsPerMs(t: DataType): number {
  if (t.typeId === Type.Date) return 1;
  return [1e-3, 1, 1e3, 1e6][(t as Timestamp).unit]!;
}

export const isDate32 = (t: DataType): boolean =>
  t.typeId === Type.Date && (t as unknown as { unit: number }).unit === 0;

/** The zone a value's wall clock is read in (null: UTC, also for zone-less timestamps). */
export function zoneOf(t: DataType): OffsetFn | null {
  return t.typeId === Type.Timestamp ? offsetFnOf((t as Timestamp).timezone) : null;
}

/** Whole ms since the epoch (floored) of a bigint in `t`'s unit. */
export function msReader(t: DataType): (v: bigint) => number {
  const per = unitsPerMs(t);
  if (per <= 1) {
    const f = 1 / per;
    return (v) => Number(v) * f;
  }
  const big = BigInt(per);
  return (v) => {
    const x = Number(v);
    return x > -SAFE && x < SAFE ? fdiv(x, per) : Number(floorBig(v, big));
  };
}

/** A whole number of ms (a multiple of 1000 for seconds) back to `t`'s stored bigint. */
export function msWriter(t: DataType): (ms: number) => bigint {
  const per = unitsPerMs(t);
  if (per < 1) return (ms) => BigInt(fdiv(ms, 1000));
  if (per === 1) return (ms) => BigInt(ms);
  const big = BigInt(per);
  return (ms) => BigInt(ms) * big;
}

/** Local wall-clock ms of a stored date64/timestamp value. */
export function localMsReader(t: DataType): (v: bigint) => number {
  const ms = msReader(t);
  const off = zoneOf(t);
  if (!off) return ms;
  return (v) => {
    const u = ms(v);
    return u + off(u);
  };
}

/** Local day number (days since 1970-01-01) of any date or timestamp value. */
export function localDays(t: DataType): (v: Stored) => number {
  if (isDate32(t)) return (v) => v as number;
  const local = localMsReader(t);
  return (v) => fdiv(local(v as bigint), MS_PER_DAY);
}

/** Local ms since midnight (0 for a date32). */
function localTimeOfDay(t: DataType): (v: Stored) => number {
  if (isDate32(t)) return () => 0;
  const local = localMsReader(t);
  return (v) => {
    const ms = local(v as bigint);
    return ms - fdiv(ms, MS_PER_DAY) * MS_PER_DAY;
  };
}

const DAY_PARTS: Partial<Record<DtFn, (z: number) => number>> = {
  year: yearOfDays,
  month: monthOfDays,
  day: dayOfDays,
  weekday: isoWeekday,
  dayOfYear,
  quarter: quarterOfDays,
  week: isoWeek,
  date: (z) => z,
};

const TIME_PARTS: Partial<Record<DtFn, (tod: number) => number>> = {
  hour: (tod) => Math.floor(tod / 3_600_000),
  minute: (tod) => Math.floor(tod / 60_000) % 60,
  second: (tod) => Math.floor(tod / 1000) % 60,
  millisecond: (tod) => tod % 1000,
};

const EPOCH_PER_SECOND: Record<string, bigint> = {
  s: 1n,
  ms: 1000n,
  us: 1_000_000n,
  ns: 1_000_000_000n,
};
const DURATION_MS: Partial<Record<DtFn, number>> = {
  totalDays: MS_PER_DAY,
  totalHours: 3_600_000,
  totalMinutes: 60_000,
  totalSeconds: 1000,
  totalMilliseconds: 1,
};

/** The per-row function of a loop-computed `.dt` node over stored values of `arg`. */
export function dtScalar(fn: DtFn, args: LitValue[], arg: DataType, out: DataType): Scalar {
  const day = DAY_PARTS[fn];
  if (day) {
    const days = localDays(arg);
    return (v) => day(days(v));
  }
  const time = TIME_PARTS[fn];
  if (time) {
    const tod = localTimeOfDay(arg);
    return (v) => time(tod(v));
  }
  const toMs = DURATION_MS[fn];
  if (toMs !== undefined) return durationTotal(arg, toMs);
  switch (fn) {
    case "epoch":
      return epochOf(arg, EPOCH_PER_SECOND[String(args[0])]!);
    case "truncate":
      return truncator(arg, args[0] as TruncUnit);
    case "shift":
      return shifter(arg, out, Number(args[0]), Number(args[1]), Number(args[2]));
    default:
      throw new Error(`internal: .dt.${fn}() is not a loop function`);
  }
}

function durationTotal(arg: DataType, msPer: number): Scalar {
  const per = unitsPerMs(arg) * msPer; // stored units per result unit
  if (per >= 1) {
    const big = BigInt(per);
    return (v) => (v as bigint) / big; // truncates toward zero, as Polars' total_* do
  }
  const mul = BigInt(Math.round(1 / per));
  return (v) => (v as bigint) * mul;
}

function epochOf(arg: DataType, perSecond: bigint): Scalar {
  if (isDate32(arg)) {
    const perDay = perSecond * 86_400n;
    return (v) => BigInt(v as number) * perDay;
  }
  // From the stored unit (units per second) to the asked one: scale up, or floor down.
  const stored = BigInt(Math.round(unitsPerMs(arg) * 1000)); // stored units per second
  const target = perSecond;
  if (target >= stored) {
    const f = target / stored;
    return (v) => (v as bigint) * f;
  }
  const d = stored / target;
  return (v) => floorBig(v as bigint, d);
}

function truncator(arg: DataType, unit: TruncUnit): Scalar {
  if (isDate32(arg)) return (v) => truncateDays(v as number, unit);
  const local = localMsReader(arg);
  const off = zoneOf(arg);
  const write = msWriter(arg);
  const step = TIME_UNIT_MS[unit];
  return (v) => {
    const ms = local(v as bigint);
    const z = fdiv(ms, MS_PER_DAY);
    const out =
      step === undefined
        ? truncateDays(z, unit) * MS_PER_DAY
        : z * MS_PER_DAY + fdiv(ms - z * MS_PER_DAY, step) * step;
    return write(localToUtc(out, off));
  };
}

/**
 * Adds an interval: calendar months (the day clamped to the month's end), then days, on the
 * local calendar; then the fixed part (hours … ms) as elapsed time.
 */
function shifter(arg: DataType, out: DataType, months: number, days: number, ms: number): Scalar {
  if (isDate32(arg)) {
    if (isDate32(out)) return (v) => addMonths(v as number, months) + days;
    const fixed = Math.trunc(ms);
    return (v) => BigInt((addMonths(v as number, months) + days) * MS_PER_DAY + fixed);
  }
  const per = unitsPerMs(arg);
  const fixed = BigInt(Math.trunc(ms * per));
  if (months === 0 && days === 0) return (v) => (v as bigint) + fixed;
  const read = msReader(arg);
  const off = zoneOf(arg);
  const perBig = per >= 1 ? BigInt(per) : 0n;
  return (v) => {
    const utc = read(v as bigint);
    const local = off ? utc + off(utc) : utc;
    const z = fdiv(local, MS_PER_DAY);
    const moved = (addMonths(z, months) + days - z) * MS_PER_DAY + local;
    const delta = localToUtc(moved, off) - utc;
    const step = per >= 1 ? BigInt(delta) * perBig : BigInt(fdiv(delta, 1000));
    return (v as bigint) + step + fixed;
  };
}
