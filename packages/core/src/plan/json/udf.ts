import type { LitValue } from "../../expr/ast.js";
import { typeName } from "../../types/dtype.js";
import { outerNames } from "../../udf/free-vars.js";
import { compileSource, toWireSource, type WireSource } from "../../udf/load.js";
import type { UdfDef, UdfSource, UserClass, UserFn } from "../../udf/types.js";
import { restoreUdf } from "../../udf/udf.js";
import { PlanError } from "../resolve.js";
import {
  arrayAt,
  badPlan,
  decodeValue,
  encodeValue,
  isObject,
  type Json,
  type JsonObject,
  objectAt,
  stringAt,
} from "./values.js";

const HOW_TO_FIX =
  'A UDF in a plan travels as its source text, so it must be self-contained; move it to a module and use fromModule(new URL("./udfs.ts", import.meta.url), "name").';

/** A constructor argument as JSON: plain values, arrays and plain objects (tagged). */
function encodeArg(v: unknown, where: () => string): Json {
  if (Array.isArray(v)) return { array: v.map((x) => encodeArg(x, where)) };
  if (v !== null && typeof v === "object" && !(v instanceof Date) && !(v instanceof Uint8Array)) {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null)
      throw new PlanError(
        `${where()} is a ${proto?.constructor?.name ?? "object"}, which cannot be written as JSON; pass plain values, arrays and objects.`,
      );
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) out[k] = encodeArg(x, where);
    return { object: out };
  }
  if (v === undefined || typeof v === "function" || typeof v === "symbol")
    throw new PlanError(
      `${where()} is ${typeof v === "undefined" ? "undefined" : `a ${typeof v}`}, which cannot be written as JSON.`,
    );
  return encodeValue(v as LitValue);
}

function decodeArg(j: Json, where: string): unknown {
  if (isObject(j) && Array.isArray(j.array))
    return j.array.map((x, i) => decodeArg(x, `${where}[${i}]`));
  if (isObject(j) && isObject(j.object)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(j.object)) out[k] = decodeArg(x, `${where}.${k}`);
    return out;
  }
  return decodeValue(j, where);
}

/** Refuses source text that reads outer variables or does not stand on its own. */
function checkShipped(def: UdfDef, code: string, fnName: string): void {
  if (/\{\s*\[native code\]\s*\}\s*$/.test(code))
    throw new PlanError(
      `UDF "${def.name}" is a built-in function, which cannot travel in a plan by its source. Wrap it: (x) => Math.sqrt(x).`,
    );
  const outer = outerNames(code, fnName);
  if (outer === null)
    throw new PlanError(
      `UDF "${def.name}": its source text cannot be read back on its own. ${HOW_TO_FIX}`,
    );
  if (outer.length)
    throw new PlanError(
      `UDF "${def.name}" reads ${outer.map((n) => `"${n}"`).join(", ")} from outside the function, which a plan cannot carry. ${HOW_TO_FIX}`,
    );
}

/** A UDF as JSON: name, kind, return type by name, options and where its code comes from. */
export function encodeUdf(def: UdfDef): JsonObject {
  const wire = toWireSource(def);
  if (wire.kind === "fnSource" || wire.kind === "classSource")
    checkShipped(def, wire.code, wire.fnName);
  const r = def.runtime;
  const options: JsonObject = {
    maxConcurrency: r.maxConcurrency,
    retries: r.retries,
    timeoutMs: r.timeoutMs,
    onError: r.onError,
    workers: r.workers,
  };
  if (r.batchSize !== undefined) options.batchSize = r.batchSize;
  if (r.clusterMaxConcurrency !== undefined)
    options.clusterMaxConcurrency = r.clusterMaxConcurrency;
  const source: JsonObject = { ...wire } as unknown as JsonObject;
  if ("args" in wire)
    source.args = wire.args.map((a, i) =>
      encodeArg(a, () => `constructor argument ${i + 1} of UDF "${def.name}"`),
    );
  return { name: def.name, kind: def.kind, returns: typeName(def.returnType), options, source };
}

function decodeSource(j: Json | undefined, name: string, where: string): UdfSource {
  const o = objectAt(j, where);
  const kind = stringAt(o.kind, `${where}.kind`) as WireSource["kind"];
  const args = () =>
    arrayAt(o.args ?? [], `${where}.args`).map((a, i) => decodeArg(a, `${where}.args[${i}]`));
  const ref = () => ({
    kind: "module" as const,
    url: stringAt(o.url, `${where}.url`),
    exportName: stringAt(o.exportName, `${where}.exportName`),
  });
  const compiled = () =>
    compileSource(stringAt(o.code, `${where}.code`), stringAt(o.fnName, `${where}.fnName`), name);
  switch (kind) {
    case "fnSource":
      return { kind: "fn", fn: compiled() as UserFn };
    case "module":
      return { kind: "module", ref: ref() };
    case "classSource":
      return { kind: "class", cls: compiled() as UserClass, args: args() };
    case "classModule":
      return { kind: "classModule", ref: ref(), args: args() };
    default:
      throw badPlan(`${where}.kind`, `unknown UDF source "${kind}"`);
  }
}

/**
 * UDFs decoded on this thread, by their JSON (name, kind, options, source or module, and
 * constructor arguments): every task of a run (and every later run) that ships the same UDF
 * gets the same definition, so the thread compiles its source once and builds a `udf.cls`
 * instance once, as a local run does for one `udf()` value. Least recently used out.
 */
const decoded = new Map<string, UdfDef>();
const DECODED_UDF_LIMIT = 32;

export function decodeUdf(j: Json | undefined, where: string): UdfDef {
  const key = JSON.stringify(j);
  const hit = decoded.get(key);
  if (hit) {
    decoded.delete(key); // re-insert: Map order is the recency order
    decoded.set(key, hit);
    return hit;
  }
  const def = decodeUdfUncached(j, where);
  decoded.set(key, def);
  while (decoded.size > DECODED_UDF_LIMIT) decoded.delete(decoded.keys().next().value!);
  return def;
}

function decodeUdfUncached(j: Json | undefined, where: string): UdfDef {
  const o = objectAt(j, where);
  const name = stringAt(o.name, `${where}.name`);
  const kind = stringAt(o.kind, `${where}.kind`);
  if (kind !== "row" && kind !== "batch")
    throw badPlan(`${where}.kind`, `expected "row" or "batch", got "${kind}"`);
  const options = objectAt(o.options ?? {}, `${where}.options`);
  const source = decodeSource(o.source, name, `${where}.source`);
  try {
    return restoreUdf(kind, source, {
      ...options,
      name,
      returns: stringAt(o.returns, `${where}.returns`),
    } as never);
  } catch (err) {
    throw badPlan(where, (err as Error).message);
  }
}
