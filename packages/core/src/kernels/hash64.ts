// `hash()`: a uint64 per row that depends only on the value, never on the run, the process,
// the batch or the thread. Two 32-bit lanes of MurmurHash3 (x86_32) over the value's
// canonical bytes, seed 0 for the low word and 0x9747b28c for the high word:
// - integers of every width and sign: the value as 8 bytes of 64-bit two's complement,
//   little-endian (so 5 hashes alike as int8, int32 or int64);
// - floats: the float64's 8 bytes, little-endian, with -0 as 0 and every NaN as 0x7ff8…0;
// - dates, timestamps, durations: the stored integer as for integers (date32 in days,
//   timestamps in their unit);
// - bools: one byte, 0 or 1; utf8 and binary: their bytes;
// - null: the fixed value 0x9e3779b97f4a7c15.
// These rules are part of deft's contract: changing them would change users' stored hashes.
import { type Data, type DataType, makeData, Type, Uint64 } from "apache-arrow";
import { keyKindOf, keyView } from "./hash.js";

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;
export const SEED_LO = 0;
export const SEED_HI = 0x9747b28c;
const NULL_LO = 0x7f4a7c15;
const NULL_HI = 0x9e3779b9;

const rotl = (x: number, r: number): number => (x << r) | (x >>> (32 - r));

function mixK(k: number): number {
  return Math.imul(rotl(Math.imul(k, C1), 15), C2);
}
function mixH(h: number, k: number): number {
  return (Math.imul(rotl(h ^ mixK(k), 13), 5) + 0xe6546b64) | 0;
}
function fmix(h: number, len: number): number {
  h ^= len;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** MurmurHash3_x86_32 of the 8 bytes (lo, hi) (two little-endian words). */
export function murmur8(lo: number, hi: number, seed: number): number {
  return fmix(mixH(mixH(seed, lo), hi), 8);
}

/** MurmurHash3_x86_32 of bytes[start, end). */
export function murmurBytes(bytes: Uint8Array, start: number, end: number, seed: number): number {
  let h = seed | 0;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    h = mixH(h, bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
  }
  const rest = end - i;
  if (rest > 0) {
    let k = bytes[i]!;
    if (rest > 1) k ^= bytes[i + 1]! << 8;
    if (rest > 2) k ^= bytes[i + 2]! << 16;
    h ^= mixK(k);
  }
  return fmix(h, end - start);
}

const f64 = new Float64Array(1);
const f64w = new Int32Array(f64.buffer);

/** The hash of every row of `data` (type `type`) as a uint64 column without nulls. */
export function hashKernel(data: Data, type: DataType): Data {
  const n = data.length;
  const out = new BigUint64Array(n);
  const w = new Uint32Array(out.buffer);
  const put = (i: number, lo: number, hi: number) => {
    w[2 * i] = lo;
    w[2 * i + 1] = hi;
  };
  const kind = type.typeId === Type.Null ? null : keyKindOf(type);
  if (kind === null) {
    for (let i = 0; i < n; i++) put(i, NULL_LO, NULL_HI);
    return makeData({ type: new Uint64(), length: n, nullCount: 0, data: out });
  }
  const v = keyView(data, kind);
  switch (kind) {
    case "num": {
      const a = v.num;
      for (let i = 0; i < n; i++) {
        const x = a[i]!;
        const lo = x | 0;
        const hi = x < 0 ? -1 : 0;
        put(i, murmur8(lo, hi, SEED_LO), murmur8(lo, hi, SEED_HI));
      }
      break;
    }
    case "float": {
      const a = v.num;
      for (let i = 0; i < n; i++) {
        const x = a[i]!;
        f64[0] = x === 0 ? 0 : x;
        // Every NaN as the canonical one (a stored NaN may carry a payload or a sign).
        const lo = Number.isNaN(x) ? 0 : f64w[0]!;
        const hi = Number.isNaN(x) ? 0x7ff80000 : f64w[1]!;
        put(i, murmur8(lo, hi, SEED_LO), murmur8(lo, hi, SEED_HI));
      }
      break;
    }
    case "i64": {
      const ws = v.words;
      for (let i = 0; i < n; i++) {
        const lo = ws[2 * i]!;
        const hi = ws[2 * i + 1]!;
        put(i, murmur8(lo, hi, SEED_LO), murmur8(lo, hi, SEED_HI));
      }
      break;
    }
    case "bool": {
      const one = [
        murmurBytes(Uint8Array.of(1), 0, 1, SEED_LO),
        murmurBytes(Uint8Array.of(1), 0, 1, SEED_HI),
      ];
      const zero = [
        murmurBytes(Uint8Array.of(0), 0, 1, SEED_LO),
        murmurBytes(Uint8Array.of(0), 0, 1, SEED_HI),
      ];
      const a = v.num as Uint8Array;
      for (let i = 0; i < n; i++) {
        const b = v.bitOffset + i;
        const [lo, hi] = (a[b >> 3]! >> (b & 7)) & 1 ? one : zero;
        put(i, lo!, hi!);
      }
      break;
    }
    case "bytes": {
      const o = v.offsets;
      const bytes = v.bytes;
      for (let i = 0; i < n; i++) {
        const s = o[i]!;
        const e = o[i + 1]!;
        put(i, murmurBytes(bytes, s, e, SEED_LO), murmurBytes(bytes, s, e, SEED_HI));
      }
      break;
    }
  }
  if (v.valid) {
    for (let i = 0; i < n; i++) {
      const b = v.bitOffset + i;
      if (((v.valid[b >> 3]! >> (b & 7)) & 1) === 0) put(i, NULL_LO, NULL_HI);
    }
  }
  return makeData({ type: new Uint64(), length: n, nullCount: 0, data: out });
}
