// Hive-style partitioned folders: `key=value/` directories in a file's path are columns
// whose value is the same for every row of the file. The keys' types are inferred as DuckDB
// infers them: BIGINT when every value is an integer, DATE when every value is a date,
// TIMESTAMP when every value is a date and time, else VARCHAR; `__HIVE_DEFAULT_PARTITION__`
// is null and values are URL-decoded.
import path from "node:path";
import {
  type Data,
  type DataType,
  DateDay,
  Field,
  Int64,
  makeData,
  Timestamp,
  TimeUnit,
  Type,
  Utf8,
} from "apache-arrow";
import { FileError, type FileKind } from "./files.js";

/** The option every file reader takes for hive partitions. */
export interface HiveOptions {
  /**
   * Add the `key=value` directories of the files' paths as columns (default true; only
   * paths that have such directories get them). `false` reads the files' own columns only.
   */
  hivePartitioning?: boolean;
}

/** A partition value as it is compared and shown: null, bigint, day number, µs or text. */
export type HiveValue = string | bigint | number | null;

/** The partition keys of a set of files, their types, and each file's values. */
export interface HiveLayout {
  fields: Field[];
  /** Per file (in the given order), the keys' values in `fields` order. */
  values: HiveValue[][];
}

const NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__";

/** The `key=value` directories of `file`'s path, outermost first. */
export function hiveSegments(file: string): [string, string][] {
  const dirs = path
    .resolve(file)
    .split(/[\\/]+/)
    .slice(0, -1);
  const out: [string, string][] = [];
  for (const d of dirs) {
    const eq = d.indexOf("=");
    if (eq <= 0) continue;
    out.push([decode(d.slice(0, eq)), decode(d.slice(eq + 1))]);
  }
  return out;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const INT = /^[+-]?\d+$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?$/;
const MIN_I64 = -(2n ** 63n);
const MAX_I64 = 2n ** 63n - 1n;

const isInt = (s: string): boolean => {
  if (!INT.test(s)) return false;
  const v = BigInt(s);
  return v >= MIN_I64 && v <= MAX_I64;
};

function dayNumber(s: string): number | undefined {
  const m = DATE.exec(s) ?? TIMESTAMP.exec(s);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d)
    return undefined;
  return ms / 86_400_000;
}

function micros(s: string): bigint | undefined {
  const m = TIMESTAMP.exec(s);
  const day = dayNumber(s);
  if (!m || day === undefined) return undefined;
  const [h, mi, se] = [Number(m[4]), Number(m[5]), Number(m[6])];
  if (h > 23 || mi > 59 || se > 59) return undefined;
  const frac = BigInt((m[7] ?? ".").slice(1).padEnd(6, "0"));
  return BigInt(day) * 86_400_000_000n + BigInt(h * 3600 + mi * 60 + se) * 1_000_000n + frac;
}

/** The type DuckDB infers for a key from all its (non-null) values. */
function inferType(values: readonly string[]): DataType {
  if (values.length === 0) return new Utf8();
  if (values.every(isInt)) return new Int64();
  if (values.every((v) => DATE.test(v) && dayNumber(v) !== undefined)) return new DateDay();
  if (values.every((v) => micros(v) !== undefined))
    return new Timestamp(TimeUnit.MICROSECOND, null);
  return new Utf8();
}

function typed(raw: string | null, type: DataType): HiveValue {
  if (raw === null) return null;
  switch (type.typeId) {
    case Type.Int:
      return BigInt(raw);
    case Type.Date:
      return dayNumber(raw)!;
    case Type.Timestamp:
      return micros(raw)!;
    default:
      return raw;
  }
}

/**
 * The hive layout of `files`, or undefined when none has `key=value` directories. Every file
 * must have the same keys in the same order; keys that are also columns of the files are left
 * to the files (undefined when no key is left).
 */
export function hiveLayout(
  kind: FileKind,
  files: readonly string[],
  fileColumns: readonly string[],
): HiveLayout | undefined {
  const segs = files.map(hiveSegments);
  const first = segs[0] ?? [];
  if (segs.every((s) => s.length === 0)) return undefined;
  const keys = first.map(([k]) => k);
  segs.forEach((s, i) => {
    const theirs = s.map(([k]) => k);
    if (theirs.join("\u0000") !== keys.join("\u0000")) {
      throw new FileError(
        kind,
        files[i]!,
        `has the hive partition keys [${theirs.join(", ")}] in its path but "${files[0]}" has [${keys.join(", ")}]. Read files of one layout together, or pass { hivePartitioning: false }.`,
      );
    }
  });
  if (new Set(keys).size !== keys.length) {
    throw new FileError(
      kind,
      files[0]!,
      `names a hive partition key twice in its path ([${keys.join(", ")}]). Pass { hivePartitioning: false } to read the files' own columns only.`,
    );
  }
  // A key the files hold as a column too (deft's own partitioned writes keep it) is the
  // files' column: their values are the ones read.
  const kept = keys.flatMap((k, j) => (fileColumns.includes(k) ? [] : [j]));
  const raw = segs.map((s) => kept.map((j) => (s[j]![1] === NULL_PARTITION ? null : s[j]![1])));
  const fields = kept.map((j0, j) => {
    const k = keys[j0]!;
    const present = raw.map((r) => r[j]).filter((v): v is string => v !== null);
    const nullable = raw.some((r) => r[j] === null);
    return new Field(k, inferType([...new Set(present)]), nullable);
  });
  if (fields.length === 0) return undefined;
  const values = raw.map((r) => r.map((v, j) => typed(v, fields[j]!.type)));
  return { fields, values };
}

/** A column of `length` rows all holding `value` (of a key's type). */
export function constantColumn(type: DataType, value: HiveValue, length: number): Data {
  if (value === null) {
    const nullBitmap = new Uint8Array((length + 7) >> 3);
    if (type.typeId === Type.Utf8) {
      return makeData({
        type: type as Utf8,
        length,
        nullCount: length,
        nullBitmap,
        valueOffsets: new Int32Array(length + 1),
        data: new Uint8Array(0),
      });
    }
    if (type.typeId === Type.Date) {
      const t = type as DateDay;
      return makeData({
        type: t,
        length,
        nullCount: length,
        nullBitmap,
        data: new Int32Array(length),
      });
    }
    const t = type as Int64;
    return makeData({
      type: t,
      length,
      nullCount: length,
      nullBitmap,
      data: new BigInt64Array(length),
    });
  }
  switch (type.typeId) {
    case Type.Int:
    case Type.Timestamp:
      return makeData({
        type: type as Int64,
        length,
        nullCount: 0,
        data: new BigInt64Array(length).fill(value as bigint),
      });
    case Type.Date:
      return makeData({
        type: type as DateDay,
        length,
        nullCount: 0,
        data: new Int32Array(length).fill(value as number),
      });
    default: {
      const bytes = Buffer.from(String(value), "utf8");
      const offsets = new Int32Array(length + 1);
      for (let i = 1; i <= length; i++) offsets[i] = i * bytes.length;
      const data = new Uint8Array(bytes.length * length);
      for (let i = 0; i < length; i++) data.set(bytes, i * bytes.length);
      return makeData({ type: type as Utf8, length, nullCount: 0, valueOffsets: offsets, data });
    }
  }
}
