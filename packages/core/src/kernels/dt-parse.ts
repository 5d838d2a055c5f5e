// Text to dates and timestamps: `.str.toDate(format?)` and `.str.toTimestamp(format?)`. A format
// uses strftime's codes; without one the text must be ISO 8601. The parsers return null for
// text that does not fit, and the kernel turns that into an error naming the row.
import { daysFromCivil, daysInMonth, MS_PER_DAY } from "./dt-civil.js";
import { compileFormat } from "./dt-format.js";

interface Parts {
  y: number;
  m: number;
  d: number;
  doy: number;
  h: number;
  mi: number;
  s: number;
  ns: number;
  pm: number; // -1 none, 0 AM, 1 PM
  offMs: number;
}

type Reader = (s: string, at: number, p: Parts) => number; // new position, or -1

const digits =
  (max: number, set: (p: Parts, v: number, len: number) => void, signed = false): Reader =>
  (s, at, p) => {
    let i = at;
    let neg = false;
    if (signed && (s[i] === "-" || s[i] === "+")) neg = s[i++] === "-";
    const start = i;
    let v = 0;
    while (i < s.length && i - start < max) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      v = v * 10 + c;
      i++;
    }
    if (i === start) return -1;
    set(p, neg ? -v : v, i - start);
    return i;
  };

const MONTH_NAMES = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];
const DAY_NAMES = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/** Matches a full name or its first three letters, case-insensitively. */
const names =
  (list: string[], set: (p: Parts, index: number) => void): Reader =>
  (s, at, p) => {
    const rest = s.slice(at, at + 9).toLowerCase();
    for (let k = 0; k < list.length; k++) {
      const full = list[k]!;
      const len = rest.startsWith(full) ? full.length : rest.startsWith(full.slice(0, 3)) ? 3 : 0;
      if (len) {
        set(p, k);
        return at + len;
      }
    }
    return -1;
  };

const offset: Reader = (s, at, p) => {
  if (s[at] === "Z" || s[at] === "z") {
    p.offMs = 0;
    return at + 1;
  }
  const m = /^([+-])(\d{2})(?::?(\d{2}))?/.exec(s.slice(at, at + 6));
  if (!m) return -1;
  const ms = (Number(m[2]) * 60 + Number(m[3] ?? 0)) * 60_000;
  p.offMs = m[1] === "-" ? -ms : ms;
  return at + m[0].length;
};

/** Every code the parsers understand. */
export const PARSE_CODES: Record<string, Reader> = {
  Y: digits(4, (p, v) => (p.y = v), true),
  y: digits(2, (p, v) => (p.y = v < 69 ? 2000 + v : 1900 + v)),
  m: digits(2, (p, v) => (p.m = v)),
  d: digits(2, (p, v) => (p.d = v)),
  e: (s, at, p) => PARSE_CODES.d!(s, s[at] === " " ? at + 1 : at, p),
  j: digits(3, (p, v) => (p.doy = v)),
  H: digits(2, (p, v) => (p.h = v)),
  I: digits(2, (p, v) => (p.h = v)),
  M: digits(2, (p, v) => (p.mi = v)),
  S: digits(2, (p, v) => (p.s = v)),
  f: digits(9, (p, v, len) => (p.ns = v * 10 ** (9 - len))),
  g: digits(3, (p, v, len) => (p.ns = v * 10 ** (9 - len))),
  n: digits(9, (p, v, len) => (p.ns = v * 10 ** (9 - len))),
  b: names(MONTH_NAMES, (p, k) => (p.m = k + 1)),
  B: names(MONTH_NAMES, (p, k) => (p.m = k + 1)),
  a: names(DAY_NAMES, () => {}),
  A: names(DAY_NAMES, () => {}),
  p: (s, at, p) => {
    const t = s.slice(at, at + 2).toUpperCase();
    if (t !== "AM" && t !== "PM") return -1;
    p.pm = t === "PM" ? 1 : 0;
    return at + 2;
  },
  z: offset,
};

const ISO =
  /^([+-]?\d{4,6})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Checks a format at plan time (throws naming an unknown code). */
export function checkParseFormat(format: string): void {
  compileFormat(format, PARSE_CODES);
}

/**
 * A parser from text to the day number (`date`) or to microseconds since the epoch
 * (`timestamp`); null where the text does not fit. An offset (%z, or "Z"/"+01:00" in ISO
 * text) converts the time to UTC.
 */
export function parser(
  format: string | undefined,
  target: "date" | "timestamp",
): (s: string) => number | bigint | null {
  const p: Parts = { y: 1970, m: 1, d: 1, doy: 0, h: 0, mi: 0, s: 0, ns: 0, pm: -1, offMs: 0 };
  const reset = () => {
    p.y = 1970;
    p.m = 1;
    p.d = 1;
    p.doy = 0;
    p.h = 0;
    p.mi = 0;
    p.s = 0;
    p.ns = 0;
    p.pm = -1;
    p.offMs = 0;
  };
  let read: (s: string) => boolean;
  if (format === undefined) {
    read = (s) => {
      const m = ISO.exec(s);
      if (!m || (target === "date" && m[4] !== undefined)) return false;
      p.y = Number(m[1]);
      p.m = Number(m[2]);
      p.d = Number(m[3]);
      if (m[4] !== undefined) {
        p.h = Number(m[4]);
        p.mi = Number(m[5]);
        p.s = m[6] === undefined ? 0 : Number(m[6]);
        p.ns = m[7] === undefined ? 0 : Number(m[7]) * 10 ** (9 - m[7].length);
      }
      if (m[8] !== undefined && offset(m[8], 0, p) < 0) return false;
      return true;
    };
  } else {
    const pieces = compileFormat(format, PARSE_CODES).map((x) =>
      typeof x === "string" ? x : PARSE_CODES[x.code]!,
    );
    read = (s) => {
      let at = 0;
      for (const piece of pieces) {
        if (typeof piece === "string") {
          if (!s.startsWith(piece, at)) return false;
          at += piece.length;
        } else {
          at = piece(s, at, p);
          if (at < 0) return false;
        }
      }
      return at === s.length;
    };
  }
  return (text) => {
    reset();
    if (!read(text.trim())) return null;
    if (p.pm >= 0) {
      if (p.h < 1 || p.h > 12) return null;
      p.h = (p.h % 12) + (p.pm ? 12 : 0);
    }
    if (p.m < 1 || p.m > 12 || p.h > 23 || p.mi > 59 || p.s > 59) return null;
    let days: number;
    if (p.doy) {
      const first = daysFromCivil(p.y, 1, 1);
      days = first + p.doy - 1;
      if (p.doy > daysFromCivil(p.y + 1, 1, 1) - first) return null;
    } else {
      if (p.d < 1 || p.d > daysInMonth(p.y, p.m)) return null;
      days = daysFromCivil(p.y, p.m, p.d);
    }
    if (target === "date") return days;
    const ms = days * MS_PER_DAY + ((p.h * 60 + p.mi) * 60 + p.s) * 1000 - p.offMs;
    return BigInt(ms) * 1000n + BigInt(Math.floor(p.ns / 1000));
  };
}
