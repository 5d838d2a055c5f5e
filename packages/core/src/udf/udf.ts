import { DataType, Field, Struct } from "apache-arrow";
import { Expr, type ExprLike, toNode } from "../expr/expr.js";
import { type TypeLike, toDataType } from "../types/dtype.js";
import type { ModuleRef, UdfDef, UdfRuntime, UdfSource, UserClass, UserFn } from "./types.js";

/** Options of `udf()` and `udf.batch()`. */
export interface UdfOptions {
  /**
   * The output column's type: a type string such as "utf8" or an apache-arrow DataType; or an
   * object of field types, `{ a: "utf8", b: "int32" }`, for several outputs: the function
   * returns an object per row and the column is a struct (read a field with
   * `.struct.field("a")`, spread them with `df.unnest(column)`).
   */
  returns: TypeLike | { readonly [field: string]: TypeLike };
  /** Calls in flight at once for this UDF, across all batches (default 64). */
  maxConcurrency?: number;
  /**
   * Calls in flight at once across all worker processes of a distributed run (an API with a
   * global rate limit): each call takes a permit from a budget of this many kept in Redis.
   * Without a runner it caps this process's calls, as the smaller of it and `maxConcurrency`.
   */
  clusterMaxConcurrency?: number;
  /** Extra attempts per row (per batch for batch UDFs), with exponential backoff and jitter. */
  retries?: number;
  /** Per call, in milliseconds. */
  timeoutMs?: number;
  /** "raise" (default) rejects the run; "null" writes null and records a UdfFailure. */
  onError?: "raise" | "null";
  /** Run on a pool of this many worker threads. */
  workers?: number;
  /** Rows per call for batch UDFs (exact); rows per worker task for worker row UDFs. */
  batchSize?: number;
  /** Name in errors, explain and failure records (default: the function's name). */
  name?: string;
}

/** Options of `udf.cls()`. */
export interface UdfClassOptions extends UdfOptions {
  /** Constructor arguments (structured-cloneable when workers are used). */
  args?: readonly unknown[];
  /** Call `callBatch(...vectors)` once per batch instead of `call(...values)` per row. */
  batch?: boolean;
}

/** A UDF: call it with column expressions to get an expression for withColumn/select. */
export interface Udf {
  (...args: ExprLike[]): Expr;
  /** @internal What the runtime needs: the function or class, its options, its id. */
  readonly def: UdfDef;
}

const OPTION_KEYS = new Set([
  "returns",
  "maxConcurrency",
  "clusterMaxConcurrency",
  "retries",
  "timeoutMs",
  "onError",
  "workers",
  "batchSize",
  "name",
]);
const CLASS_KEYS = new Set([...OPTION_KEYS, "args", "batch"]);

let nextId = 1;

/**
 * Names a function or class by module and export, so worker threads can import it:
 * `fromModule(new URL("./udfs.ts", import.meta.url), "embed")`.
 */
export function fromModule(url: URL | string, exportName: string): ModuleRef {
  let href: string;
  if (url instanceof URL) href = url.href;
  else if (typeof url === "string" && /^[a-z][a-z0-9+.-]*:/i.test(url)) href = new URL(url).href;
  else {
    throw new TypeError(
      `fromModule() takes a module URL such as new URL("./udfs.ts", import.meta.url), got ${JSON.stringify(url)}.`,
    );
  }
  if (typeof exportName !== "string" || exportName === "") {
    throw new TypeError(
      `fromModule("${href}", exportName): exportName must be the name of an export (e.g. "default").`,
    );
  }
  return { kind: "module", url: href, exportName };
}

function isModuleRef(v: unknown): v is ModuleRef {
  return typeof v === "object" && v !== null && (v as { kind?: unknown }).kind === "module";
}

function intOption(opts: object, key: string, where: string, min: number, dflt: number): number {
  const v = (opts as Record<string, unknown>)[key];
  if (v === undefined) return dflt;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min) {
    throw new TypeError(`${where}: ${key} must be an integer >= ${min}, got ${String(v)}.`);
  }
  return v;
}

/** A type, or an object of field types as a struct of those fields (in the object's order). */
function returnTypeOf(returns: UdfOptions["returns"]): DataType {
  if (typeof returns === "string" || returns instanceof DataType) return toDataType(returns);
  if (returns === null || typeof returns !== "object" || Array.isArray(returns)) {
    return toDataType(returns as unknown as TypeLike); // its error names what is wrong
  }
  const fields = Object.entries(returns).map(([name, t]) => {
    try {
      return new Field(name, toDataType(t), true);
    } catch (e) {
      throw new Error(`field "${name}": ${(e as Error).message}`);
    }
  });
  if (fields.length === 0) {
    throw new Error('returns: {} names no output; give each output a type, e.g. { a: "utf8" }.');
  }
  return new Struct(fields);
}

/** `clusterMaxConcurrency`, checked once the UDF's name is known (the error names it). */
function clusterCap(opts: UdfOptions, where: string, name: string): number | undefined {
  const v = opts.clusterMaxConcurrency;
  if (v === undefined) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1) {
    throw new TypeError(
      `${where}: clusterMaxConcurrency of UDF "${name}" must be a positive integer (the calls in flight across all workers of a run), got ${typeof v === "string" ? JSON.stringify(v) : String(v)}.`,
    );
  }
  return v;
}

function validate(
  opts: UdfOptions | undefined,
  where: string,
  allowed: Set<string>,
): { returnType: DataType; runtime: Omit<UdfRuntime, "source" | "clusterMaxConcurrency"> } {
  if (!opts || typeof opts !== "object") {
    throw new TypeError(`${where} needs options with the return type, e.g. { returns: "utf8" }.`);
  }
  for (const key of Object.keys(opts)) {
    if (!allowed.has(key)) {
      throw new TypeError(
        `${where}: unknown option "${key}". Options are: ${[...allowed].join(", ")}.`,
      );
    }
  }
  if (opts.returns === undefined) {
    throw new TypeError(
      `${where} needs { returns: <type> } (e.g. "float64", "utf8", "list<int32>").`,
    );
  }
  let returnType: DataType;
  try {
    returnType = returnTypeOf(opts.returns);
  } catch (e) {
    throw new TypeError(`${where}: ${(e as Error).message}`);
  }
  const onError = opts.onError ?? "raise";
  if (onError !== "raise" && onError !== "null") {
    throw new TypeError(
      `${where}: onError must be "raise" or "null", got ${JSON.stringify(onError)}.`,
    );
  }
  const timeoutMs = opts.timeoutMs ?? 0;
  if (typeof timeoutMs !== "number" || !(timeoutMs >= 0) || !Number.isFinite(timeoutMs)) {
    throw new TypeError(
      `${where}: timeoutMs must be a number of milliseconds > 0, got ${String(timeoutMs)}.`,
    );
  }
  const batchSize =
    opts.batchSize === undefined ? undefined : intOption(opts, "batchSize", where, 1, 1);
  return {
    returnType,
    runtime: {
      maxConcurrency: intOption(opts, "maxConcurrency", where, 1, 64),
      retries: intOption(opts, "retries", where, 0, 0),
      timeoutMs,
      onError,
      workers: intOption(opts, "workers", where, 0, 0),
      batchSize,
    },
  };
}

function nameOf(opts: UdfOptions, fallback: string, where: string): string {
  if (opts.name === undefined) return fallback || "anonymous";
  if (typeof opts.name !== "string" || opts.name === "") {
    throw new TypeError(`${where}: name must be a non-empty string.`);
  }
  return opts.name;
}

function makeUdf(def: UdfDef): Udf {
  const call = (...args: ExprLike[]): Expr => {
    if (args.length === 0) {
      throw new TypeError(
        `UDF "${def.name}" needs at least one argument, e.g. ${def.name}(col("x")).`,
      );
    }
    return new Expr({ kind: "udf", udf: def, args: args.map(toNode) });
  };
  Object.defineProperty(call, "def", { value: def, enumerable: true });
  Object.defineProperty(call, "name", { value: def.name });
  return call as Udf;
}

function sourceOf(fn: UserFn | ModuleRef, where: string): UdfSource {
  if (isModuleRef(fn)) return { kind: "module", ref: fn };
  if (typeof fn !== "function") {
    throw new TypeError(
      `${where} takes a function or fromModule(url, "exportName"), got ${typeof fn}.`,
    );
  }
  return { kind: "fn", fn };
}

function define(
  kind: "row" | "batch",
  fn: UserFn | ModuleRef,
  opts: UdfOptions,
  where: string,
): Udf {
  const { returnType, runtime } = validate(opts, where, OPTION_KEYS);
  const source = sourceOf(fn, where);
  if (kind === "row" && runtime.batchSize !== undefined && runtime.workers === 0) {
    throw new TypeError(
      `${where}: batchSize sets rows per call for udf.batch and rows per worker task with workers; a row UDF on the main thread has no batches. Remove it or use udf.batch.`,
    );
  }
  const fallback = source.kind === "module" ? source.ref.exportName : (fn as UserFn).name;
  return finish(kind, opts, where, fallback, returnType, { ...runtime, source });
}

/** The UDF, named (the option, else `fallback`) and its cluster-wide cap checked. */
function finish(
  kind: UdfDef["kind"],
  opts: UdfOptions,
  where: string,
  fallback: string,
  returnType: UdfDef["returnType"],
  runtime: Omit<UdfDef["runtime"], "clusterMaxConcurrency">,
): Udf {
  const name = nameOf(opts, fallback, where);
  const clusterMaxConcurrency = clusterCap(opts, where, name);
  return makeUdf({
    id: nextId++,
    name,
    kind,
    returnType,
    runtime: { ...runtime, clusterMaxConcurrency },
  });
}

/**
 * A row-wise UDF. An async function (or one returning a promise) runs up to `maxConcurrency`
 * calls at once across batches; a sync one runs inline, or on `workers` threads.
 */
function udfRow(fn: UserFn | ModuleRef, opts: UdfOptions): Udf {
  return define("row", fn, opts, "udf()");
}

/** A batch UDF: receives one apache-arrow Vector per argument, returns as many values. */
function udfBatch(fn: UserFn | ModuleRef, opts: UdfOptions): Udf {
  return define("batch", fn, opts, "udf.batch()");
}

/**
 * A stateful UDF: the class is constructed once per worker thread (or once on the main
 * thread) with `args`, and its `call(...values)` (or `callBatch(...vectors)`) is used.
 */
function udfClass(cls: UserClass | ModuleRef, opts: UdfClassOptions): Udf {
  const where = "udf.cls()";
  const { returnType, runtime } = validate(opts, where, CLASS_KEYS);
  const args = opts.args ?? [];
  if (!Array.isArray(args))
    throw new TypeError(`${where}: args must be an array of constructor arguments.`);
  if (opts.batch !== undefined && typeof opts.batch !== "boolean") {
    throw new TypeError(`${where}: batch must be true or false.`);
  }
  let source: UdfSource;
  let fallback: string;
  if (isModuleRef(cls)) {
    source = { kind: "classModule", ref: cls, args };
    fallback = cls.exportName;
  } else if (typeof cls === "function") {
    source = { kind: "class", cls, args };
    fallback = cls.name;
  } else {
    throw new TypeError(
      `${where} takes fromModule(url, "ClassName") or a class, got ${typeof cls}.`,
    );
  }
  return finish(opts.batch ? "batch" : "row", opts, where, fallback, returnType, {
    ...runtime,
    source,
  });
}

/** `udf(fn, opts)` makes a row UDF; `udf.batch` and `udf.cls` make batch and stateful UDFs. */
export interface UdfFactory {
  /**
   * A row-wise UDF. An async function (or one returning a promise) runs up to `maxConcurrency`
   * calls at once across batches; a sync one runs inline, or on `workers` threads. Throws a
   * TypeError naming the bad option.
   */
  (fn: UserFn | ModuleRef, opts: UdfOptions): Udf;
  /** A batch UDF: receives one apache-arrow Vector per argument, returns as many values. */
  batch(fn: UserFn | ModuleRef, opts: UdfOptions): Udf;
  /**
   * A stateful UDF: the class is constructed once per worker thread (or once on the main
   * thread) with `args`, and its `call(...values)` (or `callBatch(...vectors)`) is used.
   */
  cls(cls: UserClass | ModuleRef, opts: UdfClassOptions): Udf;
}

/** Makes UDFs: see {@link UdfFactory}. */
export const udf: UdfFactory = Object.assign(udfRow, { batch: udfBatch, cls: udfClass });

/**
 * A UDF definition rebuilt from a plan's JSON (a new id in this process); the options are
 * checked as `udf()` checks them.
 */
export function restoreUdf(kind: "row" | "batch", source: UdfSource, opts: UdfOptions): UdfDef {
  const where = `UDF "${opts.name ?? "anonymous"}"`;
  const { returnType, runtime } = validate(opts, where, OPTION_KEYS);
  const name = nameOf(opts, "anonymous", where);
  const clusterMaxConcurrency = clusterCap(opts, where, name);
  return {
    id: nextId++,
    name,
    kind,
    returnType,
    runtime: { ...runtime, clusterMaxConcurrency, source },
  };
}
