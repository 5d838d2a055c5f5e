// One column's values as the table cells show() prints: floats as Polars prints them, dates
// and timestamps as ISO text in their own zone (as cast("utf8") gives them), decimals exactly.
import { type Data, Type } from "apache-arrow";
import { temporalToUtf8 } from "../kernels/dt-vector.js";
import { valuesOf } from "../kernels/to-js.js";
import { formatFloat } from "./float.js";

/** One value as the table shows it (nested values and types without a column rule). */
export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(v);
  if (typeof v === "bigint") return String(v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? "Invalid Date" : v.toISOString();
  if (v instanceof Uint8Array) return `b[${v.length}]`;
  if (Array.isArray(v)) return `[${v.map(formatValue).join(", ")}]`;
  if (typeof v === "object") {
    return `{${Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${k}: ${formatValue(x)}`)
      .join(", ")}}`;
  }
  return String(v);
}

/** The cells of one column, "null" for nulls. */
export function columnCells(data: Data): string[] {
  const tid = data.typeId;
  if (tid === Type.Date || tid === Type.Timestamp) {
    return valuesOf(temporalToUtf8(data, data.type)).map((v) => (v === null ? "null" : String(v)));
  }
  const vals = valuesOf(data);
  if (tid === Type.Float) return vals.map((v) => (v === null ? "null" : formatFloat(v as number)));
  return vals.map(formatValue);
}
