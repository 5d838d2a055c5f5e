// Window functions by position: numbering and ranking within a partition, offsets (lag,
// lead) and the values at a frame's ends (firstValue, lastValue, nthValue).
import { type Data, type DataType, Float64, Int64, makeData } from "apache-arrow";
import type { LitValue, WinFn } from "../expr/ast.js";
import { takeData } from "./take.js";
import { concatData } from "./take-concat.js";
import { broadcastLiteral } from "./vector.js";
import type { FrameBounds } from "./window-frame.js";
import type { WindowLayout } from "./window-layout.js";

/** `fn` per row in input row order; `arg` is its column, `frames` its frame (when it has one). */
export function windowFunction(
  fn: WinFn,
  args: readonly LitValue[],
  arg: Data | null,
  type: DataType,
  layout: WindowLayout,
  frames: FrameBounds | null,
): Data {
  const { n, perm, bounds, peerStart } = layout;
  switch (fn) {
    case "rowNumber":
    case "rank":
    case "denseRank":
    case "ntile": {
      const out = new Float64Array(n);
      const buckets = fn === "ntile" ? Number(args[0]) : 0;
      for (let p = 0; p + 1 < bounds.length; p++) {
        const s = bounds[p]!;
        const e = bounds[p + 1]!;
        // SQL's ntile: the first (rows % buckets) buckets hold one row more.
        const size = Math.floor((e - s) / Math.max(buckets, 1));
        const large = e - s - buckets * size;
        const smallStart = large * (size + 1);
        let dense = 0;
        for (let i = s; i < e; i++) {
          if (peerStart[i] === i) dense++;
          const k = i - s;
          out[perm[i]!] =
            fn === "rowNumber"
              ? k + 1
              : fn === "rank"
                ? peerStart[i]! - s + 1
                : fn === "denseRank"
                  ? dense
                  : k < smallStart
                    ? 1 + Math.floor(k / (size + 1))
                    : 1 + large + Math.floor((k - smallStart) / size);
        }
      }
      return int64Of(out);
    }
    case "percentRank": {
      const out = new Float64Array(n);
      for (let p = 0; p + 1 < bounds.length; p++) {
        const s = bounds[p]!;
        const e = bounds[p + 1]!;
        for (let i = s; i < e; i++)
          out[perm[i]!] = e - s > 1 ? (peerStart[i]! - s) / (e - s - 1) : 0;
      }
      return makeData({ type: new Float64(), length: n, nullCount: 0, data: out });
    }
    case "lag":
    case "lead": {
      const by = fn === "lag" ? -Number(args[0]) : Number(args[0]);
      const fill = args[1] ?? null;
      // Rows outside the partition read the default, kept one past the column's end.
      const src = fill === null ? arg! : concatData(type, [arg!, broadcastLiteral(fill, type, 1)]);
      const missing = fill === null ? -1 : n;
      const idx = new Int32Array(n);
      for (let p = 0; p + 1 < bounds.length; p++) {
        const s = bounds[p]!;
        const e = bounds[p + 1]!;
        for (let i = s; i < e; i++) {
          const j = i + by;
          idx[perm[i]!] = j >= s && j < e ? perm[j]! : missing;
        }
      }
      return takeData(src, idx);
    }
    case "firstValue":
    case "lastValue":
    case "nthValue": {
      const { start, end } = frames!;
      const nth = fn === "nthValue" ? Number(args[0]) - 1 : 0;
      const idx = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const a = start[i]!;
        const b = end[i]!;
        const j = fn === "lastValue" ? b - 1 : a + nth;
        idx[perm[i]!] = a < b && j < b ? perm[j]! : -1;
      }
      return takeData(arg!, idx);
    }
    default:
      throw new Error(`internal: ${fn}() runs as an aggregation over its frame`);
  }
}

function int64Of(x: Float64Array): Data {
  const n = x.length;
  const words = new Int32Array(2 * n);
  for (let i = 0; i < n; i++) words[2 * i] = x[i]!;
  return makeData({
    type: new Int64(),
    length: n,
    nullCount: 0,
    data: new BigInt64Array(words.buffer),
  });
}
