// Time zone offsets for timestamps that carry a zone (Arrow's `timezone`): parts, truncation
// and strftime read the local wall clock. UTC and fixed offsets ("+05:30") are arithmetic;
// an IANA zone ("Europe/Berlin") asks Intl once per week of time touched, finds the exact
// instant of any change in that week by bisection, and caches it, so a column costs a map
// look-up per row, never an Intl call per row.

import { daysFromCivil } from "./dt-civil.js";

/** UTC offset in ms at a UTC instant (ms since the epoch). */
export type OffsetFn = (utcMs: number) => number;

const WEEK = 7 * 86_400_000;

const FIXED = /^([+-])(\d{2}):?(\d{2})$/;

/** Offset ms of a fixed-offset zone name, null for UTC, undefined for an IANA name. */
function fixedOffset(zone: string): number | null | undefined {
  const z = zone.trim();
  if (/^(utc|z|gmt|etc\/utc|etc\/gmt|etc\/universal|etc\/zulu|universal|zulu)$/i.test(z))
    return null;
  const m = FIXED.exec(z);
  if (!m) return undefined;
  const off = (Number(m[2]) * 60 + Number(m[3])) * 60_000;
  return m[1] === "-" ? -off : off;
}

/** Whether the zone name is one deft can compute offsets for (fixed, UTC, or known to Intl). */
export function isKnownZone(zone: string): boolean {
  if (fixedOffset(zone) !== undefined) return true;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** null means UTC (no shift); otherwise a function from UTC ms to the zone's offset ms. */
export function offsetFnOf(zone: string | null | undefined): OffsetFn | null {
  if (!zone) return null;
  const fixed = fixedOffset(zone);
  if (fixed === null) return null;
  if (fixed !== undefined) return () => fixed;
  let fn = ianaCache.get(zone);
  if (!fn) {
    fn = ianaOffsets(zone);
    ianaCache.set(zone, fn);
  }
  return fn;
}

const ianaCache = new Map<string, OffsetFn>();

/** A week of offsets: constant, or one change at `at` (from `before` to `after`). */
type WeekEntry = number | { at: number; before: number; after: number };

function ianaOffsets(zone: string): OffsetFn {
  const fmt = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
    era: "short",
  });
  // Intl's answer for one instant (whole seconds): local wall clock minus UTC.
  const exact = (ms: number): number => {
    const at = Math.floor(ms / 1000) * 1000;
    const p: Record<string, string> = {};
    for (const part of fmt.formatToParts(at)) p[part.type] = part.value;
    let y = Number(p.year);
    if (p.era === "BC" || p.era === "B") y = 1 - y;
    const local =
      daysFromCivil(y, Number(p.month), Number(p.day)) * 86_400_000 +
      ((Number(p.hour) * 60 + Number(p.minute)) * 60 + Number(p.second)) * 1000;
    return local - at;
  };
  const weeks = new Map<number, WeekEntry>();
  const entry = (w: number): WeekEntry => {
    let e = weeks.get(w);
    if (e !== undefined) return e;
    const start = w * WEEK;
    const end = start + WEEK - 1000;
    const before = exact(start);
    const after = exact(end);
    if (before === after) e = before;
    else {
      // The change happens in (lo, hi]: bisect to the second.
      let lo = start;
      let hi = end;
      while (hi - lo > 1000) {
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
        if (exact(mid) === before) lo = mid;
        else hi = mid;
      }
      e = { at: hi, before, after };
    }
    if (weeks.size > 100_000) weeks.clear();
    weeks.set(w, e);
    return e;
  };
  let lastWeek = Number.NaN;
  let lastEntry: WeekEntry = 0;
  return (utcMs: number): number => {
    const w = Math.floor(utcMs / WEEK);
    if (w !== lastWeek) {
      lastEntry = entry(w);
      lastWeek = w;
    }
    const e = lastEntry;
    if (typeof e === "number") return e;
    return utcMs < e.at ? e.before : e.after;
  };
}

/**
 * The UTC instant of a local wall-clock time. A time skipped by a change (spring forward)
 * maps past the gap; a repeated one (fall back) to its first occurrence, as most engines do.
 */
export function localToUtc(localMs: number, off: OffsetFn | null): number {
  if (!off) return localMs;
  const first = localMs - off(localMs);
  const second = localMs - off(first);
  if (first === second) return first;
  // At a change the two guesses differ: take the earlier instant that reads as this local time.
  const a = Math.min(first, second);
  return a + off(a) === localMs ? a : Math.max(first, second);
}
