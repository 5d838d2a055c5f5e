// Rows moved into partition order before a window is computed: every partition's rows side by
// side (input order kept within it), so sorting a partition, reading its values and writing its
// results all touch one small, contiguous range instead of the whole input. On 10M rows in
// 1000 partitions this is what keeps a window pass in cache rather than one cache miss per row.
import { type Data, type DataType, makeData, Type } from "apache-arrow";
import { bitmapBytes } from "./bits.js";
import { GroupKeys } from "./groupby-keys.js";
import { takeData } from "./take.js";

export interface RowPartitions {
  /** Partition starts in partitioned positions, then n (length partitions + 1). */
  bounds: Int32Array;
  /** Input row -> its partitioned position. */
  pos: Int32Array;
  /** Partitioned position -> input row (the inverse of `pos`). */
  rows: Int32Array;
}

/**
 * Groups `n` rows by the `partition` columns (null keys form a partition of their own), the
 * partitions in order of first appearance and the rows of each in input order.
 */
export function partitionRows(n: number, partition: readonly Data[]): RowPartitions {
  const gids = new Int32Array(n);
  const keys = new GroupKeys(partition.map((c) => c.type));
  keys.insert(partition, gids);
  const parts = keys.numGroups;
  const bounds = new Int32Array(parts + 1);
  for (let i = 0; i < n; i++) bounds[gids[i]! + 1]!++;
  for (let p = 0; p < parts; p++) bounds[p + 1]! += bounds[p]!;
  const at = bounds.slice(0, parts);
  const pos = new Int32Array(n);
  const rows = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const j = at[gids[r]!]!++;
    pos[r] = j;
    rows[j] = r;
  }
  return { bounds, pos, rows };
}

/**
 * `data` in partitioned order (`out[pos[r]] = data[r]`). Fixed-width values are written by
 * reading the input in order (one output stream per partition); other types are gathered.
 */
export function toPartitioned(data: Data, parts: RowPartitions): Data {
  const words = fixedWords(data);
  if (!words) return takeData(data, parts.rows);
  const { src, stride } = words;
  const { pos } = parts;
  const n = data.length;
  const dst = new Int32Array(n * stride);
  if (stride === 1) for (let r = 0; r < n; r++) dst[pos[r]!] = src[r]!;
  else if (stride === 2)
    for (let r = 0; r < n; r++) {
      const j = 2 * pos[r]!;
      dst[j] = src[2 * r]!;
      dst[j + 1] = src[2 * r + 1]!;
    }
  else
    for (let r = 0; r < n; r++) {
      const j = stride * pos[r]!;
      for (let w = 0; w < stride; w++) dst[j + w] = src[stride * r + w]!;
    }
  const values = data.values as ArrayBufferView & { BYTES_PER_ELEMENT: number };
  const Ctor = values.constructor as new (b: ArrayBufferLike, o: number, l: number) => unknown;
  const out = new Ctor(dst.buffer, 0, (n * stride * 4) / values.BYTES_PER_ELEMENT);
  let nullBitmap: Uint8Array | null = null;
  if (data.nullCount > 0) {
    const bm = data.nullBitmap!;
    const o = data.offset;
    nullBitmap = new Uint8Array(bitmapBytes(n));
    for (let r = 0; r < n; r++) {
      if ((bm[(o + r) >> 3]! >> ((o + r) & 7)) & 1) {
        const j = pos[r]!;
        nullBitmap[j >> 3]! |= 1 << (j & 7);
      }
    }
  }
  return makeData({
    type: data.type,
    length: n,
    nullCount: data.nullCount,
    nullBitmap,
    data: out,
  } as never);
}

/** The values of a fixed-width column whose width is whole 32-bit words, as Int32 words. */
function fixedWords(data: Data): { src: Int32Array; stride: number } | null {
  const bytes = byteWidth(data.type);
  if (bytes === 0 || bytes % 4 !== 0 || data.length === 0) return null;
  const values = data.values as ArrayBufferView;
  const stride = bytes / 4;
  // Arrow slices the values buffer itself (`offset` is left for the validity bits).
  const src = new Int32Array(values.buffer, values.byteOffset, data.length * stride);
  return { src, stride };
}

/** Bytes per value of a fixed-width type, 0 for any other. */
function byteWidth(type: DataType): number {
  switch (type.typeId) {
    case Type.Int:
    case Type.Time:
      return (type as unknown as { bitWidth: number }).bitWidth / 8;
    case Type.Decimal:
      return (type as unknown as { bitWidth: number }).bitWidth / 8;
    case Type.Float:
      return [2, 4, 8][(type as unknown as { precision: number }).precision] ?? 0;
    case Type.Date:
      return (type as unknown as { unit: number }).unit === 0 ? 4 : 8;
    case Type.Timestamp:
    case Type.Duration:
      return 8;
    default:
      return 0;
  }
}
