import {
  Binary,
  Bool,
  type DataType,
  DateDay,
  Field,
  Float32,
  Float64,
  Int8,
  Int16,
  Int32,
  Int64,
  LargeUtf8,
  List,
  Null,
  Struct,
  Timestamp,
  TimeUnit,
  Type,
  Uint8,
  Uint16,
  Uint32,
  Uint64,
  Utf8,
} from "apache-arrow";

/** A column type: a type string such as `"int64"` or `"list<float32>"`, or an Arrow DataType. */
export type TypeLike = string | DataType;

const SIMPLE: Record<string, () => DataType> = {
  null: () => new Null(),
  bool: () => new Bool(),
  boolean: () => new Bool(),
  int8: () => new Int8(),
  int16: () => new Int16(),
  int32: () => new Int32(),
  int64: () => new Int64(),
  uint8: () => new Uint8(),
  uint16: () => new Uint16(),
  uint32: () => new Uint32(),
  uint64: () => new Uint64(),
  float32: () => new Float32(),
  float64: () => new Float64(),
  utf8: () => new Utf8(),
  string: () => new Utf8(),
  large_utf8: () => new LargeUtf8(),
  binary: () => new Binary(),
  date: () => new DateDay(),
  date32: () => new DateDay(),
};

const UNITS: Record<string, TimeUnit> = {
  s: TimeUnit.SECOND,
  ms: TimeUnit.MILLISECOND,
  us: TimeUnit.MICROSECOND,
  ns: TimeUnit.NANOSECOND,
};

/** Turns a type string or DataType into an Arrow DataType; throws on an unknown type. */
export function toDataType(type: TypeLike): DataType {
  if (typeof type !== "string") return type;
  const parsed = parseType(type.trim(), type);
  return parsed;
}

function parseType(s: string, whole: string): DataType {
  const simple = SIMPLE[s.toLowerCase()];
  if (simple) return simple();
  const ts = /^timestamp\[(s|ms|us|ns)(?:,\s*(.+))?\]$/i.exec(s);
  if (ts) return new Timestamp(UNITS[ts[1]!.toLowerCase()]!, ts[2]?.trim() ?? null);
  if (/^timestamp$/i.test(s)) return new Timestamp(TimeUnit.MILLISECOND);
  const list = /^list<(.+)>$/i.exec(s);
  if (list) return new List(new Field("item", parseType(list[1]!.trim(), whole), true));
  const struct = /^struct<(.*)>$/i.exec(s);
  if (struct) {
    const fields = splitTopLevel(struct[1]!).map((part) => {
      const colon = part.indexOf(":");
      if (colon < 0)
        throw new TypeError(`Bad struct field "${part}" in type "${whole}": write "name: type".`);
      const name = part.slice(0, colon).trim();
      return new Field(name, parseType(part.slice(colon + 1).trim(), whole), true);
    });
    return new Struct(fields);
  }
  throw new TypeError(
    `Unknown type "${whole}". Use one of ${Object.keys(SIMPLE).join(", ")}, timestamp[ms], list<T>, struct<a: T, ...>, or an apache-arrow DataType.`,
  );
}

function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "<" || c === "[") depth++;
    else if (c === ">" || c === "]") depth--;
    else if (c === "," && depth === 0) {
      parts.push(s.slice(start, i));
      start = i + 1;
    }
  }
  if (s.slice(start).trim() !== "") parts.push(s.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== "");
}

/** A short type string for messages and explain output, e.g. "int64", "list<utf8>". */
export function typeName(type: DataType): string {
  switch (type.typeId) {
    case Type.Int: {
      const t = type as Int32;
      return `${t.isSigned ? "int" : "uint"}${t.bitWidth}`;
    }
    case Type.Float: {
      const t = type as Float64;
      return t.precision === 0 ? "float16" : t.precision === 1 ? "float32" : "float64";
    }
    case Type.Bool:
      return "bool";
    case Type.Utf8:
      return "utf8";
    case Type.LargeUtf8:
      return "large_utf8";
    case Type.Binary:
      return "binary";
    case Type.Null:
      return "null";
    case Type.Date:
      return "date";
    case Type.Timestamp: {
      const t = type as Timestamp;
      const unit = ["s", "ms", "us", "ns"][t.unit];
      return t.timezone ? `timestamp[${unit}, ${t.timezone}]` : `timestamp[${unit}]`;
    }
    case Type.List:
      return `list<${typeName((type as List).children[0]!.type)}>`;
    case Type.Struct:
      return `struct<${(type as Struct).children.map((f) => `${f.name}: ${typeName(f.type)}`).join(", ")}>`;
    default:
      return String(type);
  }
}

export const isNumeric = (t: DataType): boolean => t.typeId === Type.Int || t.typeId === Type.Float;
export const isInt = (t: DataType): boolean => t.typeId === Type.Int;
export const isFloat = (t: DataType): boolean => t.typeId === Type.Float;
export const isBigInt = (t: DataType): boolean =>
  t.typeId === Type.Int && (t as Int64).bitWidth === 64;
export const isString = (t: DataType): boolean =>
  t.typeId === Type.Utf8 || t.typeId === Type.LargeUtf8;
export const isBool = (t: DataType): boolean => t.typeId === Type.Bool;
export const isTemporal = (t: DataType): boolean =>
  t.typeId === Type.Date || t.typeId === Type.Timestamp;
