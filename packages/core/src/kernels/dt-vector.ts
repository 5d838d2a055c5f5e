// The `.dt` kernels that read or write text (strftime, str.toDate, str.toTimestamp) and the
// text of a temporal cast("utf8"): one pass over the stored values, no Date per row.
import { type Data, type DataType, makeData, type Utf8 } from "apache-arrow";
import type { ExprNode } from "../expr/ast.js";
import { formatExpr } from "../expr/expr.js";
import { validityOf } from "./bits.js";
import { formatter, isoFormatter } from "./dt-format.js";
import { parser } from "./dt-parse.js";
import type { Stored } from "./dt-parts.js";
import { buildUtf8, decodeUtf8Column } from "./utf8.js";

type DtNode = Extract<ExprNode, { kind: "dt" }>;

/** Text of every row of a temporal column through `fmt` (nulls stay null). */
function formatColumn(src: Data, fmt: (v: Stored) => string): Data<Utf8> {
  const n = src.length;
  const vals = src.values as ArrayLike<Stored>;
  const valid = validityOf(src);
  const out = new Array<string | null>(n);
  for (let i = 0; i < n; i++) {
    out[i] = valid && ((valid[i >> 3]! >> (i & 7)) & 1) === 0 ? null : fmt(vals[i]!);
  }
  return buildUtf8(out);
}

/** cast("utf8") of a date or timestamp: ISO 8601 text (see isoFormatOf). */
export function temporalToUtf8(src: Data, type: DataType): Data<Utf8> {
  return formatColumn(src, isoFormatter(type));
}

/** strftime, str.toDate and str.toTimestamp. */
export function dtVectorKernel(node: DtNode, src: Data, argType: DataType, out: DataType): Data {
  if (node.fn === "strftime") return formatColumn(src, formatter(argType, String(node.args[0])));
  if (node.fn !== "toDate" && node.fn !== "toTimestamp") {
    throw new Error(`internal: .dt.${node.fn}() is computed in a loop`);
  }
  const format =
    node.args[0] === undefined || node.args[0] === null ? undefined : String(node.args[0]);
  const target = node.fn === "toDate" ? "date" : "timestamp";
  const parse = parser(format, target);
  const strs = decodeUtf8Column(src);
  const n = strs.length;
  const values = target === "date" ? new Int32Array(n) : new BigInt64Array(n);
  const valid = validityOf(src);
  for (let i = 0; i < n; i++) {
    const s = strs[i];
    if (s === null || s === undefined) continue;
    const v = parse(s);
    if (v === null) {
      const how =
        format === undefined
          ? `ISO 8601 (${target === "date" ? "2024-01-31" : "2024-01-31T12:30:00"})`
          : `the format ${JSON.stringify(format)}`;
      throw new TypeError(
        `.str.${node.fn}() of ${formatExpr(node.arg)} failed at row ${i}: ${JSON.stringify(s.slice(0, 100))} is not a ${target} in ${how}. Fix the value, or give the format it is written in (strftime codes such as "%d/%m/%Y").`,
      );
    }
    values[i] = v as never;
  }
  return makeData({
    type: out as never,
    length: n,
    nullCount: valid ? src.nullCount : 0,
    nullBitmap: valid,
    data: values,
  } as never) as Data;
}
