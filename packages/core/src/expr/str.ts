import { PlanError } from "../types/plan-error.js";
import type { ExprNode, LitValue, StrFn } from "./ast.js";
import { parseNode } from "./dt.js";
import { Expr, type ExprLike, toNode } from "./expr.js";
import { parseLike } from "./like-pattern.js";
import { groupCount, regexArgs } from "./regex.js";

/** Options of `like` / `ilike`. */
export interface LikeOptions {
  /** A character that makes the next one literal (`%`, `_` or itself); none by default. */
  escape?: string;
}

/** Options of `.str.replace`. */
export interface ReplaceOptions {
  /** `pattern` is a regular expression (implied when it is a RegExp); default false. */
  regex?: boolean;
  /** Replace every occurrence (default) or only the first. */
  all?: boolean;
}

/** Options of `.str.split`. */
export interface SplitOptions {
  /** `separator` is a regular expression (implied when it is a RegExp); default false. */
  regex?: boolean;
}

/** `.str` functions on a utf8 expression. Null in, null out. */
export class StrNamespace {
  constructor(private readonly node: ExprNode) {}
  /** Length in characters (Unicode code points), like Polars' `len_chars`. */
  length(): Expr {
    return this.fn("length");
  }
  /** Lower-cased (JavaScript `toLowerCase`, locale-independent). */
  lower(): Expr {
    return this.fn("lower");
  }
  /** Upper-cased (JavaScript `toUpperCase`, locale-independent). */
  upper(): Expr {
    return this.fn("upper");
  }
  /** True when the value contains `substring` (a plain string, not a regex; case-sensitive). */
  contains(substring: string): Expr {
    return this.fn("contains", substring);
  }
  /** True when the value starts with `prefix` (case-sensitive). */
  startsWith(prefix: string): Expr {
    return this.fn("startsWith", prefix);
  }
  /** True when the value ends with `suffix` (case-sensitive). */
  endsWith(suffix: string): Expr {
    return this.fn("endsWith", suffix);
  }
  /**
   * Replaces every occurrence of `pattern` with `replacement` (`{ all: false }`: the first
   * only). `pattern` is plain text unless `{ regex: true }` or a RegExp is given; then
   * `replacement` may refer to groups as JavaScript does (`$1`, `$<name>`, `$&`, `$$`), while a
   * plain-text replacement is always taken literally.
   */
  replace(pattern: string | RegExp, replacement: string, options: ReplaceOptions = {}): Expr {
    const all = options.all ?? true;
    if (pattern instanceof RegExp || options.regex) {
      const [source, flags] = regexArgs("replace", pattern);
      return this.fn("replace", source, replacement, all, flags);
    }
    // The two-argument form is what plans held before the options existed.
    return all
      ? this.fn("replace", pattern, replacement)
      : this.fn("replace", pattern, replacement, false, null);
  }
  /**
   * Splits into `list<utf8>` at each `separator`: plain text, or a regular expression with
   * `{ regex: true }` or a RegExp (capture groups are not spliced into the parts). An empty
   * plain separator splits into characters.
   */
  split(separator: string | RegExp, options: SplitOptions = {}): Expr {
    if (separator instanceof RegExp || options.regex) {
      return this.fn("split", ...regexArgs("split", separator));
    }
    return this.fn("split", separator);
  }
  /**
   * SQL LIKE: `%` matches any run of characters, `_` exactly one character (code point); the
   * whole value must match. Case-sensitive; `{ escape: "\\" }` makes `\%` a literal `%`.
   */
  like(pattern: string, options: LikeOptions = {}): Expr {
    return this.likeFn("like", pattern, options);
  }
  /** SQL ILIKE: LIKE ignoring case (each character lower-cased, Unicode included). */
  ilike(pattern: string, options: LikeOptions = {}): Expr {
    return this.likeFn("ilike", pattern, options);
  }
  /** True when the regular expression matches anywhere in the value (JavaScript syntax). */
  matches(regex: string | RegExp): Expr {
    return this.fn("matches", ...regexArgs("matches", regex));
  }
  /** Capture group `group` (0: the whole match) of the first match; null when none matches. */
  extract(regex: string | RegExp, group = 1): Expr {
    const [source, flags] = regexArgs("extract", regex);
    const groups = groupCount(source, flags);
    if (!Number.isInteger(group) || group < 0 || group > groups) {
      throw new PlanError(
        `.str.extract(${JSON.stringify(source)}, ${group}): the group must be an integer from 0 (the whole match) to ${groups} (the pattern's capture groups).`,
      );
    }
    return this.fn("extract", source, flags, group);
  }
  /** Every non-overlapping match (the whole match) as `list<utf8>`; an empty list when none. */
  extractAll(regex: string | RegExp): Expr {
    return this.fn("extractAll", ...regexArgs("extractAll", regex));
  }
  /** The number of non-overlapping matches (int32). */
  countMatches(regex: string | RegExp): Expr {
    return this.fn("countMatches", ...regexArgs("countMatches", regex));
  }
  /** Characters from `start` (negative counts from the end), `length` of them (default: to the end). */
  slice(start: number, length?: number): Expr {
    return length === undefined ? this.fn("slice", start) : this.fn("slice", start, length);
  }
  /** Removes leading and trailing whitespace. */
  strip(): Expr {
    return this.fn("strip");
  }
  /**
   * This value followed by `others` (expressions or literals), null when any is null (as
   * SQL's `||`); `concatStr` joins with a separator or skips nulls. Non-string values are
   * converted as `.cast("utf8")` converts them.
   */
  concat(...others: ExprLike[]): Expr {
    return new Expr({
      kind: "concatStr",
      args: [this.node, ...others.map(toNode)],
      separator: "",
      ignoreNulls: false,
    });
  }
  /** Padded on the left to `width` characters with `fill` (default a space); longer values are kept whole. */
  padStart(width: number, fill = " "): Expr {
    return this.fn("padStart", width, fill);
  }
  /** Padded on the right to `width` characters with `fill` (default a space); longer values are kept whole. */
  padEnd(width: number, fill = " "): Expr {
    return this.fn("padEnd", width, fill);
  }
  /** The value repeated `times` times (0: the empty string). */
  repeat(times: number): Expr {
    return this.fn("repeat", times);
  }
  /** The characters in reverse order (user-perceived characters: an accent or flag stays whole). */
  reverse(): Expr {
    return this.fn("reverse");
  }
  /**
   * Where `substring` (plain text) first occurs, as a 0-based character index (what `slice`
   * takes); null when it does not occur.
   */
  find(substring: string): Expr {
    return this.fn("find", substring);
  }
  /** Removes leading whitespace. */
  lstrip(): Expr {
    return this.fn("lstrip");
  }
  /** Removes trailing whitespace. */
  rstrip(): Expr {
    return this.fn("rstrip");
  }
  /** The first character upper-cased and the rest lower-cased. */
  capitalize(): Expr {
    return this.fn("capitalize");
  }
  /** The UTF-8 bytes as a binary value (no copy). */
  toBytes(): Expr {
    return this.fn("toBytes");
  }
  private likeFn(fn: "like" | "ilike", pattern: string, options: LikeOptions): Expr {
    if (typeof pattern !== "string") {
      throw new PlanError(`.str.${fn}() takes the pattern as a string, got ${String(pattern)}.`);
    }
    parseLike(pattern, options.escape);
    return options.escape === undefined
      ? this.fn(fn, pattern)
      : this.fn(fn, pattern, options.escape);
  }
  /** Parses text as a date: ISO 8601 ("2024-01-31"), or in a strftime `format` ("%d/%m/%Y"). */
  toDate(format?: string): Expr {
    return parseNode("toDate", this.node, format);
  }
  /** Parses text as a timestamp[us]: ISO 8601, or in a strftime `format`; an offset converts to UTC. */
  toTimestamp(format?: string): Expr {
    return parseNode("toTimestamp", this.node, format);
  }
  private fn(fn: StrFn, ...args: LitValue[]): Expr {
    return new Expr({ kind: "str", fn, arg: this.node, args });
  }
}
