import type { Schema } from "apache-arrow";
import { typeName } from "../types/dtype.js";
import { cutToWidth, displayWidth, padToWidth } from "./width.js";

export { columnCells, formatValue } from "./cells.js";

const MAX_WIDTH = 32;
/** More columns than this show the first and last half of them around a "…" column. */
const MAX_COLUMNS = 8;

/** One cell on one line, cut to MAX_WIDTH display columns with an ellipsis. */
function cut(s: string): string {
  const flat = s.replace(/\s+/g, " ");
  return displayWidth(flat) > MAX_WIDTH ? `${cutToWidth(flat, MAX_WIDTH - 1)}…` : flat;
}

/**
 * An aligned text table in the style of Polars: a header with names and types, one line per
 * row, long values cut with an ellipsis, widths measured in terminal columns (CJK and emoji
 * count two), at most MAX_COLUMNS columns (the middle ones become one "…" column), and a
 * footer saying how much was shown. `columns` holds each column's cells.
 */
export function formatTable(schema: Schema, columns: string[][], footer: string): string {
  if (schema.fields.length === 0) return `(no columns) ${footer}`;
  let heads = schema.fields.map((f) => cut(f.name));
  let types = schema.fields.map((f) => cut(typeName(f.type)));
  let cols = columns.map((c) => c.map(cut));
  let numeric = schema.fields.map((f) => /^(u?int|float|decimal)/.test(typeName(f.type)));
  let note = "";
  if (heads.length > MAX_COLUMNS) {
    const k = MAX_COLUMNS / 2;
    const keep = <T>(xs: T[], gap: T): T[] => [...xs.slice(0, k), gap, ...xs.slice(-k)];
    const hidden = heads.length - MAX_COLUMNS;
    note = `, ${hidden} of ${heads.length} columns not shown`;
    heads = keep(heads, "…");
    types = keep(types, "");
    cols = keep(
      cols,
      cols[0]!.map(() => "…"),
    );
    numeric = keep(numeric, false);
  }
  const rows = cols[0]?.length ?? 0;
  const widths = heads.map((h, i) =>
    Math.max(displayWidth(h), displayWidth(types[i]!), ...cols[i]!.map(displayWidth)),
  );
  const line = (l: string, m: string, r: string) =>
    `${l}${widths.map((w) => "─".repeat(w + 2)).join(m)}${r}`;
  const body: string[] = [];
  for (let r = 0; r < rows; r++) {
    body.push(`│ ${cols.map((c, i) => padToWidth(c[r]!, widths[i]!, numeric[i])).join(" ┆ ")} │`);
  }
  const out = [
    line("┌", "┬", "┐"),
    `│ ${heads.map((h, i) => padToWidth(h, widths[i]!)).join(" ┆ ")} │`,
    `│ ${types.map((t, i) => padToWidth(t, widths[i]!)).join(" ┆ ")} │`,
    line("╞", "╪", "╡").replaceAll("─", "═"),
    ...body,
    line("└", "┴", "┘"),
  ];
  const foot = note ? footer.replace(/\)$/, `${note})`) : footer;
  return `${out.join("\n")}\n${foot}`;
}
