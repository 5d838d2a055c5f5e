// Main-thread nodes on the DataFrameEngine keep their values in JS: every item starts at once
// whether or not `returns` is declared, objects keep every key, class instances their methods,
// and the other engines give the same answers.
import { DataFrameEngine, node, Pipeline } from "@deft/pipeline";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { engines } from "../engines.js";

describe("untyped async nodes on the DataFrameEngine", () => {
  it("start every item at once, without waiting for the first one", async () => {
    let running = 0;
    let peak = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const double = node({ output: "r" }, async (u: number) => {
      running++;
      peak = Math.max(peak, running);
      // Every call waits until all 50 have started: a first item run alone would never end.
      if (running === 50) release();
      await gate;
      running--;
      return u * 2;
    });
    const p = new Pipeline([double], { engine: new DataFrameEngine() });
    const out = await p.map({ u: Array.from({ length: 50 }, (_, i) => i) }, { mapOver: "u" });
    expect(peak).toBe(50);
    expect(out.map((o) => o.r)).toEqual(Array.from({ length: 50 }, (_, i) => i * 2));
  });

  it("a chain of untyped nodes gives the selected output only", async () => {
    const doubled = node({ output: "doubled" }, async (x: number) => x * 2);
    const tripled = node({ output: "tripled" }, (doubled: number) => doubled * 3);
    for (const [, make] of engines) {
      const p = new Pipeline([doubled, tripled], { engine: make() });
      const out = await p.map({ x: [1, 2, 3] }, { mapOver: "x", outputs: ["tripled"] });
      expect(out).toEqual([
        { x: 1, tripled: 6 },
        { x: 2, tripled: 12 },
        { x: 3, tripled: 18 },
      ]);
    }
  });
});

describe.each(engines)("values through nodes on the %s engine", (_name, make) => {
  it("objects with varying keys lose no key (property)", async () => {
    const obj = fc.dictionary(
      fc.constantFrom("a", "b", "c", "d"),
      fc.oneof(fc.integer(), fc.string(), fc.boolean(), fc.constant(null)),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(obj, { minLength: 1, maxLength: 12 }), async (objs) => {
        const same = node({ output: "o" }, async (i: number) => objs[i]);
        const keys = node({ output: "k" }, (o: Record<string, unknown>) => Object.keys(o).sort());
        const p = new Pipeline([same, keys], { engine: make() });
        const out = await p.map({ i: objs.map((_, i) => i) }, { mapOver: "i" });
        expect(out.map((r) => r.o)).toEqual(objs);
        expect(out.map((r) => r.k)).toEqual(objs.map((o) => Object.keys(o).sort()));
      }),
      { numRuns: 25 },
    );
  });

  it("a class instance given as a constant input keeps its methods on every item", async () => {
    class Resource {
      constructor(readonly factor: number) {}
      process(x: number): number {
        return x * this.factor;
      }
    }
    const use = node({ output: "y" }, (x: number, resource: Resource) => resource.process(x));
    const p = new Pipeline([use], { engine: make() });
    const out = await p.map({ x: [1, 2, 3], resource: new Resource(10) }, { mapOver: "x" });
    expect(out.map((r) => r.y)).toEqual([10, 20, 30]);
  });

  it("a node returning a number for one item and a string for another keeps both", async () => {
    const mixed = node({ output: "v" }, (i: number) => (i === 1 ? "one" : i));
    const p = new Pipeline([mixed], { engine: make() });
    const out = await p.map({ i: [0, 1, 2] }, { mapOver: "i" });
    expect(out.map((r) => r.v)).toEqual([0, "one", 2]);
  });
});
