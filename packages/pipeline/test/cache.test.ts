import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Callbacks, DiskCache, node, Pipeline } from "@deft/pipeline";
import { afterEach, describe, expect, it } from "vitest";
import { engines } from "./engines.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "deft-pipeline-cache-"));
  dirs.push(d);
  return d;
}

/** Counts calls per node and cache hits per node through the callbacks. */
function recorder() {
  const ran: string[] = [];
  const cached: string[] = [];
  const callbacks: Callbacks = {
    onNodeEnd: (e) => ran.push(`${e.node}#${e.item}`),
    onNodeCached: (e) => cached.push(`${e.node}#${e.item}`),
  };
  return { ran, cached, callbacks };
}

describe.each(engines)("DiskCache on the %s engine", (_name, makeEngine) => {
  it("reuses results when code and inputs are unchanged; new inputs run", async () => {
    const cache = new DiskCache(tempDir());
    const square = node({ output: "sq" }, (x: number) => x * x);
    const vec = node({ output: "vec" }, (sq: number) => new Float32Array([sq, sq + 0.5]));
    const first = recorder();
    const p1 = new Pipeline([square, vec], {
      engine: makeEngine({ cache, callbacks: first.callbacks }),
    });
    const r1 = await p1.map({ x: [1, 2] }, { mapOver: "x" });
    expect(first.ran.sort()).toEqual(["sq#0", "sq#1", "vec#0", "vec#1"]);

    const second = recorder();
    const p2 = new Pipeline([square, vec], {
      engine: makeEngine({ cache, callbacks: second.callbacks }),
    });
    const r2 = await p2.map({ x: [1, 2, 3] }, { mapOver: "x" });
    expect(second.cached.sort()).toEqual(["sq#0", "sq#1", "vec#0", "vec#1"]);
    expect(second.ran.sort()).toEqual(["sq#2", "vec#2"]);
    expect(r2.slice(0, 2)).toEqual(r1);
    expect(r2[1]!.vec).toBeInstanceOf(Float32Array);
    expect(r2[2]).toEqual({ x: 3, sq: 9, vec: new Float32Array([9, 9.5]) });
  });

  it("a changed function body invalidates the node and everything downstream", async () => {
    const cache = new DiskCache(tempDir());
    const down = node({ output: "z" }, (y: number) => y + 1);
    const v1 = node({ output: "y" }, (x: number) => x * 2);
    await new Pipeline([v1, down], { engine: makeEngine({ cache }) }).run({ x: 5 });

    const rec = recorder();
    const v2 = node({ output: "y" }, (x: number) => x * 2 + 0); // same output value, new code
    const r = await new Pipeline([v2, down], {
      engine: makeEngine({ cache, callbacks: rec.callbacks }),
    }).run({
      x: 5,
    });
    expect(r).toEqual({ x: 5, y: 10, z: 11 });
    expect(rec.ran.sort()).toEqual(["y#0", "z#0"]);
    expect(rec.cached).toEqual([]);

    const again = recorder();
    await new Pipeline([v2, down], {
      engine: makeEngine({ cache, callbacks: again.callbacks }),
    }).run({ x: 5 });
    expect(again.cached.sort()).toEqual(["y#0", "z#0"]);
  });

  it("cache: false on a node always runs it; object keys in any order hash alike", async () => {
    const dir = tempDir();
    const cache = new DiskCache(dir);
    const rec = recorder();
    const keys = node({ output: "keys", cache: false }, (o: Record<string, number>) =>
      Object.keys(o).sort(),
    );
    const sum = node({ output: "sum" }, (o: Record<string, number>) =>
      Object.values(o).reduce((a, b) => a + b),
    );
    const engine = makeEngine({ cache, callbacks: rec.callbacks });
    await new Pipeline([keys, sum], { engine }).run({ o: { a: 1, b: 2 } });
    await new Pipeline([keys, sum], { engine }).run({ o: { b: 2, a: 1 } });
    expect(rec.ran.sort()).toEqual(["keys#0", "keys#0", "sum#0"]);
    expect(rec.cached).toEqual(["sum#0"]);
    expect(readdirSync(dir).length).toBeGreaterThan(0);
  });

  it("values that cannot be hashed name the node and say how to opt out", async () => {
    const cache = new DiskCache(tempDir());
    const f = node({ output: "y", name: "takesFn" }, (cb: () => number) => cb());
    await expect(
      new Pipeline([f], { engine: makeEngine({ cache }) }).run({ cb: () => 1 }),
    ).rejects.toThrow(/node "takesFn" inputs\[0\].*cache: false/);
  });
});

describe.each(engines)("callbacks on the %s engine", (_name, makeEngine) => {
  it("report pipeline, item and node starts and ends, with inputs and outputs", async () => {
    const events: string[] = [];
    const callbacks: Callbacks = {
      onPipelineStart: (e) => events.push(`pipeline:start ${e.pipeline} ${e.items}`),
      onPipelineEnd: (e) =>
        events.push(`pipeline:end ${e.pipeline} ${e.items} ${e.error ? "error" : "ok"}`),
      onMapItemStart: (e) => events.push(`item:start ${e.item}`),
      onMapItemEnd: (e) => events.push(`item:end ${e.item}`),
      onNodeStart: (e) => events.push(`node:start ${e.node} ${e.item} ${JSON.stringify(e.inputs)}`),
      onNodeEnd: (e) => events.push(`node:end ${e.node} ${e.item} ${JSON.stringify(e.outputs)}`),
      onNodeError: (e) => events.push(`node:error ${e.node} ${e.item} ${e.attempt} ${e.willRetry}`),
    };
    const double = node({ output: "y" }, (x: number) => x * 2);
    const p = new Pipeline([double], { engine: makeEngine({ callbacks }), name: "dbl" });
    await p.map({ x: [1, 2] }, { mapOver: "x" });
    expect(events[0]).toBe("pipeline:start dbl 2");
    expect(events.at(-1)).toBe("pipeline:end dbl 2 ok");
    expect(events).toContain('node:start y 0 {"x":1}');
    expect(events).toContain('node:end y 1 {"y":4}');
    expect(events.filter((e) => e.startsWith("item:end"))).toHaveLength(2);

    events.length = 0;
    const fail = node({ output: "y", retries: 1, name: "fail" }, () => {
      throw new Error("x");
    });
    await expect(
      new Pipeline([fail], { engine: makeEngine({ callbacks }), name: "f" }).run({}),
    ).rejects.toThrow();
    expect(events.filter((e) => e.startsWith("node:error"))).toEqual([
      "node:error fail 0 1 true",
      "node:error fail 0 2 false",
    ]);
    expect(events.at(-1)).toBe("pipeline:end f 1 error");
  });
});
