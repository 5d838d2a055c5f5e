import { type DataType, type Int, type Time, type Timestamp, TimeUnit, Type } from "apache-arrow";

/** Returned by a text parser for a value it cannot read. */
export const INVALID: unique symbol = Symbol("invalid");
export type TextParser = (s: string) => unknown;

const INT_RANGE: Record<string, [number, number]> = {
  "8true": [-128, 127],
  "16true": [-32768, 32767],
  "32true": [-2147483648, 2147483647],
  "8false": [0, 255],
  "16false": [0, 65535],
  "32false": [0, 4294967295],
};

/** Whitespace at either end, which casts of numbers skip (as DuckDB's casts do). */
const EDGE_SPACE = /^\s|\s$/;

/**
 * Integer text: optional sign then digits, with whitespace at either end skipped. A number
 * when safe, else a bigint.
 */
export function parseInteger(s: string): number | bigint | typeof INVALID {
  const v = strictInteger(s);
  return v === INVALID && EDGE_SPACE.test(s) ? strictInteger(s.trim()) : v;
}

function strictInteger(s: string): number | bigint | typeof INVALID {
  const len = s.length;
  let i = 0;
  let c = s.charCodeAt(0);
  if (c === 45 || c === 43) i = 1;
  if (i === len) return INVALID;
  for (let k = i; k < len; k++) {
    c = s.charCodeAt(k);
    if (c < 48 || c > 57) return INVALID;
  }
  if (len - i <= 15) return Number(s);
  const b = BigInt(s);
  return b >= -9223372036854775808n && b <= 18446744073709551615n
    ? Number.isSafeInteger(Number(b))
      ? Number(b)
      : b
    : INVALID;
}

const SPECIAL_FLOATS: Record<string, number> = {
  nan: Number.NaN,
  "-nan": Number.NaN,
  "+nan": Number.NaN,
  inf: Number.POSITIVE_INFINITY,
  "+inf": Number.POSITIVE_INFINITY,
  "-inf": Number.NEGATIVE_INFINITY,
  infinity: Number.POSITIVE_INFINITY,
  "+infinity": Number.POSITIVE_INFINITY,
  "-infinity": Number.NEGATIVE_INFINITY,
};

const FLOAT_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Float text (digits, an exponent, nan, inf, infinity), with whitespace at either end skipped. */
export function parseFloatText(s: string): number | typeof INVALID {
  const v = strictFloat(s);
  return v === INVALID && EDGE_SPACE.test(s) ? strictFloat(s.trim()) : v;
}

function strictFloat(s: string): number | typeof INVALID {
  if (FLOAT_RE.test(s)) return Number(s);
  const special = SPECIAL_FLOATS[s.toLowerCase()];
  return special ?? INVALID;
}

/** true/false, t/f and yes/no in any case (the spellings DuckDB reads as booleans). */
export function parseBool(s: string): boolean | typeof INVALID {
  switch (s.toLowerCase()) {
    case "true":
    case "t":
    case "yes":
      return true;
    case "false":
    case "f":
    case "no":
      return false;
    default:
      return INVALID;
  }
}

// YYYY-MM-DD or YYYY/MM/DD; a zone as Z, +HH, +HHMM or +HH:MM (DuckDB writes +00).
const DATE_RE = /^(\d{4})([-/])(\d{2})\2(\d{2})$/;
const TS_RE =
  /^(\d{4})([-/])(\d{2})\2(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Date.UTC without its mapping of years 0-99 to 1900-1999. */
function utc(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  const date = new Date(Date.UTC(2000, mo, d, h, mi, s));
  date.setUTCFullYear(y);
  return date.getTime();
}

/** Days since the epoch for YYYY-MM-DD. */
export function parseDate(s: string): number | typeof INVALID {
  const m = DATE_RE.exec(s);
  if (!m) return INVALID;
  const ms = utc(+m[1]!, +m[3]! - 1, +m[4]!, 0, 0, 0);
  const d = new Date(ms);
  if (d.getUTCDate() !== +m[4]! || d.getUTCMonth() !== +m[3]! - 1) return INVALID;
  return ms / 86_400_000;
}

/** A parsed ISO timestamp: whole milliseconds, nanoseconds beyond them, whether it had a zone. */
export interface ParsedTimestamp {
  ms: number;
  subMsNanos: number;
  fractionDigits: number;
  zoned: boolean;
}

export function parseTimestampParts(s: string): ParsedTimestamp | typeof INVALID {
  const m = TS_RE.exec(s);
  if (!m) {
    const day = parseDate(s);
    return day === INVALID
      ? INVALID
      : { ms: day * 86_400_000, subMsNanos: 0, fractionDigits: 0, zoned: false };
  }
  const frac = m[8] ?? "";
  const nanos = frac ? Number(frac.padEnd(9, "0")) : 0;
  let ms =
    Date.UTC(+m[1]!, +m[3]! - 1, +m[4]!, +m[5]!, +m[6]!, m[7] ? +m[7] : 0) +
    Math.floor(nanos / 1e6);
  if (Number.isNaN(ms)) return INVALID;
  const zone = m[9];
  if (zone && zone !== "Z") {
    const sign = zone[0] === "-" ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return { ms, subMsNanos: nanos % 1e6, fractionDigits: frac.length, zoned: zone !== undefined };
}

/** The timestamp in `unit` as a safe number, or a bigint when it does not fit in one. */
export function timestampValue(p: ParsedTimestamp, unit: TimeUnit): number | bigint {
  switch (unit) {
    case TimeUnit.SECOND:
      return Math.floor(p.ms / 1000);
    case TimeUnit.MILLISECOND:
      return p.ms;
    case TimeUnit.MICROSECOND: {
      const v = p.ms * 1000 + Math.floor(p.subMsNanos / 1000);
      return Number.isSafeInteger(v)
        ? v
        : BigInt(p.ms) * 1000n + BigInt(Math.floor(p.subMsNanos / 1000));
    }
    default:
      return BigInt(p.ms) * 1_000_000n + BigInt(p.subMsNanos);
  }
}

const TIME_RE = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;

/**
 * A time of day `HH:MM:SS[.fraction]` (what DuckDB's sniffer reads as TIME) as nanoseconds
 * since midnight; `fractionDigits` says how many digits the fraction had.
 */
export function parseTime(s: string): { nanos: bigint; fractionDigits: number } | typeof INVALID {
  const m = TIME_RE.exec(s);
  if (!m) return INVALID;
  const h = Number(m[1]);
  const mi = Number(m[2]);
  const sec = Number(m[3]);
  if (h > 23 || mi > 59 || sec > 59) return INVALID;
  const frac = m[4] ?? "";
  const nanos =
    BigInt((h * 60 + mi) * 60 + sec) * 1_000_000_000n + BigInt(frac.padEnd(9, "0") || "0");
  return { nanos, fractionDigits: frac.length };
}

const NANOS_PER: Record<number, bigint> = {
  [TimeUnit.SECOND]: 1_000_000_000n,
  [TimeUnit.MILLISECOND]: 1_000_000n,
  [TimeUnit.MICROSECOND]: 1_000n,
  [TimeUnit.NANOSECOND]: 1n,
};

/** A parser from text to the value a builder for `type` appends; INVALID when it cannot. */
export function textParser(type: DataType): TextParser {
  switch (type.typeId) {
    case Type.Int: {
      const t = type as Int;
      if (t.bitWidth === 64) {
        return (s) => {
          const v = parseInteger(s);
          if (v === INVALID) return INVALID;
          if (t.isSigned ? v > 9223372036854775807n : v < 0) return INVALID;
          return v;
        };
      }
      const [lo, hi] = INT_RANGE[`${t.bitWidth}${t.isSigned}`]!;
      return (s) => {
        const v = parseInteger(s);
        return typeof v === "number" && v >= lo && v <= hi ? v : INVALID;
      };
    }
    case Type.Float:
      return parseFloatText;
    case Type.Bool:
      return (s) => {
        const b = parseBool(s);
        if (b !== INVALID) return b;
        return s === "1" ? true : s === "0" ? false : INVALID;
      };
    case Type.Utf8:
      return (s) => s;
    case Type.Date:
      return (s) => {
        const d = parseDate(s);
        if (d === INVALID || (type as unknown as { unit: number }).unit === 0) return d;
        return d * 86_400_000;
      };
    case Type.Time: {
      const t = type as Time;
      const per = NANOS_PER[t.unit]!;
      return (s) => {
        const p = parseTime(s);
        if (p === INVALID || p.nanos % per !== 0n) return INVALID;
        const v = p.nanos / per;
        return t.bitWidth === 64 ? v : Number(v);
      };
    }
    case Type.Timestamp: {
      const unit = (type as Timestamp).unit;
      return (s) => {
        const p = parseTimestampParts(s);
        return p === INVALID ? INVALID : timestampValue(p, unit);
      };
    }
    default:
      return () => INVALID;
  }
}
