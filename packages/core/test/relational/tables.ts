// Random nullable tables for the DataFrame-level property tests: rows as plain JS objects (the
// reference works on these), and the same rows as a DataFrame over many RecordBatches built by
// apache-arrow itself (with empty batches between them), so the operators fold real batches.
import { DataFrame } from "@deft/core";
import { Bool, Float64, Int32, Int64, Utf8 } from "apache-arrow";
import fc from "fast-check";
import { arrowBatches, type Cols } from "../helpers.js";

export interface Row {
  id: number;
  k: number | null;
  s: string | null;
  x: number | null;
  b: boolean | null;
  big: bigint | null;
}

export type Key = "k" | "s" | "x" | "b" | "big";
export const KEYS: readonly Key[] = ["k", "s", "x", "b", "big"];

// Few distinct values per column so keys collide (duplicates, ties); NaN and -0 among floats;
// strings include "" and a two-byte UTF-8 character; int64 values beyond 2^53.
const kArb = fc.option(fc.integer({ min: -3, max: 3 }), { freq: 5 });
const sArb = fc.option(fc.constantFrom("a", "b", "ab", "", "é", "B"), { freq: 5 });
const xArb = fc.option(
  fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: -8, max: 8 }).map((v) => v / 2) },
    { weight: 1, arbitrary: fc.constantFrom(Number.NaN, -0, Number.POSITIVE_INFINITY) },
  ),
  { freq: 5 },
);
const bArb = fc.option(fc.boolean(), { freq: 4 });
const bigArb = fc.option(
  fc.oneof(
    fc.bigInt({ min: -3n, max: 3n }),
    fc.constantFrom(2n ** 62n, -(2n ** 62n), 2n ** 53n + 1n, 9223372036854775807n),
  ),
  { freq: 5 },
);

const rowArb = fc.record({ k: kArb, s: sArb, x: xArb, b: bArb, big: bigArb });

/** Rows (id = position) of up to `maxLength` rows. */
export const rowsArb = (maxLength = 60) =>
  fc.array(rowArb, { maxLength }).map((rs) => rs.map((r, id): Row => ({ id, ...r })));

/** Batch cut points for a table of up to 60 rows. */
export const cutsArb = fc.array(fc.nat(60), { maxLength: 5 });

export function colsOf(rows: readonly Row[]): Cols {
  return {
    id: { type: new Int32(), values: rows.map((r) => r.id) },
    k: { type: new Int32(), values: rows.map((r) => r.k) },
    s: { type: new Utf8(), values: rows.map((r) => r.s) },
    x: { type: new Float64(), values: rows.map((r) => r.x) },
    b: { type: new Bool(), values: rows.map((r) => r.b) },
    big: { type: new Int64(), values: rows.map((r) => r.big) },
  };
}

/** The rows as a DataFrame over many Arrow batches (cut at `cuts`, empty batches between). */
export function frameOf(rows: readonly Row[], cuts: readonly number[]): DataFrame {
  const sorted = [...new Set(cuts)].sort((a, b) => a - b);
  return DataFrame.fromArrow(arrowBatches(colsOf(rows), sorted));
}

/** Rows as toRecords() gives them: id, k as numbers; big as bigint. */
export function asRecords(rows: readonly Row[]): Record<string, unknown>[] {
  return rows.map((r) => ({ ...r }));
}

/** Compares two non-null values of one column: numbers with NaN after every number (and
 * -0 == 0), strings by code point (UTF-8 byte order), false < true, bigints. */
export function compareValues(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") {
    if (a < b) return -1;
    if (a > b) return 1;
    if (a === b) return 0;
    return (Number.isNaN(a) ? 1 : 0) - (Number.isNaN(b) ? 1 : 0);
  }
  if (typeof a === "string" && typeof b === "string") {
    const x = [...a].map((c) => c.codePointAt(0)!);
    const y = [...b].map((c) => c.codePointAt(0)!);
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
    return x.length - y.length;
  }
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  if (typeof a === "bigint" && typeof b === "bigint") return a < b ? -1 : a > b ? 1 : 0;
  throw new Error(`cannot compare ${String(a)} with ${String(b)}`);
}

/** A value as a Map key with SQL grouping equality: nulls equal, every NaN equal, -0 == 0. */
export function groupKey(values: readonly unknown[]): string {
  return values
    .map((v) => {
      if (v === null) return "null";
      if (typeof v === "number") return Number.isNaN(v) ? "NaN" : `n${v === 0 ? 0 : v}`;
      if (typeof v === "bigint") return `i${v}`;
      return `${typeof v}:${String(v)}`;
    })
    .join("|");
}
