// hypernodes tests/test_construction.py and tests/test_execution.py, on every engine.
import { node, Pipeline } from "@deft/pipeline";
import { describe, expect, test } from "vitest";
import { engines } from "../engines.js";
import { outputsOf } from "./outputs.js";

describe("hypernodes construction", () => {
  test("a node's name, inputs and outputs", () => {
    const addOne = node({ output: "result" }, function addOne(x: number) {
      return x + 1;
    });
    expect(addOne.outputs).toEqual(["result"]);
    expect(addOne.inputs).toEqual(["x"]);
    expect(addOne.name).toBe("addOne");
    expect(addOne.options.cache).not.toBe(false);
  });

  test("a pipeline's inputs, outputs and order", () => {
    const double = node({ output: "doubled" }, (x: number) => x * 2);
    const addOne = node({ output: "final" }, (doubled: number) => doubled + 1);
    const one = new Pipeline([double]);
    expect(one.inputs).toEqual(["x"]);
    expect(one.outputs).toEqual(["doubled"]);
    expect(one.graph.order).toEqual([double]);
    const two = new Pipeline([addOne, double]);
    expect(two.inputs).toEqual(["x"]);
    expect(two.outputs).toEqual(["doubled", "final"]);
    expect(two.graph.order).toEqual([double, addOne]);
  });

  test("a pipeline as a node, and nested in another", () => {
    const double = node({ output: "doubled" }, (x: number) => x * 2);
    const triple = node({ output: "tripled" }, (doubled: number) => doubled + doubled / 2);
    const inner = new Pipeline([double], { name: "DoubleOp" });
    const n = inner.asNode();
    expect(n.inputs).toEqual(["x"]);
    expect(n.outputs).toEqual(["doubled"]);
    expect(n.pipeline).toBe(inner);
    expect(n.name).toBe("DoubleOp");
    expect(inner.asNode({ name: "CustomDouble" }).name).toBe("CustomDouble");
    const outer = new Pipeline([n, triple]);
    expect(outer.inputs).toEqual(["x"]);
    expect(outer.outputs).toEqual(["doubled", "tripled"]);
    expect(outer.graph.order).toEqual([n, triple]);
  });
});

describe.each(engines)("hypernodes execution (%s)", (_name, make) => {
  const double = node({ output: "doubled" }, (x: number) => x * 2);
  const triple = node({ output: "tripled" }, (x: number) => x * 3);
  const run = async (p: Pipeline, outputs?: string[]) =>
    outputsOf(await p.run({ x: 5 }, { outputs }), { x: 5 });

  test("a single node", async () => {
    expect(await run(new Pipeline([double], { engine: make() }))).toEqual({ doubled: 10 });
  });

  test("sequential nodes", async () => {
    const addOne = node({ output: "result" }, (doubled: number) => doubled + 1);
    const p = new Pipeline([double, addOne], { engine: make() });
    expect(await run(p)).toEqual({ doubled: 10, result: 11 });
  });

  test("a diamond", async () => {
    const combine = node(
      { output: "result" },
      (doubled: number, tripled: number) => doubled + tripled,
    );
    const p = new Pipeline([double, triple, combine], { engine: make() });
    expect(await run(p)).toEqual({ doubled: 10, tripled: 15, result: 25 });
  });

  test("a node with several outputs", async () => {
    const process = node({ output: ["doubled", "tripled"] }, (x: number) => [x * 2, x * 3]);
    const combine = node(
      { output: "result" },
      (doubled: number, tripled: number) => doubled + tripled,
    );
    const p = new Pipeline([process, combine], { engine: make() });
    expect(await run(p)).toEqual({ doubled: 10, tripled: 15, result: 25 });
  });

  test("selected outputs", async () => {
    const quadruple = node({ output: "quadrupled" }, (x: number) => x * 4);
    const p = new Pipeline([double, triple, quadruple], { engine: make() });
    expect(await run(p, ["doubled"])).toEqual({ doubled: 10 });
    expect(await run(p, ["doubled", "quadrupled"])).toEqual({ doubled: 10, quadrupled: 20 });
  });
});
