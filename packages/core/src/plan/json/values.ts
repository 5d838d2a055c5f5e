import { Field, Schema } from "apache-arrow";
import type { LitValue } from "../../expr/ast.js";
import { toDataType, typeName } from "../../types/dtype.js";
import { PlanError } from "../resolve.js";

/** A JSON value, as JSON.parse returns it. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** A JSON object. */
export type JsonObject = { [key: string]: Json };

/** Thrown for JSON that is not a plan this version can read; says where it went wrong. */
export function badPlan(where: string, what: string): PlanError {
  return new PlanError(`DataFrame.fromJSON: ${where}: ${what}`);
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function objectAt(v: unknown, where: string): JsonObject {
  if (!isObject(v))
    throw badPlan(where, `expected an object, got ${JSON.stringify(v) ?? typeof v}`);
  return v;
}

export function stringAt(v: unknown, where: string): string {
  if (typeof v !== "string") throw badPlan(where, `expected a string, got ${JSON.stringify(v)}`);
  return v;
}

export function numberAt(v: unknown, where: string): number {
  if (typeof v !== "number") throw badPlan(where, `expected a number, got ${JSON.stringify(v)}`);
  return v;
}

export function arrayAt(v: unknown, where: string): Json[] {
  if (!Array.isArray(v)) throw badPlan(where, `expected an array, got ${JSON.stringify(v)}`);
  return v as Json[];
}

export const toBase64 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
export const fromBase64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, "base64"));

/**
 * A literal as JSON without loss: JSON numbers, strings, booleans and null stand for
 * themselves; the rest are tagged objects ({ bigint: "…" }, { date: ms }, { bytes: base64 },
 * { number: "NaN" | "Infinity" | "-Infinity" | "-0" }).
 */
export function encodeValue(v: LitValue): Json {
  if (v === null || typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "number") {
    if (Number.isFinite(v) && !Object.is(v, -0)) return v;
    return { number: Object.is(v, -0) ? "-0" : String(v) };
  }
  if (typeof v === "bigint") return { bigint: v.toString() };
  if (v instanceof Date) return { date: encodeValue(v.getTime()) };
  if (v instanceof Uint8Array) return { bytes: toBase64(v) };
  throw new PlanError(`a literal of type ${typeof v} cannot be written as JSON.`);
}

export function decodeValue(j: Json | undefined, where: string): LitValue {
  if (j === null || typeof j === "string" || typeof j === "boolean" || typeof j === "number")
    return j;
  const o = objectAt(j, where);
  if (typeof o.number === "string") {
    const n = o.number === "-0" ? -0 : Number(o.number);
    if (o.number !== "NaN" && Number.isNaN(n)) throw badPlan(where, `bad number "${o.number}"`);
    return n;
  }
  if (typeof o.bigint === "string") {
    try {
      return BigInt(o.bigint);
    } catch {
      throw badPlan(where, `bad bigint "${o.bigint}"`);
    }
  }
  if ("date" in o) return new Date(decodeValue(o.date, where) as number);
  if (typeof o.bytes === "string") return fromBase64(o.bytes);
  throw badPlan(where, `unknown literal ${JSON.stringify(j)}`);
}

/** A type by name ("list<int32>"); parse errors name where the type was. */
export function decodeType(j: Json | undefined, where: string) {
  const name = stringAt(j, where);
  try {
    return toDataType(name);
  } catch (err) {
    throw badPlan(where, (err as Error).message);
  }
}

/** A schema as fields with types by name (and metadata when there is any). */
export function encodeSchema(schema: Schema): JsonObject {
  const meta = (m: Map<string, string>): Json[] => [...m].map(([k, v]) => [k, v]);
  const out: JsonObject = {
    fields: schema.fields.map((f) => {
      const field: JsonObject = { name: f.name, type: typeName(f.type), nullable: f.nullable };
      if (f.metadata.size) field.metadata = meta(f.metadata);
      return field;
    }),
  };
  if (schema.metadata.size) out.metadata = meta(schema.metadata);
  return out;
}

function decodeMeta(j: Json | undefined, where: string): Map<string, string> {
  if (j === undefined) return new Map();
  return new Map(
    arrayAt(j, where).map((pair, i) => {
      const [k, v] = arrayAt(pair, `${where}[${i}]`);
      return [stringAt(k, `${where}[${i}]`), stringAt(v, `${where}[${i}]`)];
    }),
  );
}

export function decodeSchema(j: Json | undefined, where: string): Schema {
  const o = objectAt(j, where);
  const fields = arrayAt(o.fields, `${where}.fields`).map((fj, i) => {
    const at = `${where}.fields[${i}]`;
    const f = objectAt(fj, at);
    const type = decodeType(f.type, `${at}.type`);
    return new Field(
      stringAt(f.name, `${at}.name`),
      type,
      f.nullable !== false,
      decodeMeta(f.metadata, `${at}.metadata`),
    );
  });
  return new Schema(fields, decodeMeta(o.metadata, `${where}.metadata`));
}
