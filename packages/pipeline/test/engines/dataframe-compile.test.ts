// How the DataFrameEngine compiles nodes, pinned through the plans it runs (the `onFrame`
// option): a node with several outputs is one UDF giving a struct column, read by field; a
// node travels to workers as data (a module reference and the node's own code), with no
// generated source and no hidden columns; the item column avoids the pipeline's own names.
import { readFileSync } from "node:fs";
import { DataFrame } from "@deft/core";
import { DataFrameEngine, node, Pipeline, PoolEngine, SequentialEngine } from "@deft/pipeline";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { engines } from "../engines.js";

const cars = JSON.parse(
  readFileSync(
    new URL("../../../../node_modules/vega-datasets/data/cars.json", import.meta.url),
    "utf8",
  ),
) as { Name: string }[];
const names = cars.slice(0, 40).map((c) => c.Name);

function splitName(name: string): [string, string] {
  const [make = "", ...rest] = name.split(" ");
  return [make, rest.join(" ")];
}

/** A stateful tuple node that counts its calls in shared memory (seen from every thread). */
class CountingSplitter {
  constructor(private readonly calls: Int32Array) {}
  call(name: string): [string, string] {
    Atomics.add(this.calls, 0, 1);
    const [make = "", ...rest] = name.split(" ");
    return [make, rest.join(" ")];
  }
}

describe("DataFrameEngine plans", () => {
  it("a tuple node on workers is one UDF call per item, its struct column read by field", async () => {
    const calls = new Int32Array(new SharedArrayBuffer(4));
    const split = node.cls(
      { output: ["make", "model"], returns: ["utf8", "utf8"], workers: 2 },
      CountingSplitter,
      { args: [calls] },
    );
    const frames: DataFrame[] = [];
    const p = new Pipeline([split], {
      engine: new DataFrameEngine({ onFrame: (f) => frames.push(f) }),
    });
    const out = await p.map({ name: names }, { mapOver: "name" });
    expect(out.map((r) => [r.make, r.model])).toEqual(names.map(splitName));
    expect(Atomics.load(calls, 0)).toBe(names.length);
    expect(frames).toHaveLength(1);
    const plan = frames[0]!.explain();
    // One UDF (the node), and its outputs as fields of its column.
    expect(plan.match(/CountingSplitter\(/g)).toHaveLength(1);
    expect(plan).toContain('.struct.field("make")');
    expect(plan).toContain('.struct.field("model")');
    expect(frames[0]!.schema.fields.map((f) => f.name)).toEqual(["make", "model"]);
  });

  it("a main-thread tuple node is one call per item and no column per output field", async () => {
    let calls = 0;
    const split = node({ output: ["make", "model"] }, async (name: string) => {
      calls++;
      return splitName(name);
    });
    const frames: DataFrame[] = [];
    const p = new Pipeline([split], {
      engine: new DataFrameEngine({ onFrame: (f) => frames.push(f) }),
    });
    const out = await p.map({ name: names }, { mapOver: "name" });
    expect(out.map((r) => [r.make, r.model])).toEqual(names.map(splitName));
    expect(calls).toBe(names.length);
    const plan = frames[0]!.explain({ optimized: false });
    // The node's one UDF; its outputs stay JS values (no column, no UDF per field).
    expect(plan.match(/make\+model\(/g)).toHaveLength(1);
    expect(plan).not.toMatch(/model=|struct\.field/);
  });

  it("the plan of worker nodes is data: no __deft column, no generated source, and it runs from its JSON", async () => {
    const split = node(
      { output: ["make", "model"], returns: ["utf8", "utf8"], workers: 2 },
      function split(name: string) {
        const [make = "", ...rest] = name.split(" ");
        return [make, rest.join(" ")];
      },
    );
    const len = node(
      { output: "len", returns: "float64", workers: 2 },
      (model: string) => model.length,
    );
    const ratio = node(
      { output: "ratio", returns: "float64", workers: 2 },
      (len: number) => len / 10,
    );
    const frames: DataFrame[] = [];
    const p = new Pipeline([split, len, ratio], {
      engine: new DataFrameEngine({ onFrame: (f) => frames.push(f) }),
    });
    const out = await p.map({ name: names }, { mapOver: "name" });
    const expected = await new Pipeline([split, len, ratio]).map(
      { name: names },
      { mapOver: "name" },
    );
    expect(out).toEqual(expected);
    expect(frames).toHaveLength(1);
    const frame = frames[0]!;
    const text = JSON.stringify(frame);
    for (const plan of [text, frame.explain({ optimized: false }), frame.explain()]) {
      expect(plan).not.toMatch(/__deft/);
      expect(plan).not.toContain("deft-node");
    }
    const json = JSON.parse(text) as {
      udfs: { name: string; source: { kind: string; url: string; exportName: string } }[];
    };
    // The three nodes are one chain: the worker module's NodeCall, by URL.
    expect(json.udfs.map((u) => u.name)).toEqual(["split+len+ratio"]);
    for (const u of json.udfs) {
      expect(u.source.kind).toBe("classModule");
      expect(u.source.exportName).toBe("NodeCall");
      expect(u.source.url).toMatch(/\/engines\/worker-node\.(ts|js)$/);
    }
    // The code a worker gets is the node's own source text, as written.
    for (const fn of [split.fn, len.fn, ratio.fn]) {
      expect(text).toContain(JSON.stringify(fn.toString()).slice(1, -1));
    }
    // Its JSON is the whole plan: rebuilt elsewhere, it gives the same columns.
    const again = await DataFrame.fromJSON(JSON.parse(text)).toRecords();
    expect(again.map((r) => r.ratio)).toEqual(expected.map((r) => r.ratio));
    expect(again.map((r) => r.make)).toEqual(expected.map((r) => r.make));
  });

  it("the item column avoids the pipeline's names, also for a node that reads no column", async () => {
    const frames: DataFrame[] = [];
    const tag = node(
      { output: "tagged", returns: "utf8", workers: 2 },
      (item: string) => `#${item}`,
    );
    const one = node({ output: "item_1", returns: "float64", workers: 2 }, () => 1);
    const p = new Pipeline([tag, one], {
      engine: new DataFrameEngine({ onFrame: (f) => frames.push(f) }),
    });
    const out = await p.map({ item: ["a", "b", "c"] }, { mapOver: "item" });
    expect(out).toEqual([
      { item: "a", tagged: "#a", item_1: 1 },
      { item: "b", tagged: "#b", item_1: 1 },
      { item: "c", tagged: "#c", item_1: 1 },
    ]);
    expect(frames[0]!.explain({ optimized: false })).toContain("item_2");
  });
});

describe("PoolEngine worker calls", () => {
  it("call the node directly on a worker once per item: objects keep every key, typed arrays their type", async () => {
    const calls = new Int32Array(new SharedArrayBuffer(4));
    class Describe {
      constructor(private readonly calls: Int32Array) {}
      call(name: string) {
        Atomics.add(this.calls, 0, 1);
        const wt = process.getBuiltinModule(
          "node:worker_threads",
        ) as typeof import("node:worker_threads");
        const [make = "", ...rest] = name.split(" ");
        // Keys that differ from item to item, and a typed array: no column type is involved.
        const info: Record<string, unknown> = { [make]: rest.length };
        if (rest.length > 2) info.long = true;
        return [info, Int32Array.from(name, (c) => c.charCodeAt(0)), wt.threadId];
      }
    }
    const describeNode = node.cls({ output: ["info", "codes", "thread"], workers: 2 }, Describe, {
      args: [calls],
    });
    const p = new Pipeline([describeNode], { engine: new PoolEngine({ concurrency: 4 }) });
    const out = await p.map({ name: names }, { mapOver: "name" });
    expect(Atomics.load(calls, 0)).toBe(names.length);
    const seq = await new Pipeline([describeNode], { engine: new SequentialEngine() }).map(
      { name: names },
      { mapOver: "name" },
    );
    expect(out.map(({ thread: _, ...r }) => r)).toEqual(seq.map(({ thread: _, ...r }) => r));
    expect(out[0]!.codes).toBeInstanceOf(Int32Array);
    expect(out.every((r) => (r.thread as number) > 0)).toBe(true);
  });

  it("a failure on a worker names the node and the item, and keeps the error's own name", async () => {
    class ParseError extends Error {
      constructor(message: string) {
        super(message);
        this.name = "ParseError";
      }
    }
    const parse = node({ output: "n", workers: 2 }, (text: string) => {
      const n = Number(text);
      if (Number.isNaN(n)) {
        const e = new Error(`not a number: ${text}`);
        e.name = "ParseError";
        throw e;
      }
      return n;
    });
    const p = new Pipeline([parse], { engine: new PoolEngine({ concurrency: 2 }), name: "nums" });
    const err = await p.map({ text: ["1", "2", "x", "4"] }, { mapOver: "text" }).catch((e) => e);
    expect(err.node).toBe("n");
    expect(err.item).toBe(2);
    expect(err.cause.name).toBe(new ParseError("").name);
    expect(err.message).toMatch(/Node "n" of pipeline "nums" failed on item 2 .*not a number: x/);
  });
});

describe.each(engines)("worker nodes on the %s engine", (_name, make) => {
  it("objects with varying keys lose no key, alone and in a chain (property)", async () => {
    const obj = fc.dictionary(
      fc.constantFrom("a", "b", "c", "d"),
      fc.oneof(fc.integer(), fc.string(), fc.boolean(), fc.constant(null)),
    );
    const pickOne = node(
      { output: "o", workers: 2 },
      (i: number, objs: Record<string, unknown>[]) => objs[i],
    );
    const keys = node({ output: "k", workers: 2 }, (o: Record<string, unknown>) =>
      Object.keys(o).sort(),
    );
    // A main-thread node reading the worker node's output gets the object itself.
    const count = node(
      { output: "n" },
      async (o: Record<string, unknown>) => Object.keys(o).length,
    );
    await fc.assert(
      fc.asyncProperty(fc.array(obj, { minLength: 1, maxLength: 8 }), async (objs) => {
        const p = new Pipeline([pickOne, keys, count], { engine: make() });
        const out = await p.map({ i: objs.map((_, i) => i), objs }, { mapOver: "i" });
        expect(out.map((r) => r.o)).toEqual(objs);
        expect(out.map((r) => r.k)).toEqual(objs.map((o) => Object.keys(o).sort()));
        expect(out.map((r) => r.n)).toEqual(objs.map((o) => Object.keys(o).length));
      }),
      { numRuns: 8 },
    );
  });
});
