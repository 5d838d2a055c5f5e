// Window functions through the public API on random tables (partitions, order keys with ties,
// nulls and NaN, values with nulls, NaN and infinities, several batches), against a plain JS
// reference that finds every row's partition, order, peers and frame by brute force.
import {
  col,
  count,
  DataFrame,
  denseRank,
  type Expr,
  type FrameBound,
  ntile,
  percentRank,
  rank,
  rowNumber,
  type WindowOptions,
} from "@deft/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

type Row = {
  g: string | null;
  x: number | null;
  v: number | null;
};

const rowArb = fc.record({
  g: fc.constantFrom("a", "b", "c", null),
  x: fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: -3, max: 3 }) },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.constant(Number.NaN) },
  ),
  v: fc.oneof(
    { weight: 10, arbitrary: fc.integer({ min: -20, max: 20 }) },
    { weight: 2, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Infinity, -Infinity) },
  ),
});

type Frame = { unit: "rows" | "range"; start: FrameBound; end: FrameBound } | null;

interface Spec {
  partition: boolean;
  order: boolean;
  descending: boolean;
  nullsFirst: boolean;
  frame: Frame;
}

const boundArb = fc.oneof(fc.constant("unbounded" as const), fc.integer({ min: -3, max: 3 }));
const frameArb: fc.Arbitrary<Frame> = fc.oneof(
  fc.constant(null),
  fc
    .tuple(fc.constantFrom("rows" as const, "range" as const), boundArb, boundArb)
    .filter(([, s, e]) => typeof s !== "number" || typeof e !== "number" || s <= e)
    .map(([unit, start, end]) => ({ unit, start, end })),
);
const specArb: fc.Arbitrary<Spec> = fc.record({
  partition: fc.boolean(),
  order: fc.boolean(),
  descending: fc.boolean(),
  nullsFirst: fc.boolean(),
  frame: frameArb,
});

type Fn =
  | "rowNumber"
  | "rank"
  | "denseRank"
  | "percentRank"
  | "ntile"
  | "lag"
  | "lead"
  | "firstValue"
  | "lastValue"
  | "nthValue"
  | "sum"
  | "mean"
  | "min"
  | "max"
  | "count"
  | "countRows"
  | "countDistinct"
  | "first"
  | "last"
  | "cumSum"
  | "cumCount"
  | "cumMin"
  | "cumMax";
const FRAMED: Fn[] = [
  "firstValue",
  "lastValue",
  "nthValue",
  "sum",
  "mean",
  "min",
  "max",
  "count",
  "countRows",
  "countDistinct",
  "first",
  "last",
];
const UNFRAMED: Fn[] = [
  "rowNumber",
  "rank",
  "denseRank",
  "percentRank",
  "ntile",
  "lag",
  "lead",
  "cumSum",
  "cumCount",
  "cumMin",
  "cumMax",
];

function fnExpr(fn: Fn, k: number): Expr {
  const v = col("v");
  switch (fn) {
    case "rowNumber":
      return rowNumber();
    case "rank":
      return rank();
    case "denseRank":
      return denseRank();
    case "percentRank":
      return percentRank();
    case "ntile":
      return ntile(k);
    case "lag":
      return v.lag(k - 1, k === 2 ? -99 : null);
    case "lead":
      return v.lead(k - 1, k === 3 ? 99 : null);
    case "nthValue":
      return v.nthValue(k);
    case "countRows":
      return count();
    default:
      return (v as unknown as Record<string, () => Expr>)[fn]!.call(v);
  }
}

const isNum = (x: number | null): x is number => x !== null && !Number.isNaN(x);

/** Order of two x values as a window sorts them (nulls placed apart, NaN above numbers). */
function cmpX(a: number | null, b: number | null, s: Spec): number {
  if (a === null || b === null) return a === b ? 0 : (a === null) === s.nullsFirst ? -1 : 1;
  const na = Number.isNaN(a);
  const nb = Number.isNaN(b);
  const c = na || nb ? (na ? 1 : 0) - (nb ? 1 : 0) : a - b;
  return s.descending ? -c : c;
}

/** The frame [s, e) of position i in a sorted partition, found by scanning. */
function frameOf(part: Row[], i: number, f: NonNullable<Frame>, s: Spec): [number, number] {
  const L = part.length;
  const peers = (j: number) => !s.order || cmpX(part[j]!.x, part[i]!.x, s) === 0;
  let first = i;
  while (first > 0 && peers(first - 1)) first--;
  let last = i;
  while (last + 1 < L && peers(last + 1)) last++;
  if (f.unit === "rows") {
    const a = f.start === "unbounded" ? 0 : Math.max(0, Math.min(L, i + f.start));
    const b = f.end === "unbounded" ? L : Math.max(0, Math.min(L, i + f.end + 1));
    return [a, Math.max(a, b)];
  }
  const byValue =
    (typeof f.start === "number" && f.start !== 0) || (typeof f.end === "number" && f.end !== 0);
  const x = part[i]!.x;
  if (!byValue || !isNum(x)) {
    return [f.start === "unbounded" ? 0 : first, f.end === "unbounded" ? L : last + 1];
  }
  const key = (j: number) => (s.descending ? -part[j]!.x! : part[j]!.x!);
  const nums = [...part.keys()].filter((j) => isNum(part[j]!.x));
  const kx = s.descending ? -x : x;
  let a = 0;
  if (f.start !== "unbounded") {
    const lo = kx + (f.start as number);
    a = nums.find((j) => key(j) >= lo) ?? nums[nums.length - 1]! + 1;
  }
  let b = L;
  if (f.end !== "unbounded") {
    const hi = kx + (f.end as number);
    const inside = nums.filter((j) => key(j) <= hi);
    b = inside.length ? inside[inside.length - 1]! + 1 : nums[0]!;
  }
  return [a, Math.max(a, b)];
}

const maxOf = (xs: number[]) =>
  xs.reduce((m, x) => (Number.isNaN(m) || Number.isNaN(x) ? Number.NaN : Math.max(m, x)));
const minOf = (xs: number[]) => {
  const nums = xs.filter((x) => !Number.isNaN(x));
  return nums.length ? Math.min(...nums) : Number.NaN;
};

function reference(rows: Row[], fn: Fn, k: number, s: Spec): unknown[] {
  const out: unknown[] = new Array(rows.length);
  const groups = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const key = s.partition ? String(r.g) : "";
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  const cum = fn.startsWith("cum");
  const frame: NonNullable<Frame> = cum
    ? { unit: "rows", start: "unbounded", end: 0 }
    : (s.frame ??
      (s.order
        ? { unit: "range", start: "unbounded", end: 0 }
        : { unit: "rows", start: "unbounded", end: "unbounded" }));
  for (const idx of groups.values()) {
    const sorted = s.order
      ? [...idx].sort((a, b) => cmpX(rows[a]!.x, rows[b]!.x, s) || a - b)
      : idx;
    const part = sorted.map((i) => rows[i]!);
    const L = part.length;
    const peer = (a: number, b: number) => s.order && cmpX(part[a]!.x, part[b]!.x, s) !== 0;
    let dense = 0;
    for (let i = 0; i < L; i++) {
      let first = i;
      while (first > 0 && !peer(first - 1, i)) first--;
      if (first === i) dense++;
      const [a, b] = frameOf(part, i, frame, { ...s, order: s.order });
      const inFrame = part.slice(a, b);
      const vals = inFrame.map((r) => r.v).filter((v): v is number => v !== null);
      const at = (j: number) => (j >= 0 && j < L ? part[j]!.v : undefined);
      const size = Math.floor(L / k);
      const large = L - k * size;
      let value: unknown;
      switch (fn) {
        case "rowNumber":
          value = i + 1;
          break;
        case "rank":
          value = first + 1;
          break;
        case "denseRank":
          value = dense;
          break;
        case "percentRank":
          value = L > 1 ? first / (L - 1) : 0;
          break;
        case "ntile":
          value =
            i < large * (size + 1)
              ? 1 + Math.floor(i / (size + 1))
              : 1 + large + Math.floor((i - large * (size + 1)) / size);
          break;
        case "lag":
          value = at(i - (k - 1)) === undefined ? (k === 2 ? -99 : null) : at(i - (k - 1));
          break;
        case "lead":
          value = at(i + (k - 1)) === undefined ? (k === 3 ? 99 : null) : at(i + (k - 1));
          break;
        case "firstValue":
        case "first":
          value = inFrame.length ? inFrame[0]!.v : null;
          break;
        case "lastValue":
        case "last":
          value = inFrame.length ? inFrame[inFrame.length - 1]!.v : null;
          break;
        case "nthValue":
          value = inFrame.length >= k ? inFrame[k - 1]!.v : null;
          break;
        case "sum":
        case "cumSum":
          value = vals.length ? vals.reduce((p, q) => p + q, 0) : null;
          break;
        case "mean":
          value = vals.length ? vals.reduce((p, q) => p + q, 0) / vals.length : null;
          break;
        case "min":
        case "cumMin":
          value = vals.length ? minOf(vals) : null;
          break;
        case "max":
        case "cumMax":
          value = vals.length ? maxOf(vals) : null;
          break;
        case "count":
        case "cumCount":
          value = vals.length;
          break;
        case "countRows":
          value = inFrame.length;
          break;
        case "countDistinct":
          value = new Set(vals).size;
          break;
      }
      out[sorted[i]!] = value;
    }
  }
  return out;
}

function options(s: Spec, fn: Fn): WindowOptions {
  const o: WindowOptions = {};
  if (s.partition) o.partitionBy = "g";
  if (s.order) {
    o.orderBy = "x";
    o.descending = s.descending;
    o.nullsFirst = s.nullsFirst;
  }
  const rangeOk =
    !s.frame ||
    s.frame.unit === "rows" ||
    s.order ||
    ![s.frame.start, s.frame.end].some((b) => typeof b === "number" && b !== 0);
  if (s.frame && FRAMED.includes(fn) && rangeOk) {
    o.frame =
      s.frame.unit === "rows"
        ? { rows: [s.frame.start, s.frame.end] }
        : { range: [s.frame.start, s.frame.end] };
  }
  return o;
}

/** The rows as a DataFrame in batches of `cuts[0]` rows (one batch without a cut). */
const frameFor = (rows: Row[], cuts: number[]) =>
  DataFrame.fromRecords(rows, { schema: { g: "utf8", x: "float64", v: "float64" } }).intoBatches(
    Math.max(1, cuts[0] ?? rows.length),
  );

/** Two partitions at most, so each holds enough rows to be sorted on its own. */
const fewGroups = rowArb.map((r) => ({ ...r, g: r.g === "c" || r.g === null ? "a" : r.g }));

describe("window functions against a JS reference", () => {
  it.each([
    ["small partitions (one sort by partition and order)", rowArb, 40, 600],
    ["large partitions (a sort per partition)", fewGroups, 400, 100],
  ])(
    "every function, random partitions, orders with ties, nulls and frames: %s",
    async (_, arb, maxLength, numRuns) => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(arb, { minLength: 0, maxLength }),
          fc.array(fc.integer({ min: 1, max: maxLength }), { maxLength: 1 }),
          specArb,
          fc.constantFrom(...FRAMED, ...UNFRAMED),
          fc.integer({ min: 1, max: 4 }),
          async (rows, cuts, spec, fn, k) => {
            const opts = options(spec, fn);
            const used: Spec = {
              ...spec,
              frame: opts.frame
                ? "rows" in opts.frame
                  ? { unit: "rows", start: opts.frame.rows[0], end: opts.frame.rows[1] }
                  : { unit: "range", start: opts.frame.range[0], end: opts.frame.range[1] }
                : null,
            };
            const bare = fn.startsWith("cum") && !spec.partition && !spec.order;
            const e = bare ? fnExpr(fn, k) : fnExpr(fn, k).over(opts);
            const df = frameFor(rows, cuts).withColumn("w", e);
            const got = (await df.toColumns({ int64: "number" })).w!;
            expect(got).toEqual(reference(rows, fn, k, used));
          },
        ),
        { numRuns },
      );
    },
  );
});
