// Casts to and from decimals, exact where the target can hold the value: decimal <-> utf8
// (exact text), int (rounded half away from zero, as DuckDB does, and range-checked), float64
// (the nearest double), and decimal -> decimal of another precision or scale.
import type { Data, DataType, Decimal } from "apache-arrow";
import { Type } from "apache-arrow";
import { isString, typeName } from "../types/dtype.js";
import {
  decimalColumn,
  decimalToNumber,
  decimalValues,
  formatDecimal,
  isDecimal,
  parseDecimal,
  pow10,
  rescale,
} from "./decimal.js";
import { columnFromJs } from "./from-js.js";
import { valuesOf } from "./to-js.js";
import { buildUtf8 } from "./utf8.js";

/** A cast with a decimal on either side; undefined when neither side is a decimal. */
export function castDecimal(
  src: Data,
  from: DataType,
  to: DataType,
  column: string,
  nullOnError: boolean,
): Data | undefined {
  if (isDecimal(from)) return fromDecimal(src, from as Decimal, to, column, nullOnError);
  if (isDecimal(to)) return toDecimal(src, from, to as Decimal, column, nullOnError);
  return undefined;
}

function fromDecimal(
  src: Data,
  from: Decimal,
  to: DataType,
  column: string,
  nullOnError: boolean,
): Data {
  const vals = decimalValues(src);
  const opts = { onError: nullOnError ? ("null" as const) : ("error" as const) };
  if (isDecimal(to)) {
    const t = to as Decimal;
    return decimalColumn(
      vals.map((v) => (v === null ? null : rescale(v, from.scale, t.scale))),
      t,
      column,
      nullOnError,
    );
  }
  if (isString(to))
    return buildUtf8(vals.map((v) => (v === null ? null : formatDecimal(v, from.scale))));
  if (to.typeId === Type.Float) {
    return columnFromJs(
      vals.map((v) => (v === null ? null : decimalToNumber(v, from.scale))),
      to,
      column,
      opts,
    );
  }
  if (to.typeId === Type.Int) {
    // bigints: columnFromJs range-checks them against the integer type exactly.
    return columnFromJs(
      vals.map((v) => (v === null ? null : rescale(v, from.scale, 0))),
      to,
      column,
      opts,
    );
  }
  if (to.typeId === Type.Bool) {
    return columnFromJs(
      vals.map((v) => (v === null ? null : v !== 0n)),
      to,
      column,
      opts,
    );
  }
  throw new TypeError(
    `Column "${column}": cannot cast ${typeName(from)} to ${typeName(to)}; decimals cast to and from numbers, utf8 and other decimals.`,
  );
}

function toDecimal(
  src: Data,
  from: DataType,
  to: Decimal,
  column: string,
  nullOnError: boolean,
): Data {
  const n = src.length;
  const out = new Array<bigint | null>(n);
  const scale = to.scale;
  const vals = valuesOf(src);
  const fail = (i: number, v: unknown): null => {
    if (nullOnError) return null;
    throw new TypeError(
      `Column "${column}" row ${i}: cast to ${typeName(to)} failed: ${JSON.stringify(String(v)).slice(0, 100)} is not a number. Fix the value, or use .cast("${typeName(to)}", { onError: "null" }) to get null instead.`,
    );
  };
  const isStr = isString(from);
  if (
    !isStr &&
    from.typeId !== Type.Int &&
    from.typeId !== Type.Float &&
    from.typeId !== Type.Bool
  ) {
    throw new TypeError(
      `Column "${column}": cannot cast ${typeName(from)} to ${typeName(to)}; decimals cast to and from numbers, utf8 and other decimals.`,
    );
  }
  for (let i = 0; i < n; i++) {
    const v = vals[i];
    if (v === null || v === undefined) out[i] = null;
    else if (typeof v === "bigint") out[i] = v * pow10(scale);
    else if (typeof v === "boolean") out[i] = v ? pow10(scale) : 0n;
    else if (typeof v === "number") {
      // The double's shortest text is the value a user wrote (0.1 -> "0.1"), then exact.
      out[i] = Number.isFinite(v) ? parseDecimal(String(v), scale)! : fail(i, v);
    } else {
      const d = parseDecimal(String(v), scale);
      out[i] = d === undefined ? fail(i, v) : d;
    }
  }
  return decimalColumn(out, to, column, nullOnError);
}
