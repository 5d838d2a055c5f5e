import {
  type Data,
  type DataType,
  type Field,
  type List,
  makeData,
  type Struct,
  type Timestamp,
  Type,
} from "apache-arrow";
import { typeName } from "../types/dtype.js";

/**
 * Growable column builders used by the CSV and NDJSON readers: typed arrays, a validity
 * bitmap and (for strings) offsets + bytes written directly, never an array of JS values.
 * `append` takes the value already converted (number, bigint, boolean, string, array, object);
 * conversion from text lives in the readers, so their errors can name file, line and column.
 */
export interface ColumnBuilder {
  readonly type: DataType;
  length: number;
  append(value: unknown): void;
  appendNull(): void;
  /** Returns the built column and resets the builder for the next batch. */
  finish(): Data;
}

class Validity {
  bits: Uint8Array = new Uint8Array(64);
  nulls = 0;
  set(i: number, valid: boolean): void {
    if (i >> 3 >= this.bits.length) this.bits = growBytes(this.bits, (i >> 3) + 1);
    if (valid) this.bits[i >> 3]! |= 1 << (i & 7);
    else {
      this.bits[i >> 3]! &= ~(1 << (i & 7));
      this.nulls++;
    }
  }
  take(n: number): { nullBitmap: Uint8Array | null; nullCount: number } {
    const out = {
      nullBitmap: this.nulls ? this.bits.slice(0, ((n + 63) >> 6) << 3) : null,
      nullCount: this.nulls,
    };
    this.bits = new Uint8Array(Math.max(64, this.bits.length));
    this.nulls = 0;
    return out;
  }
}

function growBytes(a: Uint8Array, min: number): Uint8Array {
  const b = new Uint8Array(Math.max(min, a.length * 2));
  b.set(a);
  return b;
}

type NumArray =
  | Float64Array
  | Float32Array
  | Int32Array
  | Int16Array
  | Int8Array
  | Uint32Array
  | Uint16Array
  | Uint8Array;
type NumCtor = new (n: number) => NumArray;

/** Numbers in a plain typed array (floats, ints up to 32 bits, date32 days). */
class NumberBuilder implements ColumnBuilder {
  length = 0;
  private values: NumArray;
  private readonly valid = new Validity();
  constructor(
    readonly type: DataType,
    private readonly Ctor: NumCtor,
  ) {
    this.values = new Ctor(1024);
  }
  append(v: unknown): void {
    if (this.length === this.values.length) this.grow();
    this.values[this.length] = v as number;
    this.valid.set(this.length++, true);
  }
  appendNull(): void {
    if (this.length === this.values.length) this.grow();
    this.values[this.length] = 0;
    this.valid.set(this.length++, false);
  }
  private grow(): void {
    const b = new this.Ctor(this.values.length * 2);
    b.set(this.values as never);
    this.values = b;
  }
  finish(): Data {
    const n = this.length;
    const data = makeData({
      type: this.type,
      length: n,
      data: this.values.slice(0, n),
      ...this.valid.take(n),
    } as never);
    this.length = 0;
    return data as Data;
  }
}

const TWO32 = 4294967296;

/** 64-bit integers (int64, uint64, timestamps) as lo/hi int32 pairs: no BigInt per value. */
class Int64Builder implements ColumnBuilder {
  length = 0;
  private words = new Int32Array(2048);
  private readonly valid = new Validity();
  constructor(readonly type: DataType) {}
  /** Accepts a safe integer number or a bigint. */
  append(v: unknown): void {
    if (this.length * 2 === this.words.length) this.grow();
    const i = this.length * 2;
    if (typeof v === "bigint") {
      const u = BigInt.asUintN(64, v);
      this.words[i] = Number(u & 0xffffffffn) | 0;
      this.words[i + 1] = Number(u >> 32n) | 0;
    } else {
      const n = v as number;
      const hi = Math.floor(n / TWO32);
      this.words[i] = (n - hi * TWO32) | 0;
      this.words[i + 1] = hi | 0;
    }
    this.valid.set(this.length++, true);
  }
  appendNull(): void {
    if (this.length * 2 === this.words.length) this.grow();
    this.words[this.length * 2] = 0;
    this.words[this.length * 2 + 1] = 0;
    this.valid.set(this.length++, false);
  }
  private grow(): void {
    const b = new Int32Array(this.words.length * 2);
    b.set(this.words);
    this.words = b;
  }
  finish(): Data {
    const n = this.length;
    const words = this.words.slice(0, n * 2);
    const signed =
      this.type.typeId !== Type.Int || (this.type as unknown as { isSigned: boolean }).isSigned;
    const values = signed ? new BigInt64Array(words.buffer) : new BigUint64Array(words.buffer);
    const data = makeData({
      type: this.type,
      length: n,
      data: values,
      ...this.valid.take(n),
    } as never);
    this.length = 0;
    return data as Data;
  }
}

class BoolBuilder implements ColumnBuilder {
  length = 0;
  private readonly values = new Validity();
  private readonly valid = new Validity();
  constructor(readonly type: DataType) {}
  append(v: unknown): void {
    this.values.set(this.length, v as boolean);
    this.valid.set(this.length++, true);
  }
  appendNull(): void {
    this.values.set(this.length, false);
    this.valid.set(this.length++, false);
  }
  finish(): Data {
    const n = this.length;
    const bits = this.values.bits.slice(0, ((n + 63) >> 6) << 3);
    this.values.take(n);
    const data = makeData({
      type: this.type,
      length: n,
      data: bits,
      ...this.valid.take(n),
    } as never);
    this.length = 0;
    return data as Data;
  }
}

const encoder = new TextEncoder();

/** Utf8/Binary: offsets and bytes written directly (ASCII copied char by char). */
export class BytesBuilder implements ColumnBuilder {
  length = 0;
  private offsets = new Int32Array(1025);
  private bytes: Uint8Array = new Uint8Array(16384);
  private pos = 0;
  private readonly valid = new Validity();
  constructor(readonly type: DataType) {}
  append(v: unknown): void {
    if (this.length + 1 === this.offsets.length) this.growOffsets();
    if (typeof v === "string") this.appendString(v);
    else {
      const b = v as Uint8Array;
      if (this.pos + b.length > this.bytes.length)
        this.bytes = growBytes(this.bytes, this.pos + b.length);
      this.bytes.set(b, this.pos);
      this.pos += b.length;
    }
    this.offsets[this.length + 1] = this.pos;
    this.valid.set(this.length++, true);
  }
  private appendString(s: string): void {
    const len = s.length;
    if (this.pos + len * 3 > this.bytes.length)
      this.bytes = growBytes(this.bytes, this.pos + len * 3);
    const bytes = this.bytes;
    const pos = this.pos;
    for (let k = 0; k < len; k++) {
      const c = s.charCodeAt(k);
      if (c > 127) {
        this.pos += encoder.encodeInto(s, bytes.subarray(pos)).written;
        return;
      }
      bytes[pos + k] = c;
    }
    this.pos += len;
  }
  appendNull(): void {
    if (this.length + 1 === this.offsets.length) this.growOffsets();
    this.offsets[this.length + 1] = this.pos;
    this.valid.set(this.length++, false);
  }
  private growOffsets(): void {
    const b = new Int32Array(this.offsets.length * 2);
    b.set(this.offsets);
    this.offsets = b;
  }
  finish(): Data {
    const n = this.length;
    const data = makeData({
      type: this.type,
      length: n,
      valueOffsets: this.offsets.slice(0, n + 1),
      data: this.bytes.slice(0, this.pos),
      ...this.valid.take(n),
    } as never);
    this.length = 0;
    this.pos = 0;
    this.offsets[0] = 0;
    return data as Data;
  }
}

class ListBuilder implements ColumnBuilder {
  length = 0;
  private offsets = new Int32Array(1025);
  private readonly valid = new Validity();
  private readonly child: ColumnBuilder;
  constructor(readonly type: List) {
    this.child = makeBuilder(type.children[0]!.type);
  }
  append(v: unknown): void {
    if (this.length + 1 === this.offsets.length) this.grow();
    for (const item of v as unknown[]) {
      if (item === null || item === undefined) this.child.appendNull();
      else this.child.append(item);
    }
    this.offsets[this.length + 1] = this.child.length;
    this.valid.set(this.length++, true);
  }
  appendNull(): void {
    if (this.length + 1 === this.offsets.length) this.grow();
    this.offsets[this.length + 1] = this.child.length;
    this.valid.set(this.length++, false);
  }
  private grow(): void {
    const b = new Int32Array(this.offsets.length * 2);
    b.set(this.offsets);
    this.offsets = b;
  }
  finish(): Data {
    const n = this.length;
    const data = makeData({
      type: this.type,
      length: n,
      valueOffsets: this.offsets.slice(0, n + 1),
      child: this.child.finish(),
      ...this.valid.take(n),
    } as never);
    this.length = 0;
    this.offsets[0] = 0;
    return data as Data;
  }
}

class StructBuilder implements ColumnBuilder {
  length = 0;
  private readonly valid = new Validity();
  private readonly children: { name: string; b: ColumnBuilder }[];
  constructor(readonly type: Struct) {
    this.children = type.children.map((f: Field) => ({ name: f.name, b: makeBuilder(f.type) }));
  }
  append(v: unknown): void {
    const obj = v as Record<string, unknown>;
    for (const c of this.children) {
      const x = obj[c.name];
      if (x === null || x === undefined) c.b.appendNull();
      else c.b.append(x);
    }
    this.valid.set(this.length++, true);
  }
  appendNull(): void {
    for (const c of this.children) c.b.appendNull();
    this.valid.set(this.length++, false);
  }
  finish(): Data {
    const n = this.length;
    const data = makeData({
      type: this.type,
      length: n,
      children: this.children.map((c) => c.b.finish()),
      ...this.valid.take(n),
    } as never);
    this.length = 0;
    return data as Data;
  }
}

const INT_CTORS: Record<string, NumCtor> = {
  "8true": Int8Array,
  "16true": Int16Array,
  "32true": Int32Array,
  "8false": Uint8Array,
  "16false": Uint16Array,
  "32false": Uint32Array,
};

/** A builder for `type`; throws naming the type when the text formats cannot hold it. */
export function makeBuilder(type: DataType): ColumnBuilder {
  switch (type.typeId) {
    case Type.Float:
      return new NumberBuilder(
        type,
        (type as unknown as { precision: number }).precision === 1 ? Float32Array : Float64Array,
      );
    case Type.Int: {
      const t = type as unknown as { bitWidth: number; isSigned: boolean };
      if (t.bitWidth === 64) return new Int64Builder(type);
      return new NumberBuilder(type, INT_CTORS[`${t.bitWidth}${t.isSigned}`]!);
    }
    case Type.Bool:
      return new BoolBuilder(type);
    case Type.Utf8:
    case Type.Binary:
      return new BytesBuilder(type);
    case Type.Date:
      if ((type as unknown as { unit: number }).unit === 0)
        return new NumberBuilder(type, Int32Array);
      return new Int64Builder(type);
    case Type.Timestamp:
      return new Int64Builder(type as Timestamp);
    case Type.Time:
      return (type as unknown as { bitWidth: number }).bitWidth === 64
        ? new Int64Builder(type)
        : new NumberBuilder(type, Int32Array);
    case Type.List:
      return new ListBuilder(type as List);
    case Type.Struct:
      return new StructBuilder(type as Struct);
    default:
      throw new TypeError(
        `Reading text into ${typeName(type)} columns is not supported; read it as "utf8" and cast.`,
      );
  }
}
