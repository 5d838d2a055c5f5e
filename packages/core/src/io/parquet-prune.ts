import { type DataType, type Dictionary, type Schema, type Timestamp, Type } from "apache-arrow";
import type { FileMetaData } from "hyparquet";
import type { ExprNode, LitValue } from "../expr/ast.js";

/** Min/max/null statistics of one top-level column in one row group (absent = unknown). */
export interface ColumnStats {
  min?: unknown;
  max?: unknown;
  nullCount?: number;
  numRows: number;
}

/** Statistics of a row group, by top-level column name (flat columns only). */
export type RowGroupStats = Map<string, ColumnStats>;

/** Collects the per-column statistics of row group `index` from a parsed footer. */
export function rowGroupStats(metadata: FileMetaData, index: number): RowGroupStats {
  const rg = metadata.row_groups[index]!;
  const numRows = Number(rg.num_rows);
  const out: RowGroupStats = new Map();
  for (const chunk of rg.columns) {
    const md = chunk.meta_data;
    if (!md) continue;
    if (md.path_in_schema.length !== 1) continue;
    const s = md.statistics;
    // min_value/max_value follow the column's sort order; the deprecated min/max are only
    // trustworthy for numbers (strings used signed byte order there).
    const min = s?.min_value ?? (typeof s?.min === "string" ? undefined : s?.min);
    const max = s?.max_value ?? (typeof s?.max === "string" ? undefined : s?.max);
    out.set(md.path_in_schema[0]!, {
      min,
      max,
      nullCount: s?.null_count === undefined ? undefined : Number(s.null_count),
      numRows,
    });
  }
  return out;
}

/**
 * False only when statistics prove that no row of the row group can satisfy `filter`.
 * Unknown expression shapes, types or missing statistics always answer true (read it).
 */
export function mayMatch(filter: ExprNode, stats: RowGroupStats, schema: Schema): boolean {
  switch (filter.kind) {
    case "alias":
      return mayMatch(filter.arg, stats, schema);
    case "binary": {
      if (filter.op === "and")
        return mayMatch(filter.left, stats, schema) && mayMatch(filter.right, stats, schema);
      if (filter.op === "or")
        return mayMatch(filter.left, stats, schema) || mayMatch(filter.right, stats, schema);
      return compareMayMatch(filter.op, filter.left, filter.right, stats, schema);
    }
    case "isNull": {
      if (filter.arg.kind !== "col") return true;
      const s = stats.get(filter.arg.name);
      if (s?.nullCount === undefined) return true;
      return filter.negated ? s.nullCount < s.numRows : s.nullCount > 0;
    }
    case "isIn": {
      if (filter.arg.kind !== "col") return true;
      const col = filter.arg;
      return filter.values.some((v) =>
        compareMayMatch("eq", col, { kind: "lit", value: v }, stats, schema),
      );
    }
    default:
      return true;
  }
}

const FLIP: Record<string, string> = {
  lt: "gt",
  lte: "gte",
  gt: "lt",
  gte: "lte",
  eq: "eq",
  neq: "neq",
};

function compareMayMatch(
  op: string,
  left: ExprNode,
  right: ExprNode,
  stats: RowGroupStats,
  schema: Schema,
): boolean {
  let c = left;
  let l = right;
  if (c.kind !== "col" && l.kind === "col") {
    [c, l] = [l, c];
    op = FLIP[op] ?? op;
  }
  if (c.kind !== "col" || l.kind !== "lit" || !(op in FLIP)) return true;
  const field = schema.fields.find((f) => f.name === c.name);
  const s = stats.get(c.name);
  if (!field || !s || s.min === undefined || s.max === undefined) return true;
  const v = comparableLiteral(l.value, field.type);
  if (v === undefined) return true;
  const { min, max } = s as { min: Comparable; max: Comparable };
  if (!sameKind(v, min) || !sameKind(v, max)) return true;
  switch (op) {
    case "eq":
      return !(v < min || v > max);
    case "neq":
      // NaN != x is true and NaN is not in float statistics, so floats never skip on neq.
      return isFloat(field.type) || !(looseEq(min, v) && looseEq(max, v));
    case "lt":
      return min < v;
    case "lte":
      return min <= v;
    case "gt":
      return max > v;
    case "gte":
      return max >= v;
    default:
      return true;
  }
}

type Comparable = number | bigint | string | boolean;

// bigint and number compare correctly with < and >, so they count as one kind.
const kindOf = (v: unknown): string => (typeof v === "bigint" ? "number" : typeof v);
const sameKind = (a: unknown, b: unknown): boolean => kindOf(a) === kindOf(b);
// Equality across bigint and number (=== is false for 1n and 1).
const looseEq = (a: Comparable, b: Comparable): boolean => !(a < b) && !(a > b);

/** The literal in the units the column's statistics use, or undefined when not comparable. */
function comparableLiteral(value: LitValue, type: DataType): Comparable | undefined {
  switch (type.typeId) {
    case Type.Dictionary:
      // Statistics describe the dictionary's values.
      return comparableLiteral(value, (type as Dictionary).dictionary);
    case Type.Int:
    case Type.Float:
      return typeof value === "number" || typeof value === "bigint" ? value : undefined;
    case Type.Bool:
      return typeof value === "boolean" ? value : undefined;
    case Type.Utf8:
    case Type.LargeUtf8:
      // UTF-16 order equals the UTF-8 byte order statistics use except around surrogates.
      return typeof value === "string" && !/[\ud800-\uffff]/.test(value) ? value : undefined;
    case Type.Date:
      return value instanceof Date ? value.getTime() / 86_400_000 : undefined;
    case Type.Timestamp: {
      if (!(value instanceof Date)) return undefined;
      const ms = value.getTime();
      if (!Number.isFinite(ms)) return undefined;
      const unit = (type as Timestamp).unit;
      const scale = [1, 1, 1000, 1_000_000][unit]!;
      return unit === 0
        ? Math.floor(ms / 1000) === ms / 1000
          ? BigInt(ms / 1000)
          : ms / 1000
        : BigInt(ms) * BigInt(scale);
    }
    default:
      return undefined;
  }
}

const isFloat = (t: DataType): boolean =>
  t.typeId === Type.Float ||
  (t.typeId === Type.Dictionary && (t as Dictionary).dictionary.typeId === Type.Float);
