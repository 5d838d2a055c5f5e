import { corrupt } from "./errors.js";

// A reader for the Thrift compact protocol, just enough for Parquet page headers: structs of
// integers, booleans and nested structs, skipping whatever else (statistics) they carry.

export const T_STOP = 0;
export const T_TRUE = 1;
export const T_FALSE = 2;
export const T_BYTE = 3;
export const T_I16 = 4;
export const T_I32 = 5;
export const T_I64 = 6;
export const T_DOUBLE = 7;
export const T_BINARY = 8;
export const T_LIST = 9;
export const T_SET = 10;
export const T_MAP = 11;
export const T_STRUCT = 12;

export class CompactReader {
  pos: number;
  constructor(
    readonly bytes: Uint8Array,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  byte(): number {
    if (this.pos >= this.end) throw corrupt("page header runs past the end of the column chunk");
    return this.bytes[this.pos++]!;
  }

  /** An unsigned varint that fits a double exactly (Parquet sizes and counts do). */
  varint(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
      result += (b & 0x7f) * mul;
      if (b < 0x80) return result;
      mul *= 128;
    }
    throw corrupt("page header has a varint longer than 10 bytes");
  }

  /** A zigzag varint (i16/i32; i64 values of page headers stay far below 2^53). */
  zigzag(): number {
    const v = this.varint();
    // (v >>> 1) ^ -(v & 1), without 32-bit truncation of large values.
    return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
  }

  skip(type: number): void {
    switch (type) {
      case T_TRUE:
      case T_FALSE:
        return;
      case T_BYTE:
        this.byte();
        return;
      case T_I16:
      case T_I32:
      case T_I64:
        this.varint();
        return;
      case T_DOUBLE:
        this.advance(8);
        return;
      case T_BINARY:
        this.advance(this.varint());
        return;
      case T_LIST:
      case T_SET: {
        const h = this.byte();
        let n = h >> 4;
        if (n === 15) n = this.varint();
        const et = h & 15;
        for (let i = 0; i < n; i++) {
          // Booleans inside a list take one byte each.
          if (et === T_TRUE || et === T_FALSE) this.byte();
          else this.skip(et);
        }
        return;
      }
      case T_MAP: {
        const n = this.varint();
        if (n === 0) return;
        const kv = this.byte();
        for (let i = 0; i < n; i++) {
          this.skip(kv >> 4);
          this.skip(kv & 15);
        }
        return;
      }
      case T_STRUCT:
        this.skipStruct();
        return;
      default:
        throw corrupt(`page header has an unknown Thrift type ${type}`);
    }
  }

  skipStruct(): void {
    this.readStruct(() => false);
  }

  /**
   * Reads one struct's fields, calling `field(id, type)` for each; the callback reads the
   * value and returns true, or returns false to have it skipped.
   */
  readStruct(field: (id: number, type: number) => boolean): void {
    let last = 0;
    for (let depth = 0; depth < 10_000; depth++) {
      const h = this.byte();
      const type = h & 15;
      if (type === T_STOP) return;
      const delta = h >> 4;
      const id = delta === 0 ? this.zigzag() : last + delta;
      last = id;
      if (!field(id, type)) this.skip(type);
    }
    throw corrupt("page header has too many fields");
  }

  private advance(n: number): void {
    if (this.pos + n > this.end) throw corrupt("page header runs past the end of the column chunk");
    this.pos += n;
  }
}
