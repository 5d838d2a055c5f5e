// Regular expressions as expression arguments: JavaScript RegExp syntax, always with the `u`
// flag (or `v`), so `.` and classes match whole code points as the rest of `.str` counts them.
// Carried in the tree as (source, flags) strings so plans stay plain JSON.
import { PlanError } from "../types/plan-error.js";

/** Flags a pattern may carry; `g` and `y` are dropped (each function decides how it scans). */
const ALLOWED = new Set(["i", "m", "s", "u", "v", "d"]);

/** The (source, flags) pair for a pattern given as text or a RegExp; throws on a bad one. */
export function regexArgs(fn: string, regex: string | RegExp): [string, string] {
  let source: string;
  let given: string;
  if (regex instanceof RegExp) {
    source = regex.source;
    given = regex.flags;
  } else if (typeof regex === "string") {
    source = regex;
    given = "";
  } else {
    throw new PlanError(
      `.str.${fn}() takes a regular expression (a string or a RegExp), got ${String(regex)}.`,
    );
  }
  let flags = [...given].filter((f) => ALLOWED.has(f)).join("");
  if (!flags.includes("v") && !flags.includes("u")) flags += "u";
  checkRegex(fn, source, flags);
  return [source, flags];
}

/** Throws a PlanError naming the pattern when it does not compile. */
export function checkRegex(fn: string, source: string, flags: string): void {
  try {
    new RegExp(source, flags);
  } catch (err) {
    throw new PlanError(
      `.str.${fn}(${JSON.stringify(source)}): not a valid regular expression (JavaScript syntax with the "${flags}" flags): ${(err as Error).message}. Escape special characters with \\ to match them literally.`,
    );
  }
}

/** How many capture groups a pattern has. */
export function groupCount(source: string, flags: string): number {
  // An alternative that always matches the empty string: the match array has one slot per group.
  return new RegExp(`${source}|`, flags).exec("")!.length - 1;
}

/** True when the pattern is plain text (no metacharacter), so a byte search can answer it. */
export function isLiteralRegex(source: string, flags: string): boolean {
  return !flags.includes("i") && !/[\\^$.|?*+()[\]{}]/.test(source);
}
