// hypernodes tests/old/test_node_callable_fix.py and the `wrapped(x=5)` calls of
// tests/test_output_mapping.py: nodes called as plain functions. A nested node called alone
// runs on its pipeline's engine, so that case runs on every engine.
import { node, Pipeline } from "@deft/pipeline";
import { describe, expect, test } from "vitest";
import { engines } from "../engines.js";

describe("hypernodes callable nodes", () => {
  test("a node called with positional arguments returns its function's result", () => {
    const add = node({ output: "result" }, (a: number, b: number) => a + b);
    expect(add(3, 5)).toBe(8);
    expect(add.name).toBe("result");
    expect(add.inputs).toEqual(["a", "b"]);
  });

  test("an object-parameter node is called with one object", async () => {
    const join = node({ output: "s" }, ({ a, b = "-" }: { a: string; b?: string }) => a + b);
    expect(join({ a: "x" })).toBe("x-");
    const later = node({ output: "t" }, async (x: number) => x + 1);
    expect(await later(1)).toBe(2);
  });

  test("a node called from another function (a wrapper class)", () => {
    const process = node(
      { output: "processed" },
      (text: string, prefix: string) => `${prefix}: ${text}`,
    );
    class Wrapper {
      constructor(readonly prefix: string) {}
      call(text: string) {
        return process(text, this.prefix);
      }
    }
    expect(new Wrapper("INFO").call("hello")).toBe("INFO: hello");
  });

  test("a callable node still works in a pipeline", async () => {
    const double = node({ output: "doubled" }, (x: number) => x * 2);
    expect(double(4)).toBe(8);
    expect((await new Pipeline([double]).run({ x: 4 })).doubled).toBe(8);
  });
});

describe.each(engines)("hypernodes callable nested nodes (%s)", (_name, make) => {
  const abc = () =>
    new Pipeline(
      [
        node({ output: "a" }, (x: number) => x * 2),
        node({ output: "b" }, (x: number) => x * 3),
        node({ output: "c" }, (x: number) => x * 4),
      ],
      { engine: make() },
    );

  test("called, it resolves to the mapped outputs only", async () => {
    const wrapped = abc().asNode({ outputMap: { a: "first", b: "second" } });
    expect(await wrapped({ x: 5 })).toEqual({ first: 10, second: 15 });
  });

  test("without an output map, to every output", async () => {
    expect(await abc().asNode()({ x: 5 })).toEqual({ a: 10, b: 15, c: 20 });
  });

  test("with an input map and mapOver, outer names in and out", async () => {
    const double = new Pipeline([node({ output: "doubled" }, (x: number) => x * 2)], {
      engine: make(),
    });
    const batch = double.asNode({
      inputMap: { items: "x" },
      outputMap: { doubled: "results" },
      mapOver: "items",
    });
    expect(await batch({ items: [1, 2, 3] })).toEqual({ results: [2, 4, 6] });
  });

  test("bound inner inputs are used", async () => {
    const add = new Pipeline([node({ output: "sum" }, (x: number, y: number) => x + y)], {
      engine: make(),
    }).bind({ y: 10 });
    expect(await add.asNode()({ x: 1 })).toEqual({ sum: 11 });
  });
});
