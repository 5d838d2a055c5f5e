import { type DataType, Type } from "apache-arrow";
import type { DataFrame } from "../dataframe.js";
import type { LitValue } from "../expr/ast.js";
import { col, count, type Expr, lit, when } from "../expr/expr.js";
import { fieldOf, PlanError, requireKeyType } from "../types/typing.js";
import { freshName } from "./set-ops.js";

/** How the values of one pivot cell (one index key and one `on` value) become one value. */
export type PivotAgg = "first" | "last" | "sum" | "mean" | "min" | "max" | "count" | "len";

/** Options of `df.pivot(opts)`. */
export interface PivotOptions {
  /** The column(s) whose distinct values make the output rows. */
  index: string | readonly string[];
  /** The column whose distinct values make the output columns. */
  on: string;
  /** The column(s) aggregated into the cells. */
  values: string | readonly string[];
  /**
   * How a cell's values are combined (default "first"): first, last, sum, mean, min, max,
   * count (non-null values) or len (rows).
   */
  agg?: PivotAgg;
  /**
   * The `on` values that become columns, in this order. Given, pivot builds a lazy plan at
   * once; left out, pivot runs the input to find the distinct values (sorted, nulls last).
   */
  onValues?: readonly LitValue[];
}

const AGGS: readonly PivotAgg[] = ["first", "last", "sum", "mean", "min", "max", "count", "len"];
const asList = (v: string | readonly string[]): string[] => (typeof v === "string" ? [v] : [...v]);

function aggOf(agg: PivotAgg, v: string): Expr {
  const c = col(v);
  switch (agg) {
    case "first":
      return c.first();
    case "last":
      return c.last();
    case "sum":
      return c.sum();
    case "mean":
      return c.mean();
    case "min":
      return c.min();
    case "max":
      return c.max();
    case "count":
      return c.count();
    case "len":
      return count();
  }
}

/** An `on` value as a column name: its text; dates as YYYY-MM-DD, null as "null". */
function nameOf(v: LitValue, type: DataType): string {
  if (v === null) return "null";
  if (v instanceof Date) {
    const iso = v.toISOString();
    return type.typeId === Type.Date ? iso.slice(0, 10) : iso;
  }
  if (v instanceof Uint8Array) return Buffer.from(v).toString("hex");
  return String(v);
}

/** Checks the options; the index, on and values column lists. */
export function pivotColumns(
  df: DataFrame,
  opts: PivotOptions,
): { index: string[]; on: string; values: string[]; agg: PivotAgg } {
  const index = asList(opts.index);
  const values = asList(opts.values);
  const agg = opts.agg ?? "first";
  if (!AGGS.includes(agg))
    throw new PlanError(`pivot(): agg must be one of ${AGGS.join(", ")}; got "${agg}".`);
  if (index.length === 0) throw new PlanError("pivot(): give at least one index column.");
  if (values.length === 0) throw new PlanError("pivot(): give at least one values column.");
  for (const n of index) {
    requireKeyType(fieldOf(df.schema, n, " in pivot() index").type, col(n).node, "pivot()");
  }
  requireKeyType(fieldOf(df.schema, opts.on, " in pivot() on").type, col(opts.on).node, "pivot()");
  for (const n of values) fieldOf(df.schema, n, " in pivot() values");
  for (const n of [opts.on, ...values]) {
    if (index.includes(n))
      throw new PlanError(`pivot(): "${n}" is an index column; it cannot be on or values too.`);
  }
  return { index, on: opts.on, values, agg };
}

/**
 * Long to wide, for known `on` values: one row per distinct index key (first-seen order),
 * then per `on` value (and per values column: "<values>_<on value>" when there are several)
 * the cell's aggregate, null where the key never met that value. Two aggregations: the cells
 * (group by index and on), then one row per key, each cell picked by its `on` value.
 */
export function pivotWith(df: DataFrame, opts: PivotOptions, onValues: readonly LitValue[]) {
  const { index, on, values, agg } = pivotColumns(df, opts);
  // No on value (an empty input): the distinct keys alone.
  if (onValues.length === 0) return df.select(...index).distinct();
  const onType = fieldOf(df.schema, on).type;
  const cellNames = values.map((v) => freshName(`__cell_${v}`, df.columns));
  const cells = df
    .groupBy(...index, on)
    .agg(...values.map((v, k) => aggOf(agg, v).alias(cellNames[k]!)));
  const taken = new Set(index);
  const outputs: Expr[] = [];
  for (const ov of onValues) {
    // NaN never equals NaN in a comparison, but it groups as one value: match it by isNan.
    const isThis =
      ov === null
        ? col(on).isNull()
        : typeof ov === "number" && Number.isNaN(ov)
          ? col(on).isNan()
          : col(on).eq(lit(ov, onType));
    for (const [k, v] of values.entries()) {
      const base = nameOf(ov, onType);
      const name = values.length === 1 ? base : `${v}_${base}`;
      if (taken.has(name))
        throw new PlanError(
          `pivot(): two output columns would be named "${name}"; rename the index column or list distinct onValues.`,
        );
      taken.add(name);
      // At most one cell per key has this on value; max picks it (or null when none).
      outputs.push(when(isThis).then(col(cellNames[k]!)).otherwise(lit(null)).max().alias(name));
    }
  }
  return cells.groupBy(...index).agg(...outputs);
}

/** The distinct `on` values of `df`, sorted, nulls last (one run of the input). */
export async function distinctOnValues(df: DataFrame, on: string): Promise<LitValue[]> {
  const cols = await df.select(on).distinct().sort(on).toColumns();
  return cols[on]! as LitValue[];
}
