import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { UdfSetupError } from "./errors.js";
import type { UdfDef } from "./types.js";

/**
 * How a worker thread gets a UDF's code: by source text (self-contained functions and
 * classes) or by module URL and export. Plain data, so it crosses threads as is.
 */
export type WireSource =
  | { kind: "fnSource"; code: string; fnName: string }
  | { kind: "module"; url: string; exportName: string }
  | { kind: "classSource"; code: string; fnName: string; args: readonly unknown[] }
  | { kind: "classModule"; url: string; exportName: string; args: readonly unknown[] };

/** The function to call per row (or per batch): plain functions as is, classes bound. */
export type Callable = (...args: unknown[]) => unknown;

const SELF_CONTAINED =
  'Functions run on workers are shipped by their source text, so they must be self-contained (no outer variables, no imports). Move it to a module and use fromModule(new URL("./udfs.ts", import.meta.url), "name").';

export function toWireSource(def: UdfDef): WireSource {
  const src = def.runtime.source;
  switch (src.kind) {
    case "fn":
      return { kind: "fnSource", code: src.fn.toString(), fnName: src.fn.name };
    case "module":
      return { kind: "module", url: src.ref.url, exportName: src.ref.exportName };
    case "class":
      return {
        kind: "classSource",
        code: src.cls.toString(),
        fnName: src.cls.name,
        args: src.args,
      };
    case "classModule":
      return {
        kind: "classModule",
        url: src.ref.url,
        exportName: src.ref.exportName,
        args: src.args,
      };
  }
}

/** Evaluates shipped source text back into a function or class. */
/**
 * tsx/esbuild (keepNames) writes `__name(fn, "x")` and `static { __name(this, "X") }` into
 * function and class text; shipped source must find that helper on the worker too.
 */
const NAME_HELPER =
  'const __name = (t, n) => Object.defineProperty(t, "name", { value: n, configurable: true });';

export function compileSource(code: string, fnName: string, udf: string): unknown {
  if (/\{\s*\[native code\]\s*\}\s*$/.test(code)) {
    throw new UdfSetupError(
      `UDF "${udf}" is a built-in function, which cannot be shipped to a worker by its source. Wrap it: (x) => Math.sqrt(x).`,
    );
  }
  try {
    return new Function(`"use strict"; ${NAME_HELPER} return (${code});`)();
  } catch {
    // Method shorthand ("name(x) { … }") is not an expression on its own.
    try {
      return new Function(
        `"use strict"; ${NAME_HELPER} return ({${code}})[${JSON.stringify(fnName)}];`,
      )();
    } catch (e) {
      throw new UdfSetupError(
        `UDF "${udf}": its source text does not compile on a worker thread. ${SELF_CONTAINED}`,
        {
          cause: e,
        },
      );
    }
  }
}

/** Rewrites a ReferenceError from shipped source into an error that says how to fix it. */
export function shippedSourceError(udf: string, e: unknown): UdfSetupError {
  const msg = e instanceof Error ? e.message : String(e);
  return new UdfSetupError(
    `UDF "${udf}" failed on a worker thread with "${msg}". ${SELF_CONTAINED}`,
    { cause: e },
  );
}

/**
 * Node 20 runs tsx's ESM hooks only on the main thread; on a worker thread its CommonJS hook
 * still compiles TypeScript, so .ts modules are required there when import() cannot load them.
 */
async function importModule(url: string): Promise<unknown> {
  try {
    return await import(url);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code !== "ERR_UNKNOWN_FILE_EXTENSION" || !/\.(ts|mts|cts)$/.test(url)) throw e;
    return createRequire(import.meta.url)(fileURLToPath(url));
  }
}

async function importExport(url: string, exportName: string, udf: string): Promise<unknown> {
  let mod: Record<string, unknown>;
  try {
    mod = (await importModule(url)) as Record<string, unknown>;
  } catch (e) {
    const hint = url.endsWith(".ts")
      ? " TypeScript modules load when the main program runs under tsx (node --import tsx)."
      : "";
    throw new UdfSetupError(`UDF "${udf}": cannot import ${url}: ${(e as Error).message}.${hint}`, {
      cause: e,
    });
  }
  if (!(exportName in mod)) {
    throw new UdfSetupError(
      `UDF "${udf}": ${url} has no export "${exportName}". Its exports are: ${Object.keys(mod).join(", ") || "(none)"}.`,
    );
  }
  return mod[exportName];
}

function construct(
  value: unknown,
  args: readonly unknown[],
  batch: boolean,
  udf: string,
): Callable {
  if (typeof value !== "function") {
    throw new UdfSetupError(`UDF "${udf}": udf.cls() needs a class, got ${typeof value}.`);
  }
  const instance = new (value as new (...a: unknown[]) => Record<string, unknown>)(...args);
  const method = batch ? "callBatch" : "call";
  const fn = instance[method];
  if (typeof fn !== "function") {
    throw new UdfSetupError(
      `UDF "${udf}": class ${value.name || "(anonymous)"} has no ${method}() method. udf.cls() calls call(...values) per row, or callBatch(...vectors) per batch with { batch: true }.`,
    );
  }
  return (fn as Callable).bind(instance);
}

function asCallable(value: unknown, udf: string): Callable {
  if (typeof value !== "function") {
    throw new UdfSetupError(`UDF "${udf}": expected a function, got ${typeof value}.`);
  }
  return value as Callable;
}

/**
 * Per thread: a class is constructed once per UDF and reused by every run. Bounded, least
 * recently used out: a script that makes a new udf.cls per run would otherwise keep every
 * instance (a model, a table) alive on every thread forever.
 */
const cache = new Map<string, Promise<Callable>>();
export const LOADED_UDF_LIMIT = 8;

function cached(key: string, load: () => Promise<Callable>): Promise<Callable> {
  let p = cache.get(key);
  if (p) {
    cache.delete(key); // re-insert: Map order is the recency order
    cache.set(key, p);
    return p;
  }
  p = load();
  cache.set(key, p);
  p.catch(() => {
    if (cache.get(key) === p) cache.delete(key);
  });
  while (cache.size > LOADED_UDF_LIMIT) cache.delete(cache.keys().next().value!);
  return p;
}

/** How many UDFs this thread keeps loaded (for tests). */
export const loadedUdfCount = (): number => cache.size;

/** Resolves a shipped UDF on this thread (cached by `key`). */
export function loadWire(
  key: string,
  src: WireSource,
  batch: boolean,
  udf: string,
): Promise<Callable> {
  return cached(key, () => loadWireUncached(src, batch, udf));
}

async function loadWireUncached(src: WireSource, batch: boolean, udf: string): Promise<Callable> {
  switch (src.kind) {
    case "fnSource":
      return asCallable(compileSource(src.code, src.fnName, udf), udf);
    case "module":
      return asCallable(await importExport(src.url, src.exportName, udf), udf);
    case "classSource":
      return construct(compileSource(src.code, src.fnName, udf), src.args, batch, udf);
    case "classModule":
      return construct(await importExport(src.url, src.exportName, udf), src.args, batch, udf);
  }
}

/** Resolves a UDF on the main thread: functions as they are, modules imported, classes built once. */
export function loadLocal(def: UdfDef): Promise<Callable> | Callable {
  const src = def.runtime.source;
  if (src.kind === "fn") return src.fn as unknown as Callable;
  return cached(`main:${def.id}`, async () => {
    const batch = def.kind === "batch";
    switch (src.kind) {
      case "module":
        return asCallable(await importExport(src.ref.url, src.ref.exportName, def.name), def.name);
      case "class":
        return construct(src.cls, src.args, batch, def.name);
      case "classModule":
        return construct(
          await importExport(src.ref.url, src.ref.exportName, def.name),
          src.args,
          batch,
          def.name,
        );
    }
  });
}
