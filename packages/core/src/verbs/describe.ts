import type { DataType } from "apache-arrow";
import { DataFrame } from "../dataframe.js";
import type { RunOptions } from "../exec/execute.js";
import { col, count, type Expr } from "../expr/expr.js";
import { isBool, isNumeric, isString, isTemporal } from "../types/dtype.js";
import { freshName } from "./set-ops.js";

/** The rows of `describe()`'s output, in order (Polars' names). */
export const STATISTICS = [
  "count",
  "null_count",
  "mean",
  "std",
  "min",
  "25%",
  "50%",
  "75%",
  "max",
] as const;

const QUARTILES = [0.25, 0.5, 0.75] as const;

type Kind = "number" | "bool" | "text" | "other";

/** Numbers get every statistic, bools count/nulls/mean/min/max, strings and dates count/nulls/min/max. */
function kindOf(t: DataType): Kind {
  if (isNumeric(t)) return "number";
  if (isBool(t)) return "bool";
  if (isString(t) || isTemporal(t)) return "text";
  return "other";
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/**
 * `df.describe()`: one row per statistic (count of non-null values, null_count, mean, std,
 * min, the quartiles 25%/50%/75%, max) and one column per input column, after a first column
 * "statistic". Number and bool columns give float64 (std is the sample's, ddof 1; quartiles
 * interpolate linearly between the two nearest values, as `quantile_cont`; NaN sorts above
 * every number); string, date and timestamp columns give utf8 (count, null_count, min, max as
 * text); other columns count and null_count only. One run of the input: a global aggregation
 * of every statistic of every column, turned into rows here.
 */
export async function describe(df: DataFrame, opts: RunOptions = {}): Promise<DataFrame> {
  const fields = df.schema.fields;
  const kinds = fields.map((f) => kindOf(f.type));
  const rows = freshName("__rows", df.columns);
  const key = (i: number, stat: string) => `__${i}_${stat}`;
  const first: Expr[] = [count().alias(rows)];
  fields.forEach((f, i) => {
    const c = col(f.name);
    first.push(c.count().alias(key(i, "count")));
    const k = kinds[i]!;
    if (k === "number" || k === "bool") {
      const x = c.cast("float64");
      first.push(x.mean().alias(key(i, "mean")));
      first.push(x.min().alias(key(i, "min")), x.max().alias(key(i, "max")));
      if (k === "number") {
        first.push(x.std().alias(key(i, "std")));
        for (const [j, q] of QUARTILES.entries()) first.push(x.quantile(q).alias(key(i, `q${j}`)));
      }
    } else if (k === "text") {
      first.push(c.min().cast("utf8").alias(key(i, "min")));
      first.push(c.max().cast("utf8").alias(key(i, "max")));
    }
  });
  const base = (await df.select(...first).toRecords({ ...opts, int64: "number" }))[0]!;
  const total = num(base[rows]) ?? 0;

  const statistic = freshName("statistic", df.columns);
  const columns: Record<string, (number | string | null)[]> = { [statistic]: [...STATISTICS] };
  const schema: Record<string, string> = { [statistic]: "utf8" };
  fields.forEach((f, i) => {
    const k = kinds[i]!;
    const n = num(base[key(i, "count")]) ?? 0;
    const nulls = total - n;
    const stat = (s: string) => base[key(i, s)] ?? null;
    if (k === "number" || k === "bool") {
      const q = QUARTILES.map((_, j) => (k === "number" ? num(stat(`q${j}`)) : null));
      columns[f.name] = [
        n,
        nulls,
        num(stat("mean")),
        k === "number" ? num(stat("std")) : null,
        num(stat("min")),
        ...q,
        num(stat("max")),
      ];
      schema[f.name] = "float64";
    } else {
      const text = (v: unknown) => (v === null ? null : String(v));
      columns[f.name] = [
        String(n),
        String(nulls),
        null,
        null,
        k === "text" ? text(stat("min")) : null,
        null,
        null,
        null,
        k === "text" ? text(stat("max")) : null,
      ];
      schema[f.name] = "utf8";
    }
  });
  return DataFrame.fromColumns(columns, { schema });
}
