// strftime-style formatting of dates and timestamps, and their ISO 8601 text for
// cast("utf8"), from the day number and time of day (integer arithmetic, no Date per row).
import { type DataType, type Timestamp, Type } from "apache-arrow";
import {
  civilFromDays,
  dayOfYear,
  isoWeek,
  isoWeekday,
  isoYear,
  MS_PER_DAY,
  packedDay,
  packedMonth,
  packedYear,
} from "./dt-civil.js";
import { fdiv, floorBig, isDate32, msReader, type Stored, zoneOf } from "./dt-parts.js";

/** What one row's formatting reads; filled once per row, then read by every code. */
interface Fields {
  days: number;
  packed: number;
  tod: number; // ms since local midnight
  nanos: number; // ns within the second
  offsetMs: number;
}

type Piece = string | ((f: Fields) => string);

const pad = (n: number, w: number): string => {
  const s = String(Math.abs(n));
  const p = s.length >= w ? s : "0".repeat(w - s.length) + s;
  return n < 0 ? `-${p}` : p;
};

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

const offsetText = (ms: number, colon: boolean): string => {
  const m = Math.round(Math.abs(ms) / 60_000);
  return `${ms < 0 ? "-" : "+"}${pad(Math.floor(m / 60), 2)}${colon ? ":" : ""}${pad(m % 60, 2)}`;
};

/** Every code strftime understands, with what it prints (the docs table follows this). */
export const FORMAT_CODES: Record<string, (f: Fields) => string> = {
  Y: (f) => pad(packedYear(f.packed), 4),
  y: (f) => pad(((packedYear(f.packed) % 100) + 100) % 100, 2),
  m: (f) => pad(packedMonth(f.packed), 2),
  d: (f) => pad(packedDay(f.packed), 2),
  e: (f) => String(packedDay(f.packed)).padStart(2, " "),
  j: (f) => pad(dayOfYear(f.days), 3),
  H: (f) => pad(Math.floor(f.tod / 3_600_000), 2),
  I: (f) => pad(((Math.floor(f.tod / 3_600_000) + 11) % 12) + 1, 2),
  p: (f) => (f.tod < 43_200_000 ? "AM" : "PM"),
  M: (f) => pad(Math.floor(f.tod / 60_000) % 60, 2),
  S: (f) => pad(Math.floor(f.tod / 1000) % 60, 2),
  g: (f) => pad(Math.floor(f.nanos / 1_000_000), 3),
  f: (f) => pad(Math.floor(f.nanos / 1000), 6),
  n: (f) => pad(f.nanos, 9),
  a: (f) => WEEKDAYS[isoWeekday(f.days) - 1]!.slice(0, 3),
  A: (f) => WEEKDAYS[isoWeekday(f.days) - 1]!,
  b: (f) => MONTHS[packedMonth(f.packed) - 1]!.slice(0, 3),
  B: (f) => MONTHS[packedMonth(f.packed) - 1]!,
  u: (f) => String(isoWeekday(f.days)),
  w: (f) => String(isoWeekday(f.days) % 7),
  V: (f) => pad(isoWeek(f.days), 2),
  G: (f) => pad(isoYear(f.days), 4),
  z: (f) => offsetText(f.offsetMs, false),
};
const EXPAND: Record<string, string> = { F: "%Y-%m-%d", T: "%H:%M:%S", D: "%m/%d/%y", R: "%H:%M" };

/** Splits a format into literal text and codes; throws naming an unknown code. */
export function compileFormat(
  format: string,
  codes: Record<string, unknown>,
): (string | { code: string })[] {
  const out: (string | { code: string })[] = [];
  let text = "";
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c !== "%") {
      text += c;
      continue;
    }
    const code = format[++i];
    if (code === "%") {
      text += "%";
      continue;
    }
    if (code !== undefined && EXPAND[code]) {
      if (text) out.push(text);
      text = "";
      out.push(...compileFormat(EXPAND[code]!, codes));
      continue;
    }
    if (code === undefined || !(code in codes)) {
      throw new TypeError(
        `format ${JSON.stringify(format)}: ${code === undefined ? "a lone % at the end" : `%${code} is not a known code`}. Known: ${[
          ...Object.keys(codes),
          ...Object.keys(EXPAND),
        ]
          .map((k) => `%${k}`)
          .join(" ")} and %% for a percent sign.`,
      );
    }
    if (text) out.push(text);
    text = "";
    out.push({ code });
  }
  if (text) out.push(text);
  return out;
}

/** A per-row formatter of stored values of `type` to text. */
export function formatter(type: DataType, format: string): (v: Stored) => string {
  const pieces: Piece[] = compileFormat(format, FORMAT_CODES).map((p) =>
    typeof p === "string" ? p : FORMAT_CODES[p.code]!,
  );
  const f: Fields = { days: 0, packed: 0, tod: 0, nanos: 0, offsetMs: 0 };
  const fill = fieldReader(type, f);
  return (v) => {
    fill(v);
    let s = "";
    for (const p of pieces) s += typeof p === "string" ? p : p(f);
    return s;
  };
}

function fieldReader(type: DataType, f: Fields): (v: Stored) => void {
  if (isDate32(type)) {
    return (v) => {
      f.days = v as number;
      f.packed = civilFromDays(f.days);
    };
  }
  const read = msReader(type);
  const off = zoneOf(type);
  const unit = type.typeId === Type.Timestamp ? (type as Timestamp).unit : 1;
  const nanosOf =
    unit === 2
      ? (v: bigint) => Number(v - floorBig(v, 1_000_000n) * 1_000_000n) * 1000
      : unit === 3
        ? (v: bigint) => Number(v - floorBig(v, 1_000_000_000n) * 1_000_000_000n)
        : null;
  return (v) => {
    const utc = read(v as bigint);
    f.offsetMs = off ? off(utc) : 0;
    const ms = utc + f.offsetMs;
    f.days = fdiv(ms, MS_PER_DAY);
    f.packed = civilFromDays(f.days);
    f.tod = ms - f.days * MS_PER_DAY;
    f.nanos = nanosOf ? nanosOf(v as bigint) : (f.tod % 1000) * 1_000_000;
  };
}

/**
 * The ISO 8601 text of a value of `type`: "1995-03-01" for dates; "1995-03-01T12:00:00.000"
 * for timestamps, with as many fraction digits as the unit holds, and "Z" or "+05:30" only
 * when the type carries a zone (a zone-less timestamp is wall-clock time, not UTC).
 */
export function isoFormatOf(type: DataType): string {
  if (type.typeId === Type.Date) return "%Y-%m-%d";
  const t = type as Timestamp;
  const frac = ["", ".%g", ".%f", ".%n"][t.unit]!;
  const zone = !t.timezone ? "" : zoneOf(t) ? "%:z" : "Z";
  return `%Y-%m-%dT%H:%M:%S${frac}${zone}`;
}

/** A formatter for isoFormatOf (which uses %:z, the offset with a colon). */
export function isoFormatter(type: DataType): (v: Stored) => string {
  const format = isoFormatOf(type);
  if (!format.endsWith("%:z")) return formatter(type, format);
  const body = formatter(type, format.slice(0, -3));
  const read = msReader(type);
  const off = zoneOf(type)!;
  return (v) => body(v) + offsetText(off(read(v as bigint)), true);
}
