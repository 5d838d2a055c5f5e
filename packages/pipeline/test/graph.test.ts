import { node, Pipeline } from "@deft/pipeline";
import { describe, expect, it } from "vitest";

describe("graph checks happen before anything runs", () => {
  it("orders nodes topologically whatever order they are given in", async () => {
    const calls: string[] = [];
    const c = node({ output: "c" }, (b: number) => {
      calls.push("c");
      return b + 1;
    });
    const b = node({ output: "b" }, (a: number) => {
      calls.push("b");
      return a * 2;
    });
    const p = new Pipeline([c, b]);
    expect(p.graph.order.map((n) => n.name)).toEqual(["b", "c"]);
    expect(p.inputs).toEqual(["a"]);
    expect(await p.run({ a: 5 })).toEqual({ a: 5, b: 10, c: 11 });
    expect(calls).toEqual(["b", "c"]);
  });

  it("a cycle names the nodes and the names on it", () => {
    const f = node({ output: "x", name: "f" }, (z: number) => z);
    const g = node({ output: "y", name: "g" }, (x: number) => x);
    const h = node({ output: "z", name: "h" }, (y: number) => y);
    expect(() => new Pipeline([f, g, h], { name: "loop" })).toThrow(
      /Pipeline "loop" has a cycle: node "(f|g|h)" -\(\w\)-> .*node "g".*node "h"/,
    );
    const self = node({ output: "x", name: "self" }, (x: number) => x);
    expect(() => new Pipeline([self])).toThrow(/cycle: node "self" -\(x\)-> node "self"/);
  });

  it("two producers of one name names both nodes", () => {
    const a = node({ output: "v", name: "first" }, (x: number) => x);
    const b = node({ output: ["w", "v"], name: "second" }, (x: number) => [x, x]);
    expect(() => new Pipeline([a, b])).toThrow(
      /"v" is produced by both node "first" and node "second"/,
    );
  });

  it("a missing input names the input and the nodes needing it, and nothing runs", async () => {
    let ran = 0;
    const a = node({ output: "a" }, (x: number) => {
      ran++;
      return x;
    });
    const b = node({ output: "b" }, (a: number, y: number) => a + y);
    const c = node({ output: "c" }, (y: number) => y);
    const p = new Pipeline([a, b, c], { name: "p" });
    await expect(p.run({ x: 1 })).rejects.toThrow(
      /Pipeline "p": missing input "y" \(needed by node "b", node "c"\)/,
    );
    await expect(p.map({ x: [1, 2] }, { mapOver: "x" })).rejects.toThrow(/missing input "y"/);
    expect(ran).toBe(0);
    // Only what the selected outputs need must be provided.
    expect(await p.run({ x: 1 }, { outputs: ["a"] })).toEqual({ x: 1, a: 1 });
  });

  it("unknown requested outputs are named with the outputs that exist", async () => {
    const p = new Pipeline([node({ output: "b" }, (a: number) => a)]);
    await expect(p.run({ a: 1 }, { outputs: ["nope"] })).rejects.toThrow(/"nope".*Outputs: b/);
  });

  it("a default value makes an input optional; a provided value overrides its producer", async () => {
    const scale = node({ output: "scaled" }, (x: number, factor = 10) => x * factor);
    const plus = node({ output: "total" }, (scaled: number) => scaled + 1);
    const p = new Pipeline([scale, plus]);
    expect(await p.run({ x: 2 })).toEqual({ x: 2, scaled: 20, total: 21 });
    expect(await p.run({ x: 2, factor: 3 })).toEqual({ x: 2, factor: 3, scaled: 6, total: 7 });
    expect(await p.run({ scaled: 100 })).toEqual({ scaled: 100, total: 101 });
  });
});
