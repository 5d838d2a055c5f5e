// Values of one table, as read by deft, polars or DuckDB, in one plain form so the three can
// be compared value by value: integers of every width, temporal values (as their raw
// integers in the column's unit) and decimals as exact strings, floats as String(number),
// bytes as hex, lists as arrays, structs as objects, maps as arrays of {key, value}.
import type { DuckDBConnection } from "@duckdb/node-api";
import { type Data, type Decimal, type Table, Type } from "apache-arrow";
import type pl from "nodejs-polars";

export type Plain = null | string | boolean | Plain[] | { [key: string]: Plain };

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

/** An unscaled decimal integer written with `scale` digits after the point. */
export function decimalText(unscaled: bigint, scale: number): string {
  const neg = unscaled < 0n;
  const digits = (neg ? -unscaled : unscaled).toString().padStart(scale + 1, "0");
  const text = scale > 0 ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return neg ? `-${text}` : text;
}

/** Row `i` of an Arrow column (deft's output), from its buffers. */
export function arrowValue(data: Data, i: number): Plain {
  if (!data.getValid(i)) return null;
  const t = data.type;
  switch (t.typeId) {
    case Type.Null:
      return null;
    case Type.Int:
    case Type.Date:
    case Type.Time:
    case Type.Timestamp:
    case Type.Duration:
      return String((data.values as unknown as ArrayLike<number | bigint>)[i]);
    case Type.Float:
      return String((data.values as unknown as ArrayLike<number>)[i]);
    case Type.Bool: {
      const bit = data.offset + i;
      return ((data.values[bit >> 3]! >> (bit & 7)) & 1) === 1;
    }
    case Type.Decimal: {
      const words = (t as Decimal).bitWidth / 32;
      const w = data.values as unknown as Uint32Array;
      let v = 0n;
      for (let k = words - 1; k >= 0; k--) v = (v << 32n) | BigInt(w[i * words + k]!);
      if (v >> BigInt((t as Decimal).bitWidth - 1)) v -= 1n << BigInt((t as Decimal).bitWidth);
      return decimalText(v, (t as Decimal).scale);
    }
    case Type.Utf8:
    case Type.LargeUtf8:
    case Type.Binary:
    case Type.LargeBinary: {
      const o = data.valueOffsets as unknown as ArrayLike<number | bigint>;
      const bytes = (data.values as Uint8Array).subarray(Number(o[i]), Number(o[i + 1]));
      return t.typeId === Type.Utf8 || t.typeId === Type.LargeUtf8
        ? Buffer.from(bytes).toString("utf8")
        : hex(bytes);
    }
    case Type.FixedSizeBinary: {
      const w = (t as unknown as { byteWidth: number }).byteWidth;
      return hex((data.values as Uint8Array).subarray(i * w, (i + 1) * w));
    }
    case Type.List:
    case Type.LargeList:
    case Type.Map: {
      const o = data.valueOffsets as unknown as ArrayLike<number | bigint>;
      const child = data.children[0]!;
      const out: Plain[] = [];
      for (let k = Number(o[i]); k < Number(o[i + 1]); k++) out.push(arrowValue(child, k));
      return out;
    }
    case Type.FixedSizeList: {
      const n = (t as unknown as { listSize: number }).listSize;
      const out: Plain[] = [];
      for (let k = i * n; k < (i + 1) * n; k++) out.push(arrowValue(data.children[0]!, k));
      return out;
    }
    case Type.Struct: {
      const out: { [key: string]: Plain } = {};
      t.children.forEach((f: { name: string }, k: number) => {
        out[f.name] = arrowValue(data.children[k]!, i);
      });
      return out;
    }
    case Type.Interval: {
      // YEAR_MONTH: months; DAY_TIME: days and milliseconds; MONTH_DAY_NANO: months and days
      // as int32, then nanoseconds as int64.
      const w = data.values as unknown as Int32Array;
      const unit = (t as unknown as { unit: number }).unit;
      if (unit === 0) return String(w[i]);
      if (unit === 1) return `${w[i * 2]}:${w[i * 2 + 1]}`;
      const nanos = new BigInt64Array(w.buffer, w.byteOffset + (i * 4 + 2) * 4, 1)[0]!;
      return `${w[i * 4]}:${w[i * 4 + 1]}:${nanos}`;
    }
    case Type.Dictionary:
      return arrowValue(
        data.dictionary!.data[0]!,
        Number((data.values as unknown as ArrayLike<number>)[i]),
      );
    default:
      throw new Error(`no plain form for ${String(t)}`);
  }
}

/** Every row of a table read by deft, column by column. */
export function arrowRows(table: Table): Record<string, Plain>[] {
  const rows: Record<string, Plain>[] = [];
  for (const batch of table.batches) {
    for (let i = 0; i < batch.numRows; i++) {
      const row: Record<string, Plain> = {};
      batch.schema.fields.forEach((f, k) => {
        row[f.name] = arrowValue(batch.data.children[k]!, i);
      });
      rows.push(row);
    }
  }
  return rows;
}

/** A JS value from polars' toRecords or DuckDB's JS conversion in plain form. */
export function plain(v: unknown): Plain {
  if (v === null || v === undefined) return null;
  if (typeof v === "boolean" || typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "bigint") return String(v);
  if (v instanceof Uint8Array) return hex(v);
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v === "object") {
    const out: { [key: string]: Plain } = {};
    for (const [k, x] of Object.entries(v)) out[k] = plain(x);
    return out;
  }
  throw new Error(`no plain form for ${typeof v}`);
}

/**
 * polars' own reading of `df` in plain form: temporal columns as their raw integers,
 * decimals and categoricals as text (polars hands neither to JS directly).
 */
export function polarsRows(polars: typeof pl, df: pl.DataFrame): Record<string, Plain>[] {
  const exprs = df.columns.map((c) => {
    const t = String(df.getColumn(c).dtype).replace(/^DataType\((.*)\)$/, "$1");
    if (/^(Datetime|Duration|Time)/.test(t)) return polars.col(c).cast(polars.Int64);
    if (t === "Date") return polars.col(c).cast(polars.Int32);
    if (/^(Decimal|Categorical|Enum)/.test(t)) return polars.col(c).cast(polars.Utf8);
    return polars.col(c);
  });
  return df
    .select(...exprs)
    .toRecords()
    .map((r) => plain(r) as Record<string, Plain>);
}

/** DuckDB's rows of `sql` in plain form (the query picks the raw form of each column). */
export async function duckRows(
  con: DuckDBConnection,
  sql: string,
): Promise<Record<string, Plain>[]> {
  const reader = await con.runAndReadAll(sql);
  return reader.getRowObjectsJS().map((r) => plain(r) as Record<string, Plain>);
}
