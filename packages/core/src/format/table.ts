import type { Schema } from "apache-arrow";
import { typeName } from "../types/dtype.js";

const MAX_WIDTH = 32;

/** One value as the table shows it. */
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

function cut(s: string): string {
  const flat = s.replace(/\s+/g, " ");
  return flat.length > MAX_WIDTH ? `${flat.slice(0, MAX_WIDTH - 1)}…` : flat;
}

/**
 * An aligned text table in the style of Polars/Daft: a header with names and types, one line
 * per row, long values cut with an ellipsis, and a footer saying how much was shown.
 */
export function formatTable(schema: Schema, rows: unknown[][], footer: string): string {
  const heads = schema.fields.map((f) => cut(f.name));
  const types = schema.fields.map((f) => cut(typeName(f.type)));
  const cells = rows.map((r) => r.map((v) => cut(formatValue(v))));
  const widths = heads.map((h, i) =>
    Math.max(h.length, types[i]!.length, ...cells.map((r) => r[i]!.length)),
  );
  const numeric = schema.fields.map((f) => /^(u?int|float)/.test(typeName(f.type)));
  const pad = (s: string, i: number) =>
    numeric[i] ? s.padStart(widths[i]!) : s.padEnd(widths[i]!);
  const line = (l: string, m: string, r: string) =>
    `${l}${widths.map((w) => "─".repeat(w + 2)).join(m)}${r}`;
  const row = (vals: string[], sep = "┆") => `│ ${vals.map(pad).join(` ${sep} `)} │`;
  const out = [
    line("┌", "┬", "┐"),
    `│ ${heads.map((h, i) => h.padEnd(widths[i]!)).join(" ┆ ")} │`,
    `│ ${types.map((t, i) => t.padEnd(widths[i]!)).join(" ┆ ")} │`,
    line("╞", "╪", "╡").replaceAll("─", "═"),
    ...cells.map((c) => row(c)),
    line("└", "┴", "┘"),
  ];
  if (schema.fields.length === 0) return `(no columns) ${footer}`;
  return `${out.join("\n")}\n${footer}`;
}
