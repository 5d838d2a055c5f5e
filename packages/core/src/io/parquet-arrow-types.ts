// The Arrow types a Parquet file's embedded Arrow schema asks for, mapped to the ones deft
// reads them as: view types (polars writes every string as Utf8View) as their plain
// equivalents, dictionary / categorical columns as their decoded values, and every spelling
// of UTC ("+00:00", "Etc/UTC", "Z", ...) as "UTC". Decoders may hand back a type that holds
// the same values in another layout (a zone spelt otherwise, Int64 for a duration whose hint
// was dropped, 32-bit offsets for 64-bit ones); `sameValues` and `relabel` square them up.
import {
  Binary,
  type Data,
  type DataType,
  type Dictionary,
  Field,
  FixedSizeList,
  LargeList,
  List,
  Map_,
  Struct,
  type Time,
  Timestamp,
  Type,
  Utf8,
} from "apache-arrow";
import { relabelData } from "../kernels/relabel.js";

const UTC_SPELLINGS = new Set([
  "utc",
  "z",
  "+00:00",
  "+0000",
  "+00",
  "-00:00",
  "etc/utc",
  "etc/gmt",
  "gmt",
  "zulu",
  "etc/zulu",
  "universal",
  "etc/universal",
]);

/** `zone` with any spelling of UTC written as "UTC" (null and other zones unchanged). */
export function canonicalZone(zone: string | null | undefined): string | null {
  if (zone === null || zone === undefined) return null;
  return UTC_SPELLINGS.has(zone.trim().toLowerCase()) ? "UTC" : zone;
}

function plainField(f: Field): Field {
  const type = plainArrowType(f.type);
  return type === f.type ? f : new Field(f.name, type, f.nullable, f.metadata);
}

/**
 * The type deft reads a column of `type` as: views as plain types, dictionaries as their
 * values, UTC zones spelt "UTC"; children included. The same object when nothing changes.
 */
export function plainArrowType(type: DataType): DataType {
  switch (type.typeId) {
    case Type.Utf8View:
      return new Utf8();
    case Type.BinaryView:
      return new Binary();
    case Type.Dictionary:
      return plainArrowType((type as Dictionary).dictionary);
    case Type.Timestamp: {
      const t = type as Timestamp;
      const zone = canonicalZone(t.timezone);
      return zone === t.timezone ? type : new Timestamp(t.unit, zone);
    }
    case Type.List:
    case Type.LargeList:
    case Type.FixedSizeList:
    case Type.Struct:
    case Type.Map: {
      const children = type.children.map(plainField);
      if (children.every((c, i) => c === type.children[i])) return type;
      return withChildren(type, children);
    }
    default:
      return type;
  }
}

function withChildren(type: DataType, children: Field[]): DataType {
  switch (type.typeId) {
    case Type.List:
      return new List(children[0]!);
    case Type.LargeList:
      return new LargeList(children[0]!);
    case Type.FixedSizeList:
      return new FixedSizeList((type as FixedSizeList).listSize, children[0]!);
    case Type.Map:
      return new Map_(children[0] as Field<Struct>, (type as Map_).keysSorted);
    default:
      return new Struct(children);
  }
}

/** Whether `type` holds a dictionary anywhere (parquet-wasm cannot honour such a hint). */
export function hasDictionary(type: DataType): boolean {
  if (type.typeId === Type.Dictionary) return true;
  return (type.children ?? []).some((c: Field) => hasDictionary(c.type));
}

/**
 * A key equal for two types whose columns hold the same values: large and small offsets,
 * zone spellings, views and dictionaries aside.
 */
export function valuesKey(type: DataType): string {
  return String(smallOffsets(plainArrowType(type)));
}

function smallOffsets(type: DataType): DataType {
  switch (type.typeId) {
    case Type.LargeUtf8:
      return new Utf8();
    case Type.LargeBinary:
      return new Binary();
    case Type.LargeList:
      return new List(smallField(type.children[0]!));
    case Type.List:
    case Type.FixedSizeList:
    case Type.Struct:
    case Type.Map:
      return withChildren(type, type.children.map(smallField));
    default:
      return type;
  }
}

const smallField = (f: Field): Field => new Field(f.name, smallOffsets(f.type), f.nullable);

/** Whether a decoder's `decoded` type gives the values the footer's `expected` type promises. */
export function sameValues(decoded: DataType, expected: DataType): boolean {
  if (valuesKey(decoded) === valuesKey(expected)) return true;
  return relabelType(decoded, expected) !== undefined;
}

/**
 * The type to label `decoded` data with so it reads as `expected`: `expected` where the
 * buffers are the same (a zone, or a 64-bit integer that is a duration / time), the decoded
 * type where only the offsets' width differs (sources narrow those anyway); undefined when
 * the values differ.
 */
function relabelType(decoded: DataType, expected: DataType): DataType | undefined {
  const d = decoded.typeId;
  const e = expected.typeId;
  if (String(decoded) === String(expected)) return decoded;
  if (d === Type.Timestamp && e === Type.Timestamp) {
    const dz = canonicalZone((decoded as Timestamp).timezone);
    const ez = canonicalZone((expected as Timestamp).timezone);
    // Zoned timestamps are instants in UTC whatever the zone: one decoded from the Parquet
    // type alone (UTC) is the same value in the embedded schema's zone.
    const sameInstant = dz === ez || (dz === "UTC" && ez !== null);
    return (decoded as Timestamp).unit === (expected as Timestamp).unit && sameInstant
      ? expected
      : undefined;
  }
  if (d === Type.Int && (decoded as { bitWidth?: number }).bitWidth === 64) {
    if ((decoded as { isSigned?: boolean }).isSigned !== true) return undefined;
    if (e === Type.Duration || e === Type.Timestamp) return expected;
    if (e === Type.Time && (expected as Time).bitWidth === 64) return expected;
    return undefined;
  }
  if ((d === Type.Utf8 && e === Type.LargeUtf8) || (d === Type.Binary && e === Type.LargeBinary))
    return decoded;
  if ((d === Type.LargeUtf8 && e === Type.Utf8) || (d === Type.LargeBinary && e === Type.Binary))
    return decoded;
  const nested = [Type.List, Type.LargeList, Type.FixedSizeList, Type.Struct, Type.Map];
  if (nested.includes(d) && nested.includes(e)) {
    const sameShape =
      d === e ||
      ((d === Type.List || d === Type.LargeList) && (e === Type.List || e === Type.LargeList));
    if (!sameShape || decoded.children.length !== expected.children.length) return undefined;
    const kids: Field[] = [];
    for (let i = 0; i < decoded.children.length; i++) {
      const dc = decoded.children[i]!;
      const ec = expected.children[i]!;
      const t = relabelType(dc.type, ec.type);
      if (!t) return undefined;
      kids.push(new Field(dc.name, t, dc.nullable, ec.metadata));
    }
    return withChildren(decoded, kids);
  }
  return undefined;
}

/**
 * `data` (decoded) labelled as `expected` where the layouts allow (see `relabelType`);
 * undefined when the values differ. Buffers are shared, never copied.
 */
export function relabel(data: Data, expected: DataType): Data | undefined {
  const type = relabelType(data.type, expected);
  if (!type) return undefined;
  return relabelTo(data, type);
}

function relabelTo(data: Data, type: DataType): Data {
  const children = data.children.map((c, i) => relabelTo(c, type.children[i]!.type));
  if (type === data.type && children.every((c, i) => c === data.children[i])) return data;
  // Same buffers (a 64-bit integer and a duration share their layout), another label.
  return relabelData(data, type, children);
}
