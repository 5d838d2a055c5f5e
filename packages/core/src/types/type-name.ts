import {
  type DataType,
  type Date_,
  type Decimal,
  type Dictionary,
  type Duration,
  type Field,
  type FixedSizeBinary,
  type FixedSizeList,
  type Float64,
  type Int32,
  type Interval,
  type Map_,
  type Struct,
  type Time,
  type Timestamp,
  Type,
  type Union,
} from "apache-arrow";

export const UNIT_NAMES = ["s", "ms", "us", "ns"] as const;
export const INTERVAL_NAMES = ["year_month", "day_time", "month_day_nano"] as const;

/** A field name as written inside a type: bare when it reads back unambiguously, else quoted. */
export function fieldNameText(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : JSON.stringify(name);
}

/** A child field: `name: type`, with ` not null` when the field holds no nulls. */
function fieldText(f: Field, named: boolean, exact: boolean): string {
  const body = `${typeText(f.type, exact)}${f.nullable || !exact ? "" : " not null"}`;
  return named ? `${fieldNameText(f.name)}: ${body}` : body;
}

/** A list's element: the name is left out when it is Arrow's default, "item". */
const elementText = (f: Field, exact: boolean): string =>
  fieldText(f, exact && f.name !== "item", exact);

function mapText(t: Map_, exact: boolean): string {
  const entries = t.children[0]!;
  const [key, value] = (entries.type as Struct).children;
  const sorted = t.keysSorted ? "[sorted]" : "";
  const plain =
    !exact ||
    (entries.name === "entries" &&
      !entries.nullable &&
      key?.name === "key" &&
      !key.nullable &&
      value?.name === "value");
  if (plain && key && value)
    return `map${sorted}<${typeText(key.type, exact)}, ${fieldText(value, false, exact)}>`;
  return `map${sorted}<${fieldText(entries, true, exact)}>`;
}

function unionText(t: Union, exact: boolean): string {
  const mode = t.mode === 0 ? "sparse" : "dense";
  const ids = Array.from(t.typeIds);
  const plainIds = ids.every((id, i) => id === i);
  const params = plainIds ? mode : `${mode}, ${ids.join(", ")}`;
  return `union[${params}]<${t.children.map((f) => fieldText(f, true, exact)).join(", ")}>`;
}

/**
 * The name of a type, e.g. "int64", "list<utf8>", "timestamp[us, UTC]", "decimal(12, 2)".
 * Names read back with `toDataType` to an equal type (child names and nullability included:
 * a list element not named "item" or a non-null child is spelled out), so plans can carry
 * types as text.
 */
export function typeName(type: DataType): string {
  return typeText(type, true);
}

/**
 * The name without child field names and nullability: what two columns must share to be
 * combined (a Parquet list's "element" and an in-memory list's "item" hold the same values).
 */
export function shapeName(type: DataType): string {
  return typeText(type, false);
}

function typeText(type: DataType, exact: boolean): string {
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
    case Type.Utf8View:
      return "utf8_view";
    case Type.Binary:
      return "binary";
    case Type.LargeBinary:
      return "large_binary";
    case Type.BinaryView:
      return "binary_view";
    case Type.FixedSizeBinary:
      return `fixed_size_binary[${(type as FixedSizeBinary).byteWidth}]`;
    case Type.Null:
      return "null";
    case Type.Date:
      return (type as Date_).unit === 0 ? "date" : "date64";
    case Type.Time: {
      const t = type as Time;
      return `time${t.bitWidth}[${UNIT_NAMES[t.unit]}]`;
    }
    case Type.Timestamp: {
      const t = type as Timestamp;
      const unit = UNIT_NAMES[t.unit];
      return t.timezone ? `timestamp[${unit}, ${t.timezone}]` : `timestamp[${unit}]`;
    }
    case Type.Duration:
      return `duration[${UNIT_NAMES[(type as Duration).unit]}]`;
    case Type.Interval:
      return `interval[${INTERVAL_NAMES[(type as Interval).unit]}]`;
    case Type.Decimal: {
      const t = type as Decimal;
      const width = t.bitWidth === 128 ? "" : String(t.bitWidth);
      return `decimal${width}(${t.precision}, ${t.scale})`;
    }
    case Type.List:
      return `list<${elementText(type.children[0]!, exact)}>`;
    case Type.LargeList:
      return `large_list<${elementText(type.children[0]!, exact)}>`;
    case Type.FixedSizeList: {
      const t = type as FixedSizeList;
      return `fixed_size_list[${t.listSize}]<${elementText(t.children[0]!, exact)}>`;
    }
    case Type.Struct:
      return `struct<${(type as Struct).children.map((f) => fieldText(f, true, exact)).join(", ")}>`;
    case Type.Map:
      return mapText(type as Map_, exact);
    case Type.Union:
      return unionText(type as Union, exact);
    case Type.Dictionary: {
      const t = type as Dictionary;
      const ordered = t.isOrdered ? "[ordered]" : "";
      return `dictionary${ordered}<${typeText(t.indices, exact)}, ${typeText(t.dictionary, exact)}>`;
    }
    default:
      return String(type);
  }
}
