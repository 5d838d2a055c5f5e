import {
  Bool,
  type Data,
  type DataType,
  type Decimal,
  Field,
  type Float64,
  type Int,
  type Int64,
  List,
  makeData,
  Null,
  Struct,
  Type,
  vectorFromArray,
} from "apache-arrow";
import type { LitValue } from "../expr/ast.js";
import { toDataType, typeName } from "../types/dtype.js";
import { literalType } from "../types/typing.js";
import { bitmapBytes } from "./bits.js";
import { decimalColumn, parseDecimal, pow10 } from "./decimal.js";
import { intRange } from "./math-scalar.js";
import { buildUtf8 } from "./utf8.js";

export type TypedArray =
  | Float64Array
  | Float32Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

/** A column as a user hands it to fromColumns: a typed array (zero copy) or a JS array. */
export type ColumnInput = TypedArray | readonly unknown[];

/**
 * Infers the Arrow type of JS values. Numbers become float64 (JS numbers are doubles; cast
 * to get ints), bigint int64, strings utf8, booleans bool, Dates timestamp[ms], Uint8Array
 * binary, arrays list<T>, plain objects struct<…>, all-null null.
 */
export function inferType(values: readonly unknown[], column: string): DataType {
  let foundAt = -1;
  for (let i = 0; i < values.length && foundAt < 0; i++) {
    if (values[i] !== null && values[i] !== undefined) foundAt = i;
  }
  if (foundAt < 0) return new Null();
  // Typed once from the first value (a list or struct looks at every row's items or keys:
  // once per column, not once per row).
  const found = typeOfValue(values[foundAt], values, foundAt, column);
  // Check the rest agree, so a mixed column fails here with the row, not deep in a builder.
  const kind = jsKind(values[foundAt]);
  for (let i = foundAt + 1; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    if (jsKind(v) !== kind) {
      throw new TypeError(
        `Column "${column}" mixes types: row ${foundAt} is ${kind} but row ${i} is ${jsKind(v)} (${String(v).slice(0, 40)}). Give every row the same type, or pass a schema.`,
      );
    }
  }
  return found;
}

function jsKind(v: unknown): string {
  if (v instanceof Date) return "Date";
  if (v instanceof Uint8Array) return "Uint8Array";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

function typeOfValue(v: unknown, values: readonly unknown[], _i: number, column: string): DataType {
  // Scalars type exactly as expression literals do.
  const t = typeof v;
  const scalar = t === "number" || t === "bigint" || t === "string" || t === "boolean";
  if (scalar || v instanceof Date || v instanceof Uint8Array) return literalType(v as LitValue);
  switch (typeof v) {
    case "object": {
      if (Array.isArray(v)) {
        const items: unknown[] = [];
        for (const row of values) if (Array.isArray(row)) for (const x of row) items.push(x);
        return new List(new Field("item", inferType(items, `${column}[]`), true));
      }
      const keys = new Map<string, unknown[]>();
      for (const row of values) {
        if (row === null || row === undefined || typeof row !== "object") continue;
        for (const [k, x] of Object.entries(row)) {
          let list = keys.get(k);
          if (!list) keys.set(k, (list = []));
          list.push(x);
        }
      }
      return new Struct(
        [...keys].map(([k, xs]) => new Field(k, inferType(xs, `${column}.${k}`), true)),
      );
    }
    default:
      throw new TypeError(
        `Column "${column}" holds a ${typeof v}, which deft cannot store. Use numbers, bigints, strings, booleans, Dates, Uint8Arrays, arrays or plain objects.`,
      );
  }
}

const TYPED: [new (...a: never[]) => TypedArray, string][] = [
  [Float64Array, "float64"],
  [Float32Array, "float32"],
  [Int8Array, "int8"],
  [Int16Array, "int16"],
  [Int32Array, "int32"],
  [Uint8Array, "uint8"],
  [Uint16Array, "uint16"],
  [Uint32Array, "uint32"],
  [BigInt64Array, "int64"],
  [BigUint64Array, "uint64"],
];

export function typedArrayTypeName(arr: unknown): string | undefined {
  for (const [ctor, name] of TYPED) if (arr instanceof ctor) return name;
  return undefined;
}

/** How columnFromJs treats a value that is not of the type or does not fit it. */
export interface BuildOptions {
  /** "error" (default) throws naming the column and row; "null" stores null instead. */
  onError?: "error" | "null";
}

/**
 * Builds one column. Typed arrays are used without copying. Every value is checked against
 * the type: a fraction or an out-of-range integer (300 as int8, -1 as uint8) is an error
 * naming the column and row, never a wrapped value.
 */
export function columnFromJs(
  values: ColumnInput,
  type: DataType | undefined,
  column: string,
  opts: BuildOptions = {},
): Data {
  const t =
    type ?? (ArrayBuffer.isView(values) ? undefined : inferType(values as unknown[], column));
  if (ArrayBuffer.isView(values)) {
    const name = typedArrayTypeName(values)!;
    const dt = t ?? toDataType(name);
    if (typeName(dt) !== name) {
      throw new TypeError(
        `Column "${column}" is a ${values.constructor.name} but the schema says ${typeName(dt)}. Pass a matching typed array or a plain array.`,
      );
    }
    return makeData({ type: dt, length: values.length, data: values as TypedArray } as never);
  }
  return columnFromArray(values as readonly unknown[], t!, column, opts.onError === "null");
}

function columnFromArray(
  values: readonly unknown[],
  type: DataType,
  column: string,
  nullOnError = false,
): Data {
  const n = values.length;
  switch (type.typeId) {
    case Type.Null:
      return makeData({ type: new Null(), length: n, nullCount: n });
    case Type.Utf8: {
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (v !== null && v !== undefined && typeof v !== "string") badValue(column, i, v, type);
      }
      return buildUtf8(values as (string | null)[]);
    }
    case Type.Float:
    case Type.Int: {
      const dt = type as Float64 | Int64;
      const Ctor = dt.ArrayType as unknown as new (n: number) => TypedArray;
      const out = new Ctor(n);
      const big = out instanceof BigInt64Array || out instanceof BigUint64Array;
      const isInt = type.typeId === Type.Int;
      const [lo, hi] = isInt ? intRange(type as Int) : [0n, 0n];
      const nlo = Number(lo);
      const nhi = Number(hi);
      let bitmap: Uint8Array | null = null;
      let nulls = 0;
      const setNull = (i: number) => {
        if (!bitmap) bitmap = new Uint8Array(bitmapBytes(n)).fill(255);
        bitmap[i >> 3]! &= ~(1 << (i & 7));
        nulls++;
      };
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (v === null || v === undefined) {
          setNull(i);
          continue;
        }
        if (!isInt) {
          if (typeof v === "number") out[i] = v;
          else if (typeof v === "bigint") out[i] = Number(v);
          else if (nullOnError) setNull(i);
          else badValue(column, i, v, type);
          continue;
        }
        // A fraction is not silently truncated, nor a large value wrapped, into an int column.
        let ok: boolean;
        if (typeof v === "bigint") ok = v >= lo && v <= hi;
        else if (typeof v === "number") ok = Number.isInteger(v) && v >= nlo && v <= nhi;
        else ok = false;
        if (!ok) {
          if (nullOnError) setNull(i);
          else if (typeof v === "bigint" || (typeof v === "number" && Number.isInteger(v)))
            outOfRange(column, i, v, type);
          else badValue(column, i, v, type);
          continue;
        }
        // 2^63 as a float passes `v <= nhi` (nhi rounds up to 2^63): checked exactly here.
        if (big) {
          const x = v as number | bigint;
          const b = typeof x === "bigint" ? x : BigInt(x);
          if (b > hi) {
            if (nullOnError) setNull(i);
            else outOfRange(column, i, x, type);
            continue;
          }
          out[i] = b;
        } else out[i] = Number(v);
      }
      return makeData({
        type: dt,
        length: n,
        nullCount: nulls,
        nullBitmap: bitmap,
        data: out,
      } as never);
    }
    case Type.Bool: {
      const out = new Uint8Array(bitmapBytes(n));
      let bitmap: Uint8Array | null = null;
      let nulls = 0;
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (v === null || v === undefined) {
          if (!bitmap) bitmap = new Uint8Array(bitmapBytes(n)).fill(255);
          bitmap[i >> 3]! &= ~(1 << (i & 7));
          nulls++;
        } else if (v === true) out[i >> 3]! |= 1 << (i & 7);
        else if (v !== false) badValue(column, i, v, type);
      }
      return makeData({
        type: new Bool(),
        length: n,
        nullCount: nulls,
        nullBitmap: bitmap,
        data: out,
      });
    }
    case Type.List: {
      // Offsets + one flattened child built by the same fast paths (apache-arrow's builder is
      // several times slower on lists of strings).
      const childType = (type as List).children[0]!.type;
      const offsets = new Int32Array(n + 1);
      const bitmap = new Uint8Array((n + 7) >> 3);
      let nulls = 0;
      let total = 0;
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (v === null || v === undefined) nulls++;
        else if (!Array.isArray(v) && !ArrayBuffer.isView(v)) badValue(column, i, v, type);
        else {
          bitmap[i >> 3]! |= 1 << (i & 7);
          total += (v as ArrayLike<unknown>).length;
        }
        offsets[i + 1] = total;
      }
      const flat = new Array<unknown>(total);
      let k = 0;
      for (let i = 0; i < n; i++) {
        const v = values[i] as ArrayLike<unknown> | null | undefined;
        if (v === null || v === undefined) continue;
        for (let j = 0; j < v.length; j++) flat[k++] = v[j] ?? null;
      }
      return makeData({
        type: type as List,
        length: n,
        nullCount: nulls,
        nullBitmap: nulls ? bitmap : null,
        valueOffsets: offsets,
        child: columnFromArray(flat, childType, `${column}[]`),
      } as never);
    }
    case Type.Struct: {
      // Built field by field: a key missing from an object is null (apache-arrow's builder
      // writes "" or 0 for it).
      const fields = (type as Struct).children;
      const bitmap = new Uint8Array((n + 7) >> 3);
      let nulls = 0;
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (v === null || v === undefined) nulls++;
        else if (typeof v !== "object" || Array.isArray(v)) badValue(column, i, v, type);
        else bitmap[i >> 3]! |= 1 << (i & 7);
      }
      const children = fields.map((f) =>
        columnFromArray(
          values.map((v) =>
            v === null || v === undefined ? null : ((v as Record<string, unknown>)[f.name] ?? null),
          ),
          f.type,
          `${column}.${f.name}`,
        ),
      );
      return makeData({
        type: type as Struct,
        length: n,
        nullCount: nulls,
        nullBitmap: nulls ? bitmap : null,
        children,
      } as never);
    }
    case Type.Decimal: {
      // Exact text, bigints (whole values) or numbers (their shortest text) at the scale.
      const t = type as Decimal;
      const out = new Array<bigint | null>(n);
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (v === null || v === undefined) out[i] = null;
        else if (typeof v === "bigint") out[i] = v * pow10(t.scale);
        else if (typeof v === "string" || (typeof v === "number" && Number.isFinite(v))) {
          const d = parseDecimal(String(v), t.scale);
          if (d === undefined) {
            if (nullOnError) out[i] = null;
            else badValue(column, i, v, type);
          } else out[i] = d;
        } else if (nullOnError) out[i] = null;
        else badValue(column, i, v, type);
      }
      return decimalColumn(out, t, column, nullOnError);
    }
    default: {
      try {
        return vectorFromArray(
          values.map((v) => (v === undefined ? null : v)),
          type,
        ).data[0]!;
      } catch (err) {
        throw new TypeError(
          `Column "${column}" could not be built as ${typeName(type)}: ${(err as Error).message}`,
          { cause: err },
        );
      }
    }
  }
}

function outOfRange(column: string, row: number, v: number | bigint, type: DataType): never {
  const [lo, hi] = intRange(type as Int);
  throw new RangeError(
    `Column "${column}" row ${row}: ${v} is out of range for ${typeName(type)} (${lo} to ${hi}). Use a wider type, or cast with { onError: "null" } to get null instead.`,
  );
}

/** How a bad value in a column built from JS values is fixed (said after the value). */
export const BAD_VALUE_HINT = " Fix the value or pass a schema with the right type.";

function badValue(column: string, row: number, v: unknown, type: DataType): never {
  throw new TypeError(
    `Column "${column}" row ${row}: ${typeof v} ${String(v).slice(0, 40)} is not a ${typeName(type)}.${BAD_VALUE_HINT}`,
  );
}
