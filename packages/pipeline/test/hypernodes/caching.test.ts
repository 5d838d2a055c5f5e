// hypernodes tests/test_caching.py and the cache cases of tests/test_stateful.py: DiskCache on
// every engine, class instances in cache keys (cacheKey(), private fields left out).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DiskCache, type EngineOptions, node, Pipeline } from "@deft/pipeline";
import { afterEach, describe, expect, test } from "vitest";
import { engines } from "../engines.js";
import { mapOutputs, outputsOf } from "./outputs.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function freshCache(): DiskCache {
  const dir = mkdtempSync(join(tmpdir(), "deft-hypernodes-cache-"));
  dirs.push(dir);
  return new DiskCache(dir);
}

class EncoderConfig {
  constructor(
    readonly dim: number,
    readonly modelName: string,
  ) {}
}
class DeterministicEncoder {
  readonly dim: number;
  _internalCache: Record<string, number[]> = {};
  constructor(readonly config: EncoderConfig) {
    this.dim = config.dim;
  }
  encode(text: string): number[] {
    return [...text.slice(0, this.dim)].map((c) => c.charCodeAt(0));
  }
}
class ModelWithCustomKey {
  #apiKey: string;
  _callCount = 0;
  constructor(
    readonly modelName: string,
    readonly temperature: number,
    apiKey: string,
  ) {
    this.#apiKey = apiKey;
  }
  cacheKey(): string {
    return JSON.stringify({ model: this.modelName, temp: this.temperature });
  }
  generate(prompt: string): string {
    this._callCount++;
    return `[${this.modelName}] ${prompt.toUpperCase()}${this.#apiKey ? "" : "!"}`;
  }
}
class ProcessorWithState {
  _internalCounter = 0;
  _cache: Record<string, string> = {};
  constructor(readonly config: string) {}
  process(value: number): number {
    this._internalCounter++;
    return value * 2;
  }
}

describe.each(engines)("hypernodes caching (%s)", (_name, make) => {
  const withCache = (cache: DiskCache, opts: EngineOptions = {}) => make({ cache, ...opts });

  test("a second run with the same input uses the cache", async () => {
    const calls: number[] = [];
    const slow = node({ output: "result" }, (x: number) => {
      calls.push(x);
      return x * 2;
    });
    const p = new Pipeline([slow], { engine: withCache(freshCache()) });
    expect((await p.run({ x: 5 })).result).toBe(10);
    expect((await p.run({ x: 5 })).result).toBe(10);
    expect(calls).toEqual([5]);
  });

  test("a changed input runs again; the first input is still cached", async () => {
    const calls: number[] = [];
    const process = node({ output: "result" }, (x: number) => {
      calls.push(x);
      return x * 2;
    });
    const p = new Pipeline([process], { engine: withCache(freshCache()) });
    expect((await p.run({ x: 5 })).result).toBe(10);
    expect((await p.run({ x: 10 })).result).toBe(20);
    expect((await p.run({ x: 5 })).result).toBe(10);
    expect(calls).toEqual([5, 10]);
  });

  test("cache: false on one node", async () => {
    const counts = { cached: 0, uncached: 0 };
    const cachedFn = node({ output: "cached_result" }, (x: number) => {
      counts.cached++;
      return x * 2;
    });
    const uncachedFn = node(
      { output: "uncached_result", cache: false },
      (cached_result: number) => {
        counts.uncached++;
        return cached_result + 1;
      },
    );
    const p = new Pipeline([cachedFn, uncachedFn], { engine: withCache(freshCache()) });
    await p.run({ x: 5 });
    await p.run({ x: 5 });
    expect(counts).toEqual({ cached: 1, uncached: 2 });
  });

  test("a nested pipeline's nodes use the outer engine's cache", async () => {
    let calls = 0;
    const inner = new Pipeline([
      node({ output: "doubled" }, (x: number) => {
        calls++;
        return x * 2;
      }),
    ]);
    const addOne = node({ output: "result" }, (doubled: number) => doubled + 1);
    const outer = new Pipeline([inner.asNode(), addOne], { engine: withCache(freshCache()) });
    expect(outputsOf(await outer.run({ x: 5 }), { x: 5 })).toEqual({ doubled: 10, result: 11 });
    expect(outputsOf(await outer.run({ x: 5 }), { x: 5 })).toEqual({ doubled: 10, result: 11 });
    expect(calls).toBe(1);
  });

  test("map: items seen before come from the cache", async () => {
    const calls: number[] = [];
    const op = node({ output: "result" }, async (x: number) => {
      calls.push(x);
      await new Promise((r) => setTimeout(r, 10));
      return x * 2;
    });
    const p = new Pipeline([op], { engine: withCache(freshCache()) });
    const first = await p.map({ x: [1, 2, 3] }, { mapOver: "x" });
    expect(mapOutputs(first, { x: 0 })).toEqual([{ result: 2 }, { result: 4 }, { result: 6 }]);
    expect(await p.map({ x: [1, 2, 3] }, { mapOver: "x" })).toEqual(first);
    const third = await p.map({ x: [2, 3, 4] }, { mapOver: "x" });
    expect(third.map((r) => r.result)).toEqual([4, 6, 8]);
    expect(calls.sort()).toEqual([1, 2, 3, 4]);
  });

  test("changed code misses the cache", async () => {
    const cache = freshCache();
    const v1 = node({ output: "result" }, (x: number) => x + 1);
    const p1 = new Pipeline([v1], { engine: withCache(cache) });
    expect((await p1.run({ x: 5 })).result).toBe(6);
    expect((await p1.run({ x: 5 })).result).toBe(6);
    const v2 = node({ output: "result" }, (x: number) => x + 2);
    expect((await new Pipeline([v2], { engine: withCache(cache) }).run({ x: 5 })).result).toBe(7);
  });

  test("a diamond: each node cached on its own", async () => {
    const log: string[] = [];
    const double = node({ output: "doubled" }, (x: number) => {
      log.push(`double(${x})`);
      return x * 2;
    });
    const triple = node({ output: "tripled" }, (x: number) => {
      log.push(`triple(${x})`);
      return x * 3;
    });
    const add = node({ output: "result" }, (doubled: number, tripled: number) => {
      log.push(`add(${doubled},${tripled})`);
      return doubled + tripled;
    });
    const p = new Pipeline([double, triple, add], { engine: withCache(freshCache()) });
    const expected = { doubled: 10, tripled: 15, result: 25 };
    expect(outputsOf(await p.run({ x: 5 }), { x: 5 })).toEqual(expected);
    expect(log.sort()).toEqual(["add(10,15)", "double(5)", "triple(5)"]);
    log.length = 0;
    expect(outputsOf(await p.run({ x: 5 }), { x: 5 })).toEqual(expected);
    expect(log).toEqual([]);
    await p.run({ x: 10 });
    expect(log.sort()).toEqual(["add(20,30)", "double(10)", "triple(10)"]);
  });

  test("class instances hash by class and public fields: equal config, equal key", async () => {
    const log: string[] = [];
    const encodeText = node(
      { output: "embedding" },
      (encoder: DeterministicEncoder, text: string) => {
        log.push(`encode(${text})`);
        return encoder.encode(text);
      },
    );
    const p = new Pipeline([encodeText], { engine: withCache(freshCache()) });
    const e1 = new DeterministicEncoder(new EncoderConfig(4, "test-v1"));
    expect((await p.run({ encoder: e1, text: "hello" })).embedding).toEqual([104, 101, 108, 108]);
    const e2 = new DeterministicEncoder(new EncoderConfig(4, "test-v1"));
    e2._internalCache.x = [1];
    expect((await p.run({ encoder: e2, text: "hello" })).embedding).toEqual([104, 101, 108, 108]);
    expect(log).toEqual(["encode(hello)"]);
    const e3 = new DeterministicEncoder(new EncoderConfig(4, "test-v2"));
    await p.run({ encoder: e3, text: "hello" });
    expect(log).toEqual(["encode(hello)", "encode(hello)"]);
  });

  test("cacheKey() decides the key: a secret in a #private field does not count", async () => {
    const log: string[] = [];
    const generate = node({ output: "result" }, (model: ModelWithCustomKey, prompt: string) => {
      log.push(prompt);
      return model.generate(prompt);
    });
    const p = new Pipeline([generate], { engine: withCache(freshCache()) });
    const r1 = await p.run({ model: new ModelWithCustomKey("gpt-4", 0.7, "k1"), prompt: "hello" });
    expect(r1.result).toBe("[gpt-4] HELLO");
    const r2 = await p.run({ model: new ModelWithCustomKey("gpt-4", 0.7, "k2"), prompt: "hello" });
    expect(r2.result).toBe("[gpt-4] HELLO");
    expect(log).toEqual(["hello"]);
    await p.run({ model: new ModelWithCustomKey("gpt-4", 0.9, "k1"), prompt: "hello" });
    expect(log).toEqual(["hello", "hello"]);
  });

  test("fields starting with _ are left out of the key", async () => {
    const log: number[] = [];
    const processValue = node(
      { output: "result" },
      (processor: ProcessorWithState, value: number) => {
        log.push(value);
        return processor.process(value);
      },
    );
    const p = new Pipeline([processValue], { engine: withCache(freshCache()) });
    expect((await p.run({ processor: new ProcessorWithState("v1"), value: 5 })).result).toBe(10);
    const changed = new ProcessorWithState("v1");
    changed._internalCounter = 100;
    changed._cache = { some: "data" };
    expect((await p.run({ processor: changed, value: 5 })).result).toBe(10);
    expect(log).toEqual([5]);
    await p.run({ processor: new ProcessorWithState("v2"), value: 5 });
    expect(log).toEqual([5, 5]);
  });

  test("a built-in object without cacheKey() cannot be hashed; the error says what to do", async () => {
    const n = node({ output: "size" }, (m: WeakMap<object, number>) => (m ? 1 : 0));
    const p = new Pipeline([n], { engine: withCache(freshCache()) });
    await expect(p.run({ m: new WeakMap() })).rejects.toThrow(
      /instance of the built-in WeakMap.*cacheKey\(\) method, or set cache: false/,
    );
  });
});
