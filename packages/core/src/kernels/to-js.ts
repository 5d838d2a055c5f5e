import { type Data, type Decimal, makeVector, Type } from "apache-arrow";
import { decimalToNumber, decimalValues, formatDecimal } from "./decimal.js";
import { decodeUtf8Column } from "./utf8.js";

export interface ToJsOptions {
  /** "bigint" (default) keeps Int64 as bigint; "number" converts, throwing on unsafe values. */
  int64?: "bigint" | "number";
  /** "string" (default) gives a decimal as its exact text; "number" as the nearest double. */
  decimal?: "string" | "number";
  /** Named in the unsafe-integer error. */
  column?: string;
}

/**
 * One column as JS values: numbers, bigints, strings, booleans, Dates for timestamps/dates,
 * decimals as exact strings ("123.45") or numbers (`decimal: "number"`),
 * Uint8Array for binary, arrays for lists, plain objects for structs; null for nulls.
 */
export function valuesOf(data: Data, opts: ToJsOptions = {}): unknown[] {
  const n = data.length;
  const tid = data.typeId;
  if (tid === Type.Utf8 || tid === Type.LargeUtf8) return decodeUtf8Column(data);
  const bm = data.nullCount > 0 ? data.nullBitmap : null;
  const base = data.offset;
  const out = new Array<unknown>(n);
  if (tid === Type.Int || tid === Type.Float) {
    const vals = data.values as ArrayLike<number | bigint>;
    const toNumber = opts.int64 === "number" && typeof vals[0] === "bigint";
    for (let i = 0; i < n; i++) {
      if (bm) {
        const j = base + i;
        if (((bm[j >> 3]! >> (j & 7)) & 1) === 0) {
          out[i] = null;
          continue;
        }
      }
      const v = vals[i]!;
      if (toNumber) {
        const x = Number(v);
        if (!Number.isSafeInteger(x)) {
          throw new RangeError(
            `Column "${opts.column ?? "?"}" row ${i}: ${v} does not fit a JS number exactly. Keep int64 as bigint (the default) or cast the column to float64.`,
          );
        }
        out[i] = x;
      } else out[i] = v;
    }
    return out;
  }
  if (tid === Type.Bool) {
    const vals = data.values as Uint8Array;
    for (let i = 0; i < n; i++) {
      const j = base + i;
      if (bm && ((bm[j >> 3]! >> (j & 7)) & 1) === 0) out[i] = null;
      else out[i] = ((vals[j >> 3]! >> (j & 7)) & 1) === 1;
    }
    return out;
  }
  if (tid === Type.Null) return out.fill(null);
  if (tid === Type.Decimal) {
    const { scale } = data.type as Decimal;
    const vals = decimalValues(data);
    const asNumber = opts.decimal === "number";
    for (let i = 0; i < n; i++) {
      const v = vals[i]!;
      out[i] = v === null ? null : asNumber ? decimalToNumber(v, scale) : formatDecimal(v, scale);
    }
    return out;
  }
  if (tid === Type.Timestamp || tid === Type.Date) {
    const vals = data.values as ArrayLike<number | bigint>;
    const perMs = msFactor(data);
    for (let i = 0; i < n; i++) {
      const j = base + i;
      if (bm && ((bm[j >> 3]! >> (j & 7)) & 1) === 0) out[i] = null;
      else out[i] = new Date(Number(vals[i]!) * perMs);
    }
    return out;
  }
  const vec = makeVector(data);
  for (let i = 0; i < n; i++) out[i] = toPlain(vec.get(i), opts);
  return out;
}

/** Arrow's row proxies (structs, list vectors, timestamps as numbers) to plain JS values. */
function toPlain(v: unknown, opts: ToJsOptions): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v !== "object") return v;
  if (v instanceof Uint8Array || v instanceof Date) return v;
  const maybeVector = v as { toArray?: () => ArrayLike<unknown>; data?: unknown; type?: unknown };
  if (typeof maybeVector.toArray === "function" && maybeVector.data && maybeVector.type) {
    const vec = v as { data: Data[] };
    return vec.data.flatMap((d) => valuesOf(d, opts));
  }
  const obj = v as { toJSON?: () => Record<string, unknown> };
  const plain = typeof obj.toJSON === "function" ? obj.toJSON() : (v as Record<string, unknown>);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(plain)) out[k] = toPlain(x, opts);
  return out;
}

/** Multiplier from a temporal column's stored unit to milliseconds. */
export function msFactor(data: Data): number {
  const type = data.type as unknown as { unit: number };
  if (data.typeId === Type.Date) return type.unit === 0 ? 86_400_000 : 1;
  return [1000, 1, 1e-3, 1e-6][type.unit]!;
}
