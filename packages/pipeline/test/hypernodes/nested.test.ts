// hypernodes tests/test_nested_pipelines.py and tests/test_output_mapping.py: nested
// pipelines, input/output maps, output-map filtering and pruning of nested outputs nobody
// reads, on every engine.
import { node, Pipeline, type Values } from "@deft/pipeline";
import { describe, expect, test } from "vitest";
import { engines } from "../engines.js";
import { mapOutputs, outputsOf } from "./outputs.js";

describe.each(engines)("hypernodes nested pipelines (%s)", (_name, make) => {
  const run = async (p: Pipeline, given: Values) => outputsOf(await p.run(given), given);

  test("an inner output nobody reads is pruned when another one is read", async () => {
    const double = node({ output: "doubled" }, (x: number) => x * 2);
    const addOne = node({ output: "incremented" }, (doubled: number) => doubled + 1);
    const inner = new Pipeline([double, addOne]);
    const square = node({ output: "result" }, (incremented: number) => incremented ** 2);
    const outer = new Pipeline([inner.asNode(), square], { engine: make() });
    expect(await run(outer, { x: 5 })).toEqual({ incremented: 11, result: 121 });
  });

  test("two levels of nesting, pruned at each level", async () => {
    const innerInner = new Pipeline([node({ output: "doubled" }, (x: number) => x * 2)]);
    const addOne = node({ output: "incremented" }, (doubled: number) => doubled + 1);
    const inner = new Pipeline([innerInner.asNode(), addOne]);
    const square = node({ output: "result" }, (incremented: number) => incremented ** 2);
    const outer = new Pipeline([inner.asNode(), square], { engine: make() });
    expect(await run(outer, { x: 5 })).toEqual({ incremented: 11, result: 121 });
  });

  test("input map", async () => {
    const clean = node({ output: "cleaned" }, (passage: string) => passage.trim().toLowerCase());
    const outer = new Pipeline(
      [new Pipeline([clean]).asNode({ inputMap: { document: "passage" } })],
      { engine: make() },
    );
    expect(await run(outer, { document: "  Hello World  " })).toEqual({ cleaned: "hello world" });
  });

  test("output map renames", async () => {
    const process = node({ output: "result" }, (data: string) => data.toUpperCase());
    const outer = new Pipeline(
      [new Pipeline([process]).asNode({ outputMap: { result: "processed_data" } })],
      { engine: make() },
    );
    expect(await run(outer, { data: "hello" })).toEqual({ processed_data: "HELLO" });
  });

  test("input and output maps together", async () => {
    const double = node({ output: "doubled" }, (x: number) => x * 2);
    const outer = new Pipeline(
      [
        new Pipeline([double]).asNode({
          inputMap: { value: "x" },
          outputMap: { doubled: "result" },
        }),
      ],
      { engine: make() },
    );
    expect(await run(outer, { value: 5 })).toEqual({ result: 10 });
  });

  test("mapOver inside a nested node", async () => {
    const double = node({ output: "doubled" }, (x: number) => x * 2);
    const batch = new Pipeline([double]).asNode({
      mapOver: "items",
      inputMap: { items: "x" },
      outputMap: { doubled: "results" },
    });
    const outer = new Pipeline([batch], { engine: make() });
    expect(await run(outer, { items: [1, 2, 3] })).toEqual({ results: [2, 4, 6] });
  });

  test("mapOver with a shared input broadcast to every element", async () => {
    const processItem = node(
      { output: "result" },
      (item: string, prefix: string) => `${prefix}: ${item}`,
    );
    const batch = new Pipeline([processItem]).asNode({
      mapOver: "items",
      inputMap: { items: "item" },
      outputMap: { result: "results" },
    });
    const outer = new Pipeline([batch], { engine: make() });
    const r = await outer.run({ items: ["apple", "banana"], prefix: "FRUIT" });
    expect(r.results).toEqual(["FRUIT: apple", "FRUIT: banana"]);
  });

  test("map over an outer pipeline holding a nested one", async () => {
    const double = node({ output: "doubled" }, (x: number) => x * 2);
    const addOne = node({ output: "result" }, (doubled: number) => doubled + 1);
    const outer = new Pipeline([new Pipeline([double, addOne]).asNode()], { engine: make() });
    const inputs = { x: [1, 2, 3] };
    expect(mapOutputs(await outer.map(inputs, { mapOver: "x" }), inputs)).toEqual([
      { doubled: 2, result: 3 },
      { doubled: 4, result: 5 },
      { doubled: 6, result: 7 },
    ]);
  });

  test("output maps keep two inner outputs of one name apart", async () => {
    const a = new Pipeline([node({ output: "result" }, (input: number) => input * 2)]);
    const b = new Pipeline([node({ output: "result" }, (input: number) => input * 3)]);
    const combine = node(
      { output: "combined" },
      (result_a: number, result_b: number) => result_a + result_b,
    );
    const outer = new Pipeline(
      [
        a.asNode({ outputMap: { result: "result_a" }, name: "a" }),
        b.asNode({ outputMap: { result: "result_b" }, name: "b" }),
        combine,
      ],
      { engine: make() },
    );
    expect(await run(outer, { input: 5 })).toEqual({ result_a: 10, result_b: 15, combined: 25 });
  });
});

describe.each(engines)("hypernodes output mapping (%s)", (_name, make) => {
  const abc = (log: string[] = []) =>
    new Pipeline([
      node({ output: "a" }, (x: number) => {
        log.push("a");
        return x * 2;
      }),
      node({ output: "b" }, (x: number) => {
        log.push("b");
        return x * 3;
      }),
      node({ output: "c" }, (x: number) => {
        log.push("c");
        return x * 4;
      }),
    ]);

  test("an output map exposes only the outputs it names", () => {
    expect(abc().asNode({ outputMap: { a: "mapped" } }).outputs).toEqual(["mapped"]);
    expect(abc().asNode({ outputMap: { a: "first", b: "second" } }).outputs).toEqual([
      "first",
      "second",
    ]);
    expect(abc().asNode().outputs).toEqual(["a", "b", "c"]);
  });

  test("the inner pipeline computes only the mapped outputs", async () => {
    const log: string[] = [];
    const useMapped = node({ output: "final" }, (mapped: number) => {
      log.push("final");
      return mapped + 100;
    });
    const outer = new Pipeline([abc(log).asNode({ outputMap: { a: "mapped" } }), useMapped], {
      engine: make(),
    });
    expect(outputsOf(await outer.run({ x: 5 }), { x: 5 })).toEqual({ mapped: 10, final: 110 });
    expect(log).toEqual(["a", "final"]);
  });

  test("several mapped outputs, the unmapped one absent", async () => {
    const outer = new Pipeline([abc().asNode({ outputMap: { a: "first", b: "second" } })], {
      engine: make(),
    });
    expect(outputsOf(await outer.run({ x: 5 }), { x: 5 })).toEqual({ first: 10, second: 15 });
  });

  test("no output map: every inner output", async () => {
    const inner = new Pipeline([
      node({ output: "a" }, (x: number) => x * 2),
      node({ output: "b" }, (x: number) => x * 3),
    ]);
    const outer = new Pipeline([inner.asNode()], { engine: make() });
    expect(outputsOf(await outer.run({ x: 5 }), { x: 5 })).toEqual({ a: 10, b: 15 });
  });

  test("only the mapped outputs a later node reads are computed, along a chain", async () => {
    const log: string[] = [];
    const inner = new Pipeline([
      node({ output: "a" }, (x: number) => {
        log.push("a");
        return x * 2;
      }),
      node({ output: "b" }, (a: number) => {
        log.push("b");
        return a * 3;
      }),
      node({ output: "c" }, (b: number) => {
        log.push("c");
        return b * 4;
      }),
    ]);
    const useFirst = node({ output: "result" }, (first: number) => {
      log.push("result");
      return first + 100;
    });
    const outer = new Pipeline(
      [inner.asNode({ outputMap: { a: "first", b: "second", c: "third" } }), useFirst],
      { engine: make() },
    );
    expect(outputsOf(await outer.run({ x: 5 }), { x: 5 })).toEqual({ first: 10, result: 110 });
    expect(log).toEqual(["a", "result"]);
    // Asked for by name, a pruned output is computed.
    log.length = 0;
    const asked = await outer.run({ x: 5 }, { outputs: ["third", "result"] });
    expect(outputsOf(asked, { x: 5 })).toEqual({ third: 120, result: 110 });
    expect(log.sort()).toEqual(["a", "b", "c", "result"]);
  });
});
