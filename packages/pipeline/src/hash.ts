// Stable content hashes for cache keys: equal values hash equal regardless of object key
// order, and a value's type is part of its hash (1 and "1" and 1n differ).
import { createHash, type Hash } from "node:crypto";

export function sha256(...parts: string[]): string {
  const h = createHash("sha256");
  for (const p of parts) h.update(`${p.length}:${p}`);
  return h.digest("hex");
}

/** Hashes a list of values; throws (naming `what`) on values that have no stable content. */
export function hashValues(values: readonly unknown[], what: string): string {
  const h = createHash("sha256");
  values.forEach((v, i) => {
    feed(h, v, `${what}[${i}]`, new Set());
  });
  return h.digest("hex");
}

function feed(h: Hash, v: unknown, path: string, seen: Set<object>): void {
  switch (typeof v) {
    case "undefined":
      h.update("u;");
      return;
    case "boolean":
      h.update(v ? "T;" : "F;");
      return;
    case "number":
      h.update(`n${Object.is(v, -0) ? "-0" : String(v)};`);
      return;
    case "bigint":
      h.update(`i${v};`);
      return;
    case "string":
      h.update(`s${v.length}:`);
      h.update(v);
      return;
    case "function":
    case "symbol":
      throw new Error(
        `Cannot hash ${path} (a ${typeof v}) for the cache. Pass data instead, give the object ` +
          "holding it a cacheKey() method, or set cache: false on the node.",
      );
  }
  if (v === null) {
    h.update("N;");
    return;
  }
  const obj = v as object;
  if (seen.has(obj)) throw new Error(`Cannot hash ${path} for the cache: it is circular.`);
  seen.add(obj);
  if (ArrayBuffer.isView(obj)) {
    h.update(`b${obj.constructor.name}${obj.byteLength}:`);
    h.update(new Uint8Array(obj.buffer, obj.byteOffset, obj.byteLength));
  } else if (obj instanceof ArrayBuffer) {
    h.update(`B${obj.byteLength}:`);
    h.update(new Uint8Array(obj));
  } else if (obj instanceof Date) {
    h.update(`d${obj.getTime()};`);
  } else if (Array.isArray(obj)) {
    h.update(`a${obj.length}[`);
    obj.forEach((x, i) => {
      feed(h, x, `${path}[${i}]`, seen);
    });
    h.update("]");
  } else if (obj instanceof Map) {
    h.update(`m${obj.size}{`);
    for (const [k, x] of obj) {
      feed(h, k, `${path} key`, seen);
      feed(h, x, `${path}.get(${String(k)})`, seen);
    }
    h.update("}");
  } else if (obj instanceof Set) {
    h.update(`S${obj.size}{`);
    for (const x of obj) feed(h, x, `${path} element`, seen);
    h.update("}");
  } else if (obj instanceof RegExp) {
    h.update(`r${obj.source.length}:${obj.source}/${obj.flags};`);
  } else if (obj instanceof URL) {
    h.update(`U${obj.href.length}:${obj.href};`);
  } else {
    const proto = Object.getPrototypeOf(obj);
    if (proto !== Object.prototype && proto !== null) {
      feedInstance(h, obj, proto, path, seen);
      seen.delete(obj);
      return;
    }
    const keys = Object.keys(obj).sort();
    h.update(`o${keys.length}{`);
    for (const k of keys) {
      h.update(`${k.length}:${k}=`);
      feed(h, (obj as Record<string, unknown>)[k], `${path}.${k}`, seen);
    }
    h.update("}");
  }
  seen.delete(obj);
}

/**
 * A class instance: its `cacheKey()` result when it has that method, else its class name and
 * its own public fields (names starting with "_" and #private fields are left out). Instances
 * of built-in classes keep their state where no field shows it, so they need `cacheKey()`.
 */
function feedInstance(h: Hash, obj: object, proto: object, path: string, seen: Set<object>) {
  const ctor = (proto as { constructor?: unknown }).constructor;
  const name = typeof ctor === "function" && ctor.name ? ctor.name : "(anonymous class)";
  h.update(`c${name.length}:${name}`);
  const key = (obj as { cacheKey?: unknown }).cacheKey;
  if (typeof key === "function") {
    const value: unknown = key.call(obj);
    h.update("k");
    feed(h, value, `${path}.cacheKey()`, seen);
    return;
  }
  if (
    typeof ctor === "function" &&
    /\{\s*\[native code\]\s*\}\s*$/.test(Function.prototype.toString.call(ctor))
  ) {
    throw new Error(
      `Cannot hash ${path} (an instance of the built-in ${name}) for the cache: its state is not in its fields. ` +
        "Pass plain data, wrap it in a class with a cacheKey() method, or set cache: false on the node.",
    );
  }
  const keys = Object.keys(obj)
    .filter((k) => !k.startsWith("_"))
    .sort();
  h.update(`o${keys.length}{`);
  for (const k of keys) {
    h.update(`${k.length}:${k}=`);
    feed(h, (obj as Record<string, unknown>)[k], `${path}.${k}`, seen);
  }
  h.update("}");
}
