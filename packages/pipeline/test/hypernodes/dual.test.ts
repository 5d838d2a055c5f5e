// hypernodes tests/test_dual_node.py and the dual case of tests/test_stateful.py: nodes with a
// per-item and a batch implementation, on every engine. (hypernodes' batch receives pyarrow
// arrays; here it receives one JS array per input.)
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Callbacks, DiskCache, node, Pipeline } from "@deft/pipeline";
import { afterEach, describe, expect, test } from "vitest";
import { engines } from "../engines.js";
import { mapOutputs } from "./outputs.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("hypernodes dual nodes: construction", () => {
  test("a dual node's output, inputs and implementations", () => {
    const one = (x: number) => x * 2;
    const batch = (x: number[]) => x.map((v) => v * 2);
    const n = node.dual({ output: "doubled" }, { one, batch });
    expect(n.outputs).toEqual(["doubled"]);
    expect(n.inputs).toEqual(["x"]);
    expect(n.fn).toBe(one);
    expect(n.batch).toBe(batch);
    expect(n(4)).toBe(8);
  });

  test("workers are refused, and both implementations are required", () => {
    expect(() =>
      node.dual({ output: "y", workers: 2 }, { one: (x: number) => x, batch: (x: number[]) => x }),
    ).toThrow(/Node "y": a dual node runs on the main thread.*Leave out workers/);
    expect(() =>
      node.dual({ output: "y" }, { one: (x: number) => x } as unknown as Parameters<
        typeof node.dual
      >[1]),
    ).toThrow(/one and batch must both be functions/);
  });
});

describe.each(engines)("hypernodes dual nodes (%s)", (_name, make) => {
  const logged = (log: string[]) => ({
    one: (x: number, factor: number) => {
      log.push("one");
      return x * factor;
    },
    batch: (x: number[], factor: number[]) => {
      log.push(`batch ${x.length}`);
      return x.map((v, i) => v * factor[i]!);
    },
  });

  test("run calls the per-item implementation", async () => {
    const log: string[] = [];
    const add = node.dual(
      { output: "sum" },
      {
        one: (x: number, y: number) => {
          log.push("one");
          return x + y;
        },
        batch: (x: number[], y: number[]) => {
          log.push("batch");
          return x.map((v, i) => v + y[i]!);
        },
      },
    );
    expect((await new Pipeline([add], { engine: make() }).run({ x: 5, y: 3 })).sum).toBe(8);
    expect(log).toEqual(["one"]);
  });

  test("map calls the batch implementation once, constants as arrays too", async () => {
    const log: string[] = [];
    const p = new Pipeline([node.dual({ output: "result" }, logged(log))], { engine: make() });
    const rows = await p.map({ x: [1, 2, 3], factor: 10 }, { mapOver: "x" });
    expect(rows.map((r) => r.result)).toEqual([10, 20, 30]);
    expect(log).toEqual(["batch 3"]);
  });

  test("a stateful object's methods as the two implementations", async () => {
    class Processor {
      constructor(readonly multiplier: number) {}
      one(x: number) {
        return x * this.multiplier;
      }
      many(x: number[]) {
        return x.map((v) => v * this.multiplier);
      }
    }
    const processor = new Processor(5);
    const n = node.dual(
      { output: "processed", inputs: ["x"] },
      { one: (x: number) => processor.one(x), batch: (x: number[]) => processor.many(x) },
    );
    const p = new Pipeline([n], { engine: make() });
    expect((await p.run({ x: 3 })).processed).toBe(15);
    const rows = await p.map({ x: [1, 2, 3] }, { mapOver: "x" });
    expect(rows.map((r) => r.processed)).toEqual([5, 10, 15]);
  });

  test("the per-item implementation may wrap the batch one", async () => {
    const encodeBatch = (text: string[]) => text.map((t) => [t.length, t.length, t.length]);
    const n = node.dual(
      { output: "embedding" },
      { one: (text: string) => encodeBatch([text])[0], batch: encodeBatch },
    );
    const p = new Pipeline([n], { engine: make() });
    expect((await p.run({ text: "hello" })).embedding).toEqual([5, 5, 5]);
    const rows = await p.map({ text: ["hi", "bye", "test"] }, { mapOver: "text" });
    expect(rows.map((r) => r.embedding)).toEqual([
      [2, 2, 2],
      [3, 3, 3],
      [4, 4, 4],
    ]);
  });

  test("zip over two inputs gives what run gives item by item", async () => {
    const add = node.dual(
      { output: "sum" },
      {
        one: (x: number, y: number) => x + y,
        batch: (x: number[], y: number[]) => x.map((v, i) => v + y[i]!),
      },
    );
    const p = new Pipeline([add], { engine: make() });
    const inputs = { x: [1, 2, 3, 4, 5], y: [10, 20, 30, 40, 50] };
    const rows = await p.map(inputs, { mapOver: ["x", "y"] });
    expect(mapOutputs(rows, inputs)).toEqual([11, 22, 33, 44, 55].map((sum) => ({ sum })));
  });

  test("two dual nodes chained, with an ordinary node after", async () => {
    const log: string[] = [];
    const double = node.dual(
      { output: "doubled" },
      {
        one: (x: number) => x * 2,
        batch: (x: number[]) => {
          log.push("double");
          return x.map((v) => v * 2);
        },
      },
    );
    const addTen = node.dual(
      { output: "result" },
      {
        one: (doubled: number) => doubled + 10,
        batch: (doubled: number[]) => {
          log.push("addTen");
          return doubled.map((v) => v + 10);
        },
      },
    );
    const label = node({ output: "label" }, (result: number) => `#${result}`);
    const p = new Pipeline([double, addTen, label], { engine: make() });
    expect((await p.run({ x: 5 })).result).toBe(20);
    const inputs = { x: [1, 2, 3] };
    expect(mapOutputs(await p.map(inputs, { mapOver: "x" }), inputs)).toEqual([
      { doubled: 2, result: 12, label: "#12" },
      { doubled: 4, result: 14, label: "#14" },
      { doubled: 6, result: 16, label: "#16" },
    ]);
    expect(log).toEqual(["double", "addTen"]);
  });

  test("an empty map and a map of one item", async () => {
    const log: string[] = [];
    const p = new Pipeline([node.dual({ output: "result" }, logged(log))], { engine: make() });
    expect(await p.map({ x: [], factor: 2 }, { mapOver: "x" })).toEqual([]);
    const one = await p.map({ x: [5], factor: 2 }, { mapOver: "x" });
    expect(one.map((r) => r.result)).toEqual([10]);
    expect(log).toEqual(["batch 1"]);
  });

  test("inside a nested pipeline with mapOver, once per outer item", async () => {
    const log: string[] = [];
    const inner = new Pipeline([node.dual({ output: "result" }, logged(log))]);
    const outer = new Pipeline(
      [inner.asNode({ inputMap: { xs: "x" }, outputMap: { result: "results" }, mapOver: "xs" })],
      { engine: make() },
    );
    expect((await outer.run({ xs: [1, 2, 3], factor: 3 })).results).toEqual([3, 6, 9]);
    expect(log).toEqual(["batch 3"]);
  });

  test("cache hits per item; only the misses go to the batch", async () => {
    const dir = mkdtempSync(join(tmpdir(), "deft-hypernodes-dual-"));
    dirs.push(dir);
    const log: string[] = [];
    const events: string[] = [];
    const cb: Callbacks = {
      onNodeCached: (e) => events.push(`cached ${e.item}`),
      onNodeEnd: (e) => events.push(`end ${e.item}`),
    };
    const p = new Pipeline([node.dual({ output: "result" }, logged(log))], {
      engine: make({ cache: new DiskCache(dir), callbacks: cb }),
    });
    await p.map({ x: [1, 2], factor: 10 }, { mapOver: "x" });
    events.length = 0;
    const rows = await p.map({ x: [1, 2, 4], factor: 10 }, { mapOver: "x" });
    expect(rows.map((r) => r.result)).toEqual([10, 20, 40]);
    expect(log).toEqual(["batch 2", "batch 1"]);
    expect(events.sort()).toEqual(["cached 0", "cached 1", "end 2"]);
  });

  test("a batch returning the wrong number of results fails naming the node", async () => {
    const bad = node.dual(
      { output: "y", name: "short" },
      { one: (x: number) => x, batch: (x: number[]) => x.slice(1) },
    );
    const p = new Pipeline([bad], { engine: make() });
    await expect(p.map({ x: [1, 2, 3] }, { mapOver: "x" })).rejects.toThrow(
      /Node "short" of pipeline "pipeline" failed on item 0 with inputs \{ x: \[1,2,3\] \}: the batch implementation of dual node "short" must return an array of 3 results/,
    );
  });
});
