import { type Data, type DataType, type Field, type Int, type Timestamp, Type } from "apache-arrow";
import { typeName } from "../types/dtype.js";

/** Text for row i of a column, or null for a null value. */
export type CellFormatter = (i: number) => string | null;

const decoder = new TextDecoder();

const isValidAt = (data: Data, i: number): boolean => {
  if (data.nullCount === 0 || !data.nullBitmap) return true;
  const j = data.offset + i;
  return ((data.nullBitmap[j >> 3]! >> (j & 7)) & 1) === 1;
};

const pad = (n: number, w: number): string => String(n).padStart(w, "0");

function isoDate(ms: number): string {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const ys = y >= 0 && y <= 9999 ? pad(y, 4) : (y < 0 ? "-" : "+") + pad(Math.abs(y), 6);
  return `${ys}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

/** ISO 8601 text of a timestamp in its unit, keeping sub-millisecond digits. */
function isoTimestamp(v: bigint, unit: number, zoned: boolean): string {
  const perMs = [0n, 1n, 1000n, 1_000_000n][unit]!;
  let ms: bigint;
  let sub = 0n;
  if (unit === 0) ms = v * 1000n;
  else {
    ms = v / perMs;
    sub = v % perMs;
    if (sub < 0n) {
      sub += perMs;
      ms -= 1n;
    }
  }
  const d = new Date(Number(ms));
  const time = `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
  let frac = unit === 0 ? "" : `.${pad(d.getUTCMilliseconds(), 3)}`;
  if (unit === 2) frac += pad(Number(sub), 3);
  if (unit === 3) frac += pad(Number(sub), 6);
  return `${isoDate(Number(ms))}T${time}${frac}${zoned ? "Z" : ""}`;
}

const floatText = (v: number): string =>
  Number.isNaN(v)
    ? "NaN"
    : v === Number.POSITIVE_INFINITY
      ? "inf"
      : v === Number.NEGATIVE_INFINITY
        ? "-inf"
        : String(v);

/**
 * Formats scalar columns as text (CSV) or JSON value text (NDJSON). A sliced column's value
 * and offset buffers start at its first row (as Arrow JS slices them); only bit buffers
 * (validity, bools) count from `data.offset`.
 */
export function cellFormatter(data: Data, json: boolean, column: string): CellFormatter {
  const type = data.type as DataType;
  const vals = data.values as ArrayLike<number | bigint> & Uint8Array;
  const off = data.offset;
  const str = json ? (s: string) => JSON.stringify(s) : (s: string) => s;
  let f: (i: number) => string;
  switch (type.typeId) {
    case Type.Int: {
      if ((type as Int).bitWidth === 64) {
        // JSON numbers lose precision past 2^53: such values are written as strings.
        f = json
          ? (i) => {
              const v = vals[i] as unknown as bigint;
              return v >= -9007199254740991n && v <= 9007199254740991n ? String(v) : `"${v}"`;
            }
          : (i) => String(vals[i]);
      } else f = (i) => String(vals[i]);
      break;
    }
    case Type.Float:
      f = json
        ? (i) => {
            const v = vals[i] as number;
            return Number.isFinite(v) ? String(v) : `"${floatText(v)}"`;
          }
        : (i) => floatText(vals[i] as number);
      break;
    case Type.Bool:
      f = (i) => {
        const j = off + i;
        return (vals[j >> 3]! >> (j & 7)) & 1 ? "true" : "false";
      };
      break;
    case Type.Utf8:
    case Type.LargeUtf8: {
      const offs = data.valueOffsets as ArrayLike<number | bigint>;
      f = (i) => str(decoder.decode(vals.subarray(Number(offs[i]), Number(offs[i + 1]))));
      break;
    }
    case Type.Date: {
      const days = (type as unknown as { unit: number }).unit === 0;
      f = (i) => str(isoDate(days ? (vals[i] as number) * 86_400_000 : Number(vals[i])));
      break;
    }
    case Type.Timestamp: {
      const t = type as Timestamp;
      f = (i) => str(isoTimestamp(BigInt(vals[i]!), t.unit, !!t.timezone));
      break;
    }
    case Type.List:
    case Type.Struct:
      if (json) {
        f = nestedJson(data, column);
        break;
      }
      throw unsupported(type, column, "CSV");
    default:
      throw unsupported(type, column, json ? "NDJSON" : "CSV");
  }
  return (i) => (isValidAt(data, i) ? f(i) : null);
}

function unsupported(type: DataType, column: string, format: string): Error {
  return new TypeError(
    `${format} cannot hold column "${column}" of type ${typeName(type)}. Write Parquet or Arrow instead, or cast the column (e.g. to "utf8") first.`,
  );
}

/** JSON text for list/struct values (recursing through the child formatters). */
function nestedJson(data: Data, column: string): (i: number) => string {
  if (data.typeId === Type.List) {
    const child = cellFormatter(data.children[0]!, true, `${column}[]`);
    const offs = data.valueOffsets as Int32Array;
    return (i) => {
      const parts: string[] = [];
      for (let k = offs[i]!; k < offs[i + 1]!; k++) parts.push(child(k) ?? "null");
      return `[${parts.join(",")}]`;
    };
  }
  const fields = (data.type as { children: Field[] }).children;
  const kids = data.children.map((c, k) => ({
    key: JSON.stringify(fields[k]!.name),
    f: cellFormatter(c, true, `${column}.${fields[k]!.name}`),
  }));
  return (i) => `{${kids.map((k) => `${k.key}:${k.f(i) ?? "null"}`).join(",")}}`;
}
