import type { ExprNode, LitValue, StrFn } from "./ast.js";
import { Expr } from "./expr.js";

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
  /** Replaces every occurrence of `pattern` (a plain string, not a regex) with `replacement`. */
  replace(pattern: string, replacement: string): Expr {
    return this.fn("replace", pattern, replacement);
  }
  /** Splits on a separator into `list<utf8>`. */
  split(separator: string): Expr {
    return this.fn("split", separator);
  }
  /** Characters from `start` (negative counts from the end), `length` of them (default: to the end). */
  slice(start: number, length?: number): Expr {
    return length === undefined ? this.fn("slice", start) : this.fn("slice", start, length);
  }
  /** Removes leading and trailing whitespace. */
  strip(): Expr {
    return this.fn("strip");
  }
  private fn(fn: StrFn, ...args: LitValue[]): Expr {
    return new Expr({ kind: "str", fn, arg: this.node, args });
  }
}
