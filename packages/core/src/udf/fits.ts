// Whether one value a UDF returned fits its `returns` type, checked as the call returns, so a
// wrong value is a failure of that row (retried, nulled or raised as `onError` says) rather
// than of the whole batch when the column is built.
import { type DataType, type Int, type List, type Struct, Type } from "apache-arrow";
import { intRange } from "../kernels/math-scalar.js";
import { typeName } from "../types/dtype.js";
import { preview } from "./errors.js";

/** A returned value that does not fit the UDF's `returns` type. */
export class UdfReturnTypeError extends TypeError {
  /** The value returned. */
  readonly value: unknown;
  constructor(udf: string, value: unknown, type: DataType) {
    super(
      `UDF "${udf}" returned ${preview(value)} (${kindOf(value)}), which is not a ${typeName(type)} (its returns type). Return a ${typeName(type)} or null, or change returns.`,
    );
    this.name = "UdfReturnTypeError";
    this.value = value;
  }
}

function kindOf(v: unknown): string {
  if (Array.isArray(v)) return "an array";
  if (v instanceof Date) return "a Date";
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  const t = typeof v;
  return t === "object" ? "an object" : `a ${t}`;
}

/** Values of `type`: true when `v` can be written to a column of it (null always can). */
export type Fits = (v: unknown) => boolean;

const any: Fits = () => true;

/** The check for `type`; types it cannot judge value by value accept anything here. */
export function fitsType(type: DataType): Fits {
  switch (type.typeId) {
    case Type.Utf8:
    case Type.LargeUtf8:
      return (v) => v == null || typeof v === "string";
    case Type.Bool:
      return (v) => v == null || typeof v === "boolean";
    case Type.Float:
      return (v) => v == null || typeof v === "number" || typeof v === "bigint";
    case Type.Int: {
      // A fraction is not truncated, nor a large value wrapped, into an integer column.
      const [lo, hi] = intRange(type as Int);
      const nlo = Number(lo);
      const nhi = Number(hi);
      return (v) => {
        if (v == null) return true;
        if (typeof v === "bigint") return v >= lo && v <= hi;
        if (typeof v !== "number" || !Number.isInteger(v) || v < nlo || v > nhi) return false;
        // 2^63 as a float passes `v <= nhi` (nhi rounds up to 2^63): checked exactly.
        return v <= Number.MAX_SAFE_INTEGER || BigInt(v) <= hi;
      };
    }
    case Type.List: {
      const child = fitsType((type as List).children[0]!.type);
      return (v) => {
        if (v == null) return true;
        if (!Array.isArray(v) && !ArrayBuffer.isView(v)) return false;
        const a = v as ArrayLike<unknown>;
        for (let j = 0; j < a.length; j++) if (!child(a[j])) return false;
        return true;
      };
    }
    case Type.Struct: {
      const fields = (type as Struct).children.map((f) => [f.name, fitsType(f.type)] as const);
      const names = new Set(fields.map(([name]) => name));
      return (v) => {
        if (v == null) return true;
        if (typeof v !== "object" || Array.isArray(v)) return false;
        const o = v as Record<string, unknown>;
        for (const [name, fits] of fields) if (!fits(o[name])) return false;
        // A key the struct does not declare would be dropped: a misspelt or undeclared output.
        for (const key in o) if (!names.has(key) && o[key] !== undefined) return false;
        return true;
      };
    }
    default:
      return any;
  }
}

/** A check that throws a UdfReturnTypeError for a value that does not fit, else passes it on. */
export function returnCheck(udf: string, type: DataType): ((v: unknown) => unknown) | undefined {
  const fits = fitsType(type);
  if (fits === any) return undefined;
  return (v) => {
    if (!fits(v)) throw new UdfReturnTypeError(udf, v, type);
    return v;
  };
}
