// Answers as comparable rows: deft's Arrow tables and DuckDB's results normalized to plain
// values (dates as YYYY-MM-DD, integers of any width as numbers), then compared: the same
// columns, the same rows (in order where the query's ORDER BY fixes it), floats within a
// relative 1e-9 (two engines sum in different orders).
import type { DuckDBResultReader } from "@duckdb/node-api";
import { DataType, type Table } from "apache-arrow";

export type Value = number | string | boolean | null;
export interface Answer {
  columns: string[];
  rows: Value[][];
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function normalize(v: unknown, isDate: boolean): Value {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return isoDay(v.getTime());
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "number") return isDate ? isoDay(v) : v;
  if (typeof v === "string" || typeof v === "boolean") return v;
  return String(v);
}

export function answerOfArrow(table: Table): Answer {
  const fields = table.schema.fields;
  const vectors = fields.map((f) => table.getChild(f.name)!);
  const dates = fields.map((f) => DataType.isDate(f.type) || DataType.isTimestamp(f.type));
  const rows: Value[][] = [];
  for (let i = 0; i < table.numRows; i++) {
    rows.push(vectors.map((v, c) => normalize(v.get(i), dates[c]!)));
  }
  return { columns: fields.map((f) => f.name), rows };
}

export function answerOfDuckDB(reader: DuckDBResultReader): Answer {
  return {
    columns: reader.columnNames(),
    rows: reader.getRowsJS().map((row) => row.map((v) => normalize(v, false))),
  };
}

/** Rows of plain JS values (e.g. polars' `rows()`); `dates[i]` marks date columns. */
export function answerOfRecords(columns: string[], rows: unknown[][], dates: boolean[]): Answer {
  return { columns, rows: rows.map((r) => r.map((v, i) => normalize(v, dates[i]!))) };
}

function close(a: Value, b: Value): boolean {
  if (typeof a === "number" && typeof b === "number") {
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
    return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  }
  return a === b;
}

/** A sort key for unordered comparison: floats rounded so tiny differences sort alike. */
const rowKey = (row: Value[]) =>
  JSON.stringify(row.map((v) => (typeof v === "number" ? Number(v.toPrecision(8)) : v)));

/**
 * Throws, naming the query and the first differing row, unless `actual` answers like
 * `expected`. Columns are matched by name (their order is not compared).
 */
export function expectSameAnswer(
  query: string,
  actual: Answer,
  expected: Answer,
  ordered: boolean,
): void {
  const fail = (what: string): never => {
    throw new Error(`${query}: deft's answer differs from DuckDB's: ${what}`);
  };
  const missing = expected.columns.filter((c) => !actual.columns.includes(c));
  const extra = actual.columns.filter((c) => !expected.columns.includes(c));
  if (missing.length > 0 || extra.length > 0) {
    fail(`columns [${actual.columns.join(", ")}], expected [${expected.columns.join(", ")}]`);
  }
  const order = expected.columns.map((c) => actual.columns.indexOf(c));
  let got = actual.rows.map((r) => order.map((i) => r[i]!));
  let want = expected.rows;
  if (got.length !== want.length) fail(`${got.length} rows, expected ${want.length}`);
  if (!ordered) {
    const byKey = (a: Value[], b: Value[]) => (rowKey(a) < rowKey(b) ? -1 : 1);
    got = [...got].sort(byKey);
    want = [...want].sort(byKey);
  }
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (!w.every((v, c) => close(g[c]!, v))) {
      const show = (r: Value[]) =>
        `{ ${expected.columns.map((c, j) => `${c}: ${JSON.stringify(r[j])}`).join(", ")} }`;
      fail(`row ${i} is ${show(g)}, expected ${show(w)}`);
    }
  }
}
