import {
  Binary,
  BinaryView,
  Bool,
  type DataType,
  DateDay,
  DateMillisecond,
  Decimal,
  DenseUnion,
  Dictionary,
  Duration,
  Field,
  FixedSizeBinary,
  FixedSizeList,
  Float16,
  Float32,
  Float64,
  Int8,
  Int16,
  Int32,
  Int64,
  Interval,
  LargeBinary,
  LargeList,
  LargeUtf8,
  List,
  Map_,
  Null,
  SparseUnion,
  Struct,
  Time,
  Timestamp,
  TimeUnit,
  Type,
  Uint8,
  Uint16,
  Uint32,
  Uint64,
  Utf8,
  Utf8View,
} from "apache-arrow";
import { INTERVAL_NAMES, UNIT_NAMES } from "./type-name.js";

export const SIMPLE: Record<string, () => DataType> = {
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
  float16: () => new Float16(),
  float32: () => new Float32(),
  float64: () => new Float64(),
  utf8: () => new Utf8(),
  string: () => new Utf8(),
  large_utf8: () => new LargeUtf8(),
  utf8_view: () => new Utf8View(),
  binary: () => new Binary(),
  large_binary: () => new LargeBinary(),
  binary_view: () => new BinaryView(),
  date: () => new DateDay(),
  date32: () => new DateDay(),
  date64: () => new DateMillisecond(),
};

const unitOf = (name: string): TimeUnit | undefined => {
  const i = (UNIT_NAMES as readonly string[]).indexOf(name.toLowerCase());
  return i < 0 ? undefined : (i as TimeUnit);
};

/** A recursive-descent reader of type names (the inverse of `typeName`). */
class TypeReader {
  private at = 0;
  constructor(
    private readonly s: string,
    private readonly whole: string,
  ) {}

  fail(what: string): never {
    throw new TypeError(
      `Unknown type "${this.whole}". Use one of ${Object.keys(SIMPLE).join(", ")}, timestamp[ms], decimal(p, s), list<T>, struct<a: T, ...>, map<K, V>, or an apache-arrow DataType (${what}).`,
    );
  }

  private ws(): void {
    while (this.at < this.s.length && /\s/.test(this.s[this.at]!)) this.at++;
  }
  private peek(): string {
    this.ws();
    return this.s[this.at] ?? "";
  }
  private eat(c: string): boolean {
    if (this.peek() !== c) return false;
    this.at++;
    return true;
  }
  private expect(c: string): void {
    if (!this.eat(c)) this.fail(`expected "${c}" at position ${this.at}`);
  }
  private word(): string {
    this.ws();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.s.slice(this.at));
    if (!m) this.fail(`expected a type name at position ${this.at}`);
    this.at += m[0].length;
    return m[0];
  }
  private int(): number {
    this.ws();
    const m = /^-?\d+/.exec(this.s.slice(this.at));
    if (!m) this.fail(`expected a number at position ${this.at}`);
    this.at += m[0].length;
    return Number(m[0]);
  }
  /** `[a, b]` parameters as raw words (timestamp zones may hold ":", "/", "+"). */
  private params(): string[] {
    if (!this.eat("[")) return [];
    const end = this.s.indexOf("]", this.at);
    if (end < 0) this.fail(`"[" without "]"`);
    const body = this.s.slice(this.at, end);
    this.at = end + 1;
    return body.split(",").map((p) => p.trim());
  }

  end(): void {
    if (this.peek() !== "") this.fail(`unexpected "${this.s.slice(this.at)}"`);
  }

  /** A child field: `[name:] type [not null]`; the name is required when `named`. */
  field(named: boolean, dflt: string): Field {
    this.ws();
    let name = dflt;
    if (this.s[this.at] === '"') {
      const m = /^"(?:[^"\\]|\\.)*"/.exec(this.s.slice(this.at));
      if (!m) this.fail("unterminated quoted field name");
      this.at += m[0].length;
      name = JSON.parse(m[0]) as string;
      this.expect(":");
    } else {
      // A bare name runs to the first ":" before any bracket or separator.
      const m = /^([^:<>[\]()",]*):/.exec(this.s.slice(this.at));
      if (m) {
        name = m[1]!.trim();
        this.at += m[0].length;
      } else if (named) this.fail(`a struct field needs a name: write "name: type"`);
    }
    const type = this.type();
    let nullable = true;
    const rest = /^\s+not\s+null\b/i.exec(this.s.slice(this.at));
    if (rest) {
      nullable = false;
      this.at += rest[0].length;
    }
    return new Field(name, type, nullable);
  }

  private fields(named: boolean, dflt: string): Field[] {
    this.expect("<");
    const out: Field[] = [];
    if (this.eat(">")) return out;
    do out.push(this.field(named, dflt));
    while (this.eat(","));
    this.expect(">");
    return out;
  }

  private one(dflt: string): Field {
    const [f, ...more] = this.fields(false, dflt);
    if (!f || more.length) this.fail("expected exactly one element type");
    return f;
  }

  type(): DataType {
    const name = this.word().toLowerCase();
    const simple = SIMPLE[name];
    if (simple) return simple();
    switch (name) {
      case "timestamp": {
        const [unit, ...zone] = this.params();
        if (unit === undefined) return new Timestamp(TimeUnit.MILLISECOND);
        const u = unitOf(unit) ?? this.fail(`unknown time unit "${unit}" (s, ms, us or ns)`);
        const tz = zone.join(",").trim();
        return new Timestamp(u, tz === "" ? null : tz);
      }
      case "time32":
      case "time64": {
        const [unit = ""] = this.params();
        const u = unitOf(unit) ?? this.fail(`unknown time unit "${unit}"`);
        return new Time(u, name === "time32" ? 32 : 64);
      }
      case "duration": {
        const [unit = ""] = this.params();
        return new Duration(unitOf(unit) ?? this.fail(`unknown time unit "${unit}"`));
      }
      case "interval": {
        const [unit = ""] = this.params();
        const i = (INTERVAL_NAMES as readonly string[]).indexOf(unit.toLowerCase());
        if (i < 0) this.fail(`unknown interval unit "${unit}" (${INTERVAL_NAMES.join(", ")})`);
        return new Interval(i);
      }
      case "fixed_size_binary": {
        const [n = ""] = this.params();
        if (!/^\d+$/.test(n)) this.fail("fixed_size_binary[n] needs a byte width");
        return new FixedSizeBinary(Number(n));
      }
      case "decimal":
      case "decimal32":
      case "decimal64":
      case "decimal128":
      case "decimal256": {
        this.expect("(");
        const precision = this.int();
        const scale = this.eat(",") ? this.int() : 0;
        this.expect(")");
        const width = name === "decimal" ? 128 : Number(name.slice(7));
        return new Decimal(scale, precision, width);
      }
      case "list":
        return new List(this.one("item"));
      case "large_list":
        return new LargeList(this.one("item"));
      case "fixed_size_list": {
        const [n = ""] = this.params();
        if (!/^\d+$/.test(n)) this.fail("fixed_size_list[n]<T> needs a list size");
        return new FixedSizeList(Number(n), this.one("item"));
      }
      case "struct":
        return new Struct(this.fields(true, ""));
      case "map":
        return this.map();
      case "dictionary": {
        const ordered = this.params().includes("ordered");
        this.expect("<");
        const indices = this.type();
        this.expect(",");
        const values = this.type();
        this.expect(">");
        if (indices.typeId !== Type.Int) this.fail("dictionary indices must be an integer type");
        return new Dictionary(values, indices as Int32, null, ordered);
      }
      case "union": {
        const [mode = "", ...ids] = this.params();
        const children = this.fields(true, "");
        const typeIds = ids.length ? ids.map(Number) : children.map((_, i) => i);
        if (mode === "sparse") return new SparseUnion(typeIds, children);
        if (mode === "dense") return new DenseUnion(typeIds, children);
        return this.fail(`union[sparse|dense]<...> needs a mode, got "${mode}"`);
      }
      default:
        return this.fail(`"${name}" is not a type`);
    }
  }

  private map(): DataType {
    const sorted = this.params().includes("sorted");
    this.expect("<");
    const first = this.field(false, "entries");
    if (this.eat(">")) {
      if (first.type.typeId !== Type.Struct || first.type.children.length !== 2)
        this.fail("map<entries: struct<key, value>> needs a struct of two fields");
      return new Map_(first as Field<Struct>, sorted);
    }
    this.expect(",");
    const value = this.field(false, "value");
    this.expect(">");
    const key = new Field("key", first.type, false);
    const entries = new Field(
      "entries",
      new Struct([key, new Field("value", value.type, value.nullable)]),
      false,
    );
    return new Map_(entries as Field<Struct>, sorted);
  }
}

/** Parses a type name such as "list<int32>" or "timestamp[us, UTC]"; throws naming it. */
export function parseTypeName(text: string): DataType {
  const r = new TypeReader(text.trim(), text);
  const t = r.type();
  r.end();
  return t;
}
