// The window functions that read no column: rowNumber(), rank(), … (use them with .over()).
import { Expr } from "./expr.js";
import { countArg, winFn } from "./window.js";

/** Window function: 1, 2, 3, … in the window's order (ties in input order). */
export function rowNumber(): Expr {
  return new Expr(winFn("rowNumber", null));
}
/** Window function: 1 + the rows before the current row's peers (ties share, then gaps). */
export function rank(): Expr {
  return new Expr(winFn("rank", null));
}
/** Window function: 1 + the distinct order values before the current row's (no gaps). */
export function denseRank(): Expr {
  return new Expr(winFn("denseRank", null));
}
/** Window function: (rank - 1) / (partition rows - 1), 0 in a one-row partition (float64). */
export function percentRank(): Expr {
  return new Expr(winFn("percentRank", null));
}
/** Window function: the bucket 1..n of the row, buckets as equal as can be (larger first). */
export function ntile(n: number): Expr {
  return new Expr(winFn("ntile", null, [countArg("ntile", n, 1)]));
}
