import type { Data } from "apache-arrow";

/**
 * Row mapping for exploding a list column: output row j comes from input row `rows[j]` and
 * takes list element `elements[j]` (an index into the list's child), or null (-1) when the
 * list was empty or null: such rows still produce one row, as in Polars and Daft.
 */
export function explodeIndices(list: Data): { rows: Int32Array; elements: Int32Array } {
  const n = list.length;
  const offs = list.valueOffsets as Int32Array;
  const valid = list.nullCount > 0 ? list.nullBitmap! : null;
  const bo = list.offset;
  const isNull = (i: number) => {
    if (!valid) return false;
    const b = bo + i;
    return ((valid[b >> 3]! >> (b & 7)) & 1) === 0;
  };
  let total = 0;
  for (let i = 0; i < n; i++) {
    const len = isNull(i) ? 0 : offs[i + 1]! - offs[i]!;
    total += len > 0 ? len : 1;
  }
  const rows = new Int32Array(total);
  const elements = new Int32Array(total);
  let j = 0;
  for (let i = 0; i < n; i++) {
    const s = offs[i]!;
    const e = isNull(i) ? s : offs[i + 1]!;
    if (e === s) {
      rows[j] = i;
      elements[j++] = -1;
      continue;
    }
    for (let k = s; k < e; k++) {
      rows[j] = i;
      elements[j++] = k;
    }
  }
  return { rows, elements };
}
