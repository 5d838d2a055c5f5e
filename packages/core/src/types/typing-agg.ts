// Result types of the aggregations, one rule per function (see docs/expressions.md).
import {
  Bool,
  type DataType,
  Decimal,
  Field,
  Float64,
  Int64,
  List,
  Type,
  Uint64,
  Utf8,
} from "apache-arrow";
import type { AggFn } from "../expr/ast.js";
import { isBool, isFloat, isInt, isString, typeName } from "./dtype.js";
import { PlanError } from "./plan-error.js";
import { isKeyType } from "./typing-keys.js";

/**
 * The type an aggregation returns for an argument of type `arg` (null for countRows), or a
 * PlanError naming `what` (the argument as printed). The rules:
 * - count, countDistinct, countRows: int64.
 * - sum: the widest type of the argument's kind, so a sum overflows only where its input type
 *   could not hold the total anyway: int8..int64 → int64, uint8..uint64 → uint64, floats →
 *   float64, bool → int64 (the number of trues). Integer sums wrap at 64 bits.
 * - mean: float64 for every number and bool.
 * - min, max: the argument's type; it must be ordered (a key type).
 * - first, last: the argument's type, any type.
 * - list: list<argument type>.
 * - std, var, median, quantile, product: float64, over numbers and bools (as mean).
 * - any, all: bool, over bools.
 * - stringAgg: utf8, over strings.
 * - mode: the argument's type; it must be a key type (compared for equality and ordered).
 */
export function aggResultType(fn: AggFn, arg: DataType | null, what = "the argument"): DataType {
  if (fn === "countRows") return new Int64();
  if (!arg) throw new PlanError(`${fn}() needs an argument column.`);
  if (arg.typeId === Type.Decimal) return decimalAggType(fn, arg as Decimal, what);
  switch (fn) {
    case "count":
      return new Int64();
    case "countDistinct":
      if (!isKeyType(arg)) {
        throw new PlanError(
          `countDistinct() of ${what}: type ${typeName(arg)} cannot be compared for equality here; use it on numbers, bools, strings, binary, dates or timestamps.`,
        );
      }
      return new Int64();
    case "sum":
      numeric(fn, arg, what);
      if (isFloat(arg)) return new Float64();
      if (isInt(arg) && !(arg as unknown as { isSigned: boolean }).isSigned) return new Uint64();
      return new Int64();
    case "mean":
      numeric(fn, arg, what);
      return new Float64();
    case "min":
    case "max":
      if (!isKeyType(arg)) {
        throw new PlanError(
          `${fn}() of ${what}: type ${typeName(arg)} has no order; use it on numbers, bools, strings, binary, dates or timestamps.`,
        );
      }
      return arg;
    case "first":
    case "last":
      return arg;
    case "list":
      return new List(new Field("item", arg, true));
    case "std":
    case "var":
    case "median":
    case "quantile":
    case "product":
      numeric(fn, arg, what);
      return new Float64();
    case "any":
    case "all":
      if (!isBool(arg)) {
        throw new PlanError(
          `${fn}() of ${what}: type ${typeName(arg)} is not bool; compare it first (e.g. col("x").gt(0).${fn}()).`,
        );
      }
      return new Bool();
    case "stringAgg":
      if (!isString(arg)) {
        throw new PlanError(
          `stringAgg() of ${what}: type ${typeName(arg)} is not a string; cast it first (.cast("utf8")).`,
        );
      }
      return new Utf8();
    case "mode":
      if (!isKeyType(arg)) {
        throw new PlanError(
          `mode() of ${what}: type ${typeName(arg)} cannot be compared; use it on numbers, bools, strings, binary, dates or timestamps.`,
        );
      }
      return arg;
  }
}

/**
 * Aggregations of decimals, exact as in DuckDB: sum is decimal(38, scale), mean float64, min
 * and max the argument's type; count, countDistinct, first, last and list as for any type.
 */
function decimalAggType(fn: AggFn, arg: Decimal, what: string): DataType {
  switch (fn) {
    case "sum":
      return new Decimal(arg.scale, 38, 128);
    case "mean":
      return new Float64();
    case "min":
    case "max":
    case "first":
    case "last":
      return arg;
    case "count":
    case "countDistinct":
      return new Int64();
    case "list":
      return new List(new Field("item", arg, true));
    default:
      throw new PlanError(
        `${fn}() of ${what}: not supported for ${typeName(arg)} (decimals take sum, mean, min, max, count, countDistinct, first, last and list); cast it first (e.g. .cast("float64")).`,
      );
  }
}

function numeric(fn: AggFn, t: DataType, what: string): void {
  if (!isInt(t) && !isFloat(t) && !isBool(t)) {
    throw new PlanError(
      `${fn}() of ${what}: type ${typeName(t)} is not numeric; cast it first (e.g. .cast("float64")).`,
    );
  }
  if (t.typeId === Type.Float && !isKeyType(t)) {
    throw new PlanError(`${fn}() of ${what}: float16 is not supported; cast it to float32.`);
  }
}
