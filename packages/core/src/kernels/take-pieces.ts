import { type Data, type DataType, Type } from "apache-arrow";
import { bitmapBytes } from "./bits.js";
import { mkData } from "./take.js";

// Gathers rows of one logical column held as several pieces (the sorted runs of a parallel
// sort, each as the compute thread sent it) by global row number, without first copying the
// pieces into one column: what takeData(concat(pieces), idx) gives, one copy instead of two.

/** Where each gathered row lives: its piece and its row within the piece. */
export interface PieceRows {
  piece: Int32Array;
  local: Int32Array;
}

/**
 * Locates global rows `idx` (each in [0, total)) among pieces that hold consecutive row
 * ranges: piece p holds rows [starts[p], starts[p + 1]).
 */
export function locateRows(starts: Int32Array, idx: Int32Array): PieceRows {
  const n = idx.length;
  const piece = new Int32Array(n);
  const local = new Int32Array(n);
  const last = starts.length - 2;
  for (let j = 0; j < n; j++) {
    const i = idx[j]!;
    let lo = 0;
    let hi = last;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= i) lo = mid;
      else hi = mid - 1;
    }
    piece[j] = lo;
    local[j] = i - starts[lo]!;
  }
  return { piece, local };
}

/** Whether `takePieces` gathers columns of this type (else concatenate and take). */
export function takesPieces(type: DataType): boolean {
  switch (type.typeId) {
    case Type.Int:
    case Type.Float:
    case Type.Date:
    case Type.Time:
    case Type.Timestamp:
    case Type.Duration:
    case Type.Utf8:
    case Type.Binary:
      return true;
    default:
      return false;
  }
}

/** The rows `at` of the pieces (one column's, all of one type `takesPieces` accepts). */
export function takePieces(pieces: readonly Data[], at: PieceRows): Data {
  const type = pieces[0]!.type;
  const n = at.piece.length;
  const { validity, nulls } = pieceValidity(pieces, at);
  const base = { type, length: n, nullCount: nulls, nullBitmap: validity };
  if (type.typeId === Type.Utf8 || type.typeId === Type.Binary) {
    return mkData({ ...base, ...pieceBytes(pieces, at) });
  }
  return mkData({ ...base, data: pieceValues(pieces, at) });
}

type Typed = ArrayBufferView & { length: number; BYTES_PER_ELEMENT: number };

function pieceValues(pieces: readonly Data[], { piece, local }: PieceRows): ArrayBufferView {
  const n = piece.length;
  const first = pieces[0]!.values as Typed;
  const Ctor = first.constructor as new (n: number) => Typed & { [i: number]: number };
  const bpe = first.BYTES_PER_ELEMENT;
  const out = new Ctor(n);
  if (bpe >= 4 && pieces.every((p) => (p.values as Typed).byteOffset % 4 === 0)) {
    // 32-bit words: one typed-array kind for every width (64-bit values as word pairs).
    const words = pieces.map((p) => {
      const v = p.values as Typed;
      return new Int32Array(v.buffer, v.byteOffset, (v.length * bpe) >> 2);
    });
    const w = bpe >> 2;
    const dst = new Int32Array(out.buffer, out.byteOffset, n * w);
    if (w === 1) {
      for (let j = 0; j < n; j++) dst[j] = words[piece[j]!]![local[j]!]!;
    } else {
      for (let j = 0; j < n; j++) {
        const src = words[piece[j]!]!;
        const at = local[j]! * w;
        for (let k = 0; k < w; k++) dst[j * w + k] = src[at + k]!;
      }
    }
    return out;
  }
  const srcs = pieces.map((p) => p.values as unknown as { [i: number]: number });
  for (let j = 0; j < n; j++) out[j] = srcs[piece[j]!]![local[j]!]!;
  return out;
}

function pieceBytes(
  pieces: readonly Data[],
  { piece, local }: PieceRows,
): { valueOffsets: Int32Array; data: Uint8Array } {
  const n = piece.length;
  const offs = pieces.map((p) => p.valueOffsets as Int32Array);
  const bytes = pieces.map((p) => p.values as Uint8Array);
  const outOffs = new Int32Array(n + 1);
  let total = 0;
  for (let j = 0; j < n; j++) {
    const o = offs[piece[j]!]!;
    const r = local[j]!;
    total += o[r + 1]! - o[r]!;
    outOffs[j + 1] = total;
  }
  const out = new Uint8Array(total);
  for (let j = 0; j < n; j++) {
    const p = piece[j]!;
    const o = offs[p]!;
    const src = bytes[p]!;
    const r = local[j]!;
    const s = o[r]!;
    const e = o[r + 1]!;
    const d = outOffs[j]!;
    // Short strings copy faster by hand than through subarray + set.
    if (e - s < 16) for (let k = s; k < e; k++) out[d + k - s] = src[k]!;
    else out.set(src.subarray(s, e), d);
  }
  return { valueOffsets: outOffs, data: out };
}

function pieceValidity(
  pieces: readonly Data[],
  { piece, local }: PieceRows,
): { validity: Uint8Array | null; nulls: number } {
  if (pieces.every((p) => p.nullCount === 0)) return { validity: null, nulls: 0 };
  const n = piece.length;
  const bitmaps = pieces.map((p) => (p.nullCount > 0 ? p.nullBitmap! : null));
  const offsets = pieces.map((p) => p.offset);
  const out = new Uint8Array(bitmapBytes(n));
  let nulls = 0;
  for (let j = 0; j < n; j++) {
    const p = piece[j]!;
    const bm = bitmaps[p];
    if (bm) {
      const b = offsets[p]! + local[j]!;
      if (((bm[b >> 3]! >> (b & 7)) & 1) === 0) {
        nulls++;
        continue;
      }
    }
    out[j >> 3]! |= 1 << (j & 7);
  }
  return nulls === 0 ? { validity: null, nulls: 0 } : { validity: out, nulls };
}
