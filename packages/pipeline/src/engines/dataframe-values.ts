// Moving JS values in and out of DataFrame columns for the DataFrameEngine: column types from
// a declared `returns` or from a sample value, and typed arrays restored on the way out (Arrow
// stores them as lists, which read back as plain arrays). A value typed from a sample object
// or array crosses as node:v8 bytes, so it comes back as it was: every key, whatever differs
// from item to item.
import { deserialize, serialize } from "node:v8";
import { DataFrame, type TypeLike, toDataType, typeName } from "@deft/core";
import type { Node } from "../node.js";

type DataType = ReturnType<typeof toDataType>;

type TypedArrayCtor =
  | Float32ArrayConstructor
  | Float64ArrayConstructor
  | Int8ArrayConstructor
  | Int16ArrayConstructor
  | Int32ArrayConstructor
  | Uint8ArrayConstructor
  | Uint16ArrayConstructor
  | Uint32ArrayConstructor
  | BigInt64ArrayConstructor
  | BigUint64ArrayConstructor;

const TYPED: [TypedArrayCtor, string][] = [
  [Float32Array, "float32"],
  [Float64Array, "float64"],
  [Int8Array, "int8"],
  [Int16Array, "int16"],
  [Int32Array, "int32"],
  [Uint16Array, "uint16"],
  [Uint32Array, "uint32"],
  [BigInt64Array, "int64"],
  [BigUint64Array, "uint64"],
];

/** How one column's values cross into Arrow and back. */
export interface Codec {
  readonly type: DataType;
  /** Set when values are typed arrays: rebuilt from the plain arrays Arrow gives back. */
  readonly typedArray?: string;
  /**
   * Set for values typed from a sample object or array (no declared `returns`): a binary
   * column of their node:v8 bytes, read back as the values themselves — objects keep every
   * key, Maps, Dates and nested typed arrays their types.
   */
  readonly v8?: boolean;
}

const V8: Codec = { type: toDataType("binary"), v8: true };

function typedArrayName(v: unknown): string | undefined {
  if (!ArrayBuffer.isView(v) || v instanceof Uint8Array || v instanceof DataView) return undefined;
  return TYPED.find(([ctor]) => v instanceof ctor)?.[0].name;
}

/**
 * Codecs of the primitive types, as the core infers them (number float64, string utf8,
 * boolean bool, bigint int64): the pool engine asks once per input per call, and building a
 * one-row DataFrame to ask the core costs more than the rest of the call's setup.
 */
const PRIMITIVE: Readonly<Record<string, Codec>> = {
  number: { type: toDataType("float64") },
  string: { type: toDataType("utf8") },
  boolean: { type: toDataType("bool") },
  bigint: { type: toDataType("int64") },
};

/** A codec from a sample value (the first non-null one); undefined when there is none. */
export function codecOfValue(v: unknown, what: string): Codec | undefined {
  if (v === null || v === undefined) return undefined;
  const primitive = PRIMITIVE[typeof v];
  if (primitive) return primitive;
  const typed = typedArrayName(v);
  if (typed) {
    const elem = TYPED.find(([ctor]) => ctor.name === typed)![1];
    return { type: toDataType(`list<${elem}>`), typedArray: typed };
  }
  if (typeof v === "object" && !(v instanceof Uint8Array)) return V8;
  try {
    return { type: DataFrame.fromRecords([{ v }]).schema.fields[0]!.type };
  } catch (err) {
    throw new Error(
      `${what}: cannot store its value in a DataFrame column (${(err as Error).message}).`,
    );
  }
}

/** A codec from a declared type: fixed-width lists other than float64 come back typed. */
export function codecOfType(t: TypeLike): Codec {
  const type = toDataType(t);
  const m = /^list<(float32|int8|int16|int32|uint16|uint32)>$/.exec(typeName(type));
  const found = m ? TYPED.find(([, n]) => n === m[1]!.toLowerCase()) : undefined;
  return found ? { type, typedArray: found[0].name } : { type };
}

/** The declared return type of output `i`, if the node declares one. */
export function declaredReturns(n: Node, i: number): TypeLike | undefined {
  const r = n.kind === "pipeline" ? undefined : n.options.returns;
  if (r === undefined) return undefined;
  if (!n.tuple) return r as TypeLike;
  if (Array.isArray(r)) return r[i] as TypeLike | undefined;
  if (typeof r === "object" && !("typeId" in r))
    return (r as Record<string, TypeLike>)[n.outputs[i]!];
  return undefined;
}

/** A value as Arrow expects it in a column of `codec` (typed arrays as plain arrays). */
export function toColumnValue(v: unknown, codec: Codec | undefined): unknown {
  if (codec?.v8) return v === null || v === undefined ? null : serialize(v);
  return ArrayBuffer.isView(v) && !(v instanceof Uint8Array)
    ? Array.from(v as unknown as ArrayLike<unknown>)
    : v;
}

/** A value read back from Arrow, restored to the typed array it was stored from. */
export function fromColumnValue(v: unknown, codec: Codec | undefined): unknown {
  if (codec?.v8) return v instanceof Uint8Array ? deserialize(v) : v;
  if (!codec?.typedArray || !Array.isArray(v)) return v;
  const ctor = TYPED.find(([c]) => c.name === codec.typedArray)![0];
  return (ctor as { from(a: unknown[]): unknown }).from(v);
}

/** The class name when `v` is an instance of a class (not plain data that crosses threads). */
function className(v: unknown): string | undefined {
  if (typeof v === "function") return "a function";
  if (typeof v !== "object" || v === null) return undefined;
  if (Array.isArray(v) || ArrayBuffer.isView(v) || v instanceof ArrayBuffer) return undefined;
  if (v instanceof Date || v instanceof Map || v instanceof Set) return undefined;
  const proto = Object.getPrototypeOf(v);
  if (proto === Object.prototype || proto === null) return undefined;
  return `an instance of ${proto?.constructor?.name || "a class"}`;
}

/**
 * Throws when a node on worker threads would receive a class instance or a function: only
 * data crosses to a worker, so it would get a rebuilt object without its methods.
 */
export function checkWorkerInput(node: string, workers: number, input: string, v: unknown): void {
  const what = className(v);
  if (what === undefined) return;
  throw new Error(
    `Node "${node}" runs on ${workers} worker thread${workers === 1 ? "" : "s"}, and its input "${input}" is ${what}: ` +
      "a worker receives data only, so the object would arrive without its methods. Run the node on " +
      "the main thread (leave out workers, on the node and the engine), pass plain data instead, or " +
      "build the object inside the worker with node.cls.",
  );
}
