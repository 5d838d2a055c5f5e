import { Binary, type DataType, Precision, Type, Utf8 } from "apache-arrow";
import type { ColumnMetaData, SchemaElement } from "hyparquet";
import { type ParquetFooter, primitiveType } from "../parquet-footer.js";
import { NATIVE_CODECS } from "./codecs.js";

// Which columns the TypeScript decoder reads, decided from the footer alone before any page
// is touched: flat columns of the physical types, encodings and codecs it implements,
// decoded to exactly the Arrow type the footer maps to. Anything else goes to parquet-wasm.

/** How one column's values are laid out while decoding (see column-output.ts). */
export type OutShape =
  | { kind: "fixed"; words: 1 | 2 }
  | { kind: "bool" }
  | { kind: "bytes"; utf8: boolean }
  | { kind: "flba"; width: number };

export interface NativeColumnPlan {
  name: string;
  /** The column's index in each row group's `columns`. */
  chunk: number;
  physical: string;
  optional: boolean;
  /** The Arrow type the footer maps this column to. */
  type: DataType;
  /**
   * The type of the data the decoder builds: `type`, except large_utf8 / large_binary come
   * out as utf8 / binary, the 32-bit offsets every scan narrows them to anyway (so 64-bit
   * offsets are never built only to be rewritten).
   */
  outType: DataType;
  shape: OutShape;
  /** Keep the column's dictionary codes where its chunks allow (a group-by keys on it). */
  codes?: boolean;
}

const COMMON = ["PLAIN", "PLAIN_DICTIONARY", "RLE_DICTIONARY", "RLE", "BIT_PACKED"];
const ENCODINGS: Record<string, ReadonlySet<string>> = {
  BOOLEAN: new Set(["PLAIN", "RLE", "BIT_PACKED"]),
  INT32: new Set([...COMMON, "DELTA_BINARY_PACKED", "BYTE_STREAM_SPLIT"]),
  INT64: new Set([...COMMON, "DELTA_BINARY_PACKED", "BYTE_STREAM_SPLIT"]),
  FLOAT: new Set([...COMMON, "BYTE_STREAM_SPLIT"]),
  DOUBLE: new Set([...COMMON, "BYTE_STREAM_SPLIT"]),
  BYTE_ARRAY: new Set([...COMMON, "DELTA_LENGTH_BYTE_ARRAY", "DELTA_BYTE_ARRAY"]),
  FIXED_LEN_BYTE_ARRAY: new Set([...COMMON, "DELTA_BYTE_ARRAY", "BYTE_STREAM_SPLIT"]),
};

/** The shape the decoder fills for `type` from the physical type, or why it cannot. */
function shapeOf(el: SchemaElement, type: DataType): OutShape | string {
  const t = type.typeId;
  const int = (bits: number) =>
    t === Type.Int && (type as unknown as { bitWidth: number }).bitWidth <= bits;
  const time = (bits: number) =>
    t === Type.Time && (type as unknown as { bitWidth: number }).bitWidth === bits;
  const float = (p: Precision) =>
    t === Type.Float && (type as unknown as { precision: Precision }).precision === p;
  const bad = `a ${el.type} column mapped to ${String(type)} is decoded by parquet-wasm`;
  switch (el.type) {
    case "BOOLEAN":
      return t === Type.Bool ? { kind: "bool" } : bad;
    case "INT32":
      return int(32) || t === Type.Date || time(32) ? { kind: "fixed", words: 1 } : bad;
    case "FLOAT":
      return float(Precision.SINGLE) ? { kind: "fixed", words: 1 } : bad;
    case "INT64":
      return (int(64) && (type as unknown as { bitWidth: number }).bitWidth === 64) ||
        t === Type.Timestamp ||
        t === Type.Duration ||
        time(64)
        ? { kind: "fixed", words: 2 }
        : bad;
    case "DOUBLE":
      return float(Precision.DOUBLE) ? { kind: "fixed", words: 2 } : bad;
    case "BYTE_ARRAY":
      if (t === Type.Utf8 || t === Type.LargeUtf8 || t === Type.Binary || t === Type.LargeBinary) {
        return { kind: "bytes", utf8: t === Type.Utf8 || t === Type.LargeUtf8 };
      }
      return bad;
    case "FIXED_LEN_BYTE_ARRAY": {
      const width = el.type_length ?? 0;
      if (width > 0 && t === Type.FixedSizeBinary) return { kind: "flba", width };
      if (width === 12 && t === Type.Interval) return { kind: "flba", width };
      if (width === 2 && float(Precision.HALF)) return { kind: "flba", width };
      return bad;
    }
    default:
      return `physical type ${el.type} is decoded by parquet-wasm`;
  }
}

/**
 * Whether the footer's type for a column is the one its Parquet annotation alone gives, up
 * to differences that leave the values' bits alone (an embedded Arrow schema asking for
 * large offsets, or a timestamp's time zone).
 */
function sameValues(file: string, el: SchemaElement, type: DataType): boolean {
  const mapped = primitiveType(file, el);
  if (String(mapped) === String(type)) return true;
  const a = mapped.typeId;
  const b = type.typeId;
  if (a === Type.Utf8 && b === Type.LargeUtf8) return true;
  if (a === Type.Binary && b === Type.LargeBinary) return true;
  // A duration (polars, pyarrow) is stored as a plain INT64; only the Arrow schema says so.
  if (a === Type.Int && b === Type.Duration) return String(mapped) === "Int64";
  if (a === Type.Timestamp && b === Type.Timestamp) {
    return (
      (mapped as unknown as { unit: number }).unit === (type as unknown as { unit: number }).unit
    );
  }
  return false;
}

/** The top-level elements of the schema, each with whether it is a leaf. */
function topLevel(schema: SchemaElement[]): Map<string, SchemaElement & { leaf: boolean }> {
  const out = new Map<string, SchemaElement & { leaf: boolean }>();
  let i = 1;
  const skipSubtree = (): void => {
    const el = schema[i++];
    for (let c = 0; c < (el?.num_children ?? 0); c++) skipSubtree();
  };
  for (let c = 0; c < (schema[0]?.num_children ?? 0) && i < schema.length; c++) {
    const el = schema[i]!;
    out.set(el.name, { ...el, leaf: el.type !== undefined && !el.num_children });
    skipSubtree();
  }
  return out;
}

function chunkProblem(
  name: string,
  md: ColumnMetaData | undefined,
  physical: string,
): string | undefined {
  if (!md) return `column "${name}" has no column metadata (encrypted?)`;
  if (!NATIVE_CODECS.has(md.codec)) return `column "${name}" uses codec ${md.codec}`;
  const allowed = ENCODINGS[physical]!;
  for (const e of md.encodings) {
    if (!allowed.has(e)) return `column "${name}" uses encoding ${e}`;
  }
  return undefined;
}

const cache = new WeakMap<ParquetFooter, Map<string, NativeColumnPlan[] | string>>();

/**
 * The native decoder's plan for `columns` of `footer`, or the reason (a sentence) they go to
 * parquet-wasm instead. Every row group's column chunks are checked, so one answer holds for
 * every task of the file.
 */
export function nativePlan(
  footer: ParquetFooter,
  columns: readonly string[],
): NativeColumnPlan[] | string {
  const key = columns.join("\u0000");
  let byCols = cache.get(footer);
  if (!byCols) {
    byCols = new Map();
    cache.set(footer, byCols);
  }
  const hit = byCols.get(key);
  if (hit) return hit;
  const plan = planColumns(footer, columns);
  byCols.set(key, plan);
  return plan;
}

function planColumns(
  footer: ParquetFooter,
  columns: readonly string[],
): NativeColumnPlan[] | string {
  const { metadata, schema } = footer;
  const top = topLevel(metadata.schema);
  const groups = metadata.row_groups;
  const out: NativeColumnPlan[] = [];
  for (const name of columns) {
    const el = top.get(name);
    const field = schema.fields.find((f) => f.name === name);
    if (!el || !field) return `column "${name}" is not a top-level column`;
    if (!el.leaf) return `column "${name}" is nested`;
    if (el.repetition_type === "REPEATED") return `column "${name}" is repeated`;
    const shape = shapeOf(el, field.type);
    if (typeof shape === "string") return `column "${name}": ${shape}`;
    if (!sameValues(footer.path, el, field.type)) {
      return `column "${name}" is stored as ${el.type} but its Arrow type is ${String(field.type)}`;
    }
    const chunk =
      groups[0]?.columns.findIndex(
        (c) => c.meta_data?.path_in_schema.length === 1 && c.meta_data.path_in_schema[0] === name,
      ) ?? -1;
    if (groups.length > 0 && chunk < 0) return `column "${name}" has no column chunk`;
    for (const rg of groups) {
      const c = rg.columns[chunk];
      if (c?.file_path) return `column "${name}" lives in another file`;
      const md = c?.meta_data;
      if (md && (md.path_in_schema.length !== 1 || md.path_in_schema[0] !== name)) {
        return `column "${name}" is not at the same position in every row group`;
      }
      const why = chunkProblem(name, md, el.type!);
      if (why) return why;
    }
    out.push({
      name,
      chunk,
      physical: el.type!,
      optional: el.repetition_type !== "REQUIRED",
      type: field.type,
      outType:
        field.type.typeId === Type.LargeUtf8
          ? new Utf8()
          : field.type.typeId === Type.LargeBinary
            ? new Binary()
            : field.type,
      shape,
    });
  }
  return out;
}
