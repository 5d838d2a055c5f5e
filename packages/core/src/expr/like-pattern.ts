// SQL LIKE patterns as data: the literal runs and `_` wildcards between the `%`s. Shared by the
// expression methods (which reject a bad pattern at the call) and the byte-level kernel.
import { PlanError } from "../types/plan-error.js";

/** A literal run of text, or `n` consecutive `_` (each one code point). */
export type LikeAtom = { lit: string } | { any: number };

/**
 * A pattern `P0 % P1 % … % Pk`: `parts` are the P's. With no `%` at all there is one part that
 * must cover the whole string (`exact`). Otherwise the first part is anchored at the start and
 * the last at the end, and the parts between them are searched for left to right (an empty
 * first or last part is what a leading or trailing `%` gives).
 */
export interface LikePattern {
  parts: LikeAtom[][];
  exact: boolean;
}

/**
 * Parses `pattern`; `escape` (one character, none by default as in DuckDB) makes the next
 * character literal, `%` and `_` included. A pattern may not end with its escape character.
 */
export function parseLike(pattern: string, esc?: string): LikePattern {
  if (esc !== undefined && Array.from(esc).length !== 1) {
    throw new PlanError(
      `like(${JSON.stringify(pattern)}): the escape must be one character, got ${JSON.stringify(esc)}.`,
    );
  }
  const parts: LikeAtom[][] = [[]];
  let cur = parts[0]!;
  let lit = "";
  const flush = () => {
    if (lit) cur.push({ lit });
    lit = "";
  };
  const chars = Array.from(pattern);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === esc) {
      const next = chars[++i];
      if (next === undefined) {
        throw new PlanError(
          `like(${JSON.stringify(pattern)}): the pattern ends with its escape character ${JSON.stringify(esc)}; double it to match it literally.`,
        );
      }
      lit += next;
    } else if (c === "%") {
      flush();
      cur = [];
      parts.push(cur);
    } else if (c === "_") {
      flush();
      const last = cur[cur.length - 1];
      if (last && "any" in last) last.any++;
      else cur.push({ any: 1 });
    } else lit += c;
  }
  flush();
  // `a%%b` is `a%b`: drop empty parts between two `%`s (never the first or the last).
  const kept = parts.filter((p, i) => p.length > 0 || i === 0 || i === parts.length - 1);
  return { parts: kept, exact: kept.length === 1 };
}

/** Lower-cases one code point at a time, keeping each a single code point (İ -> i, K -> k). */
export function foldCodePoints(s: string): string {
  let out = "";
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp < 128) {
      out += cp >= 65 && cp <= 90 ? String.fromCharCode(cp + 32) : ch;
      continue;
    }
    const lower = ch.toLowerCase();
    out += String.fromCodePoint(lower.codePointAt(0)!);
  }
  return out;
}
