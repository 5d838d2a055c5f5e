// hypernodes tests/test_map.py and tests/test_selective_inputs.py, on every engine.
import { node, Pipeline } from "@deft/pipeline";
import { describe, expect, test } from "vitest";
import { engines } from "../engines.js";
import { mapOutputs, outputsOf } from "./outputs.js";

describe.each(engines)("hypernodes map (%s)", (_name, make) => {
  test("simple map", async () => {
    const double = node({ output: "doubled" }, (x: number) => x * 2);
    const p = new Pipeline([double], { engine: make() });
    const inputs = { x: [1, 2, 3] };
    expect(mapOutputs(await p.map(inputs, { mapOver: "x" }), inputs)).toEqual([
      { doubled: 2 },
      { doubled: 4 },
      { doubled: 6 },
    ]);
  });

  test("map with fixed params", async () => {
    const multiply = node({ output: "result" }, (x: number, factor: number) => x * factor);
    const p = new Pipeline([multiply], { engine: make() });
    const inputs = { x: [1, 2, 3], factor: 10 };
    expect(mapOutputs(await p.map(inputs, { mapOver: "x" }), inputs)).toEqual([
      { result: 10 },
      { result: 20 },
      { result: 30 },
    ]);
  });

  test("zip mode", async () => {
    const add = node({ output: "result" }, (x: number, y: number) => x + y);
    const p = new Pipeline([add], { engine: make() });
    const inputs = { x: [1, 2, 3], y: [10, 20, 30] };
    const rows = await p.map(inputs, { mapOver: ["x", "y"], mode: "zip" });
    expect(mapOutputs(rows, inputs)).toEqual([{ result: 11 }, { result: 22 }, { result: 33 }]);
  });

  test("product mode", async () => {
    const multiply = node({ output: "result" }, (x: number, y: number) => x * y);
    const p = new Pipeline([multiply], { engine: make() });
    const inputs = { x: [2, 3], y: [10, 100] };
    const rows = await p.map(inputs, { mapOver: ["x", "y"], mode: "product" });
    expect(rows.map((r) => r.result)).toEqual([20, 200, 30, 300]);
  });

  test("map over sequential nodes", async () => {
    const double = node({ output: "doubled" }, (x: number) => x * 2);
    const addOne = node({ output: "result" }, (doubled: number) => doubled + 1);
    const p = new Pipeline([double, addOne], { engine: make() });
    const inputs = { x: [1, 2, 3] };
    expect(mapOutputs(await p.map(inputs, { mapOver: "x" }), inputs)).toEqual([
      { doubled: 2, result: 3 },
      { doubled: 4, result: 5 },
      { doubled: 6, result: 7 },
    ]);
  });

  // On the DataFrameEngine the worker nodes' types are learned from item 0, which must keep
  // the intermediate "doubled" even though only "tripled" is asked for.
  test.each([
    ["main thread", undefined],
    ["worker threads", 2],
  ])("map with selective output, nodes on the %s", async (_where, workers) => {
    const double = node({ output: "doubled", workers }, (x: number) => x * 2);
    const triple = node({ output: "tripled", workers }, (doubled: number) => doubled * 3);
    const p = new Pipeline([double, triple], { engine: make() });
    const inputs = { x: [1, 2, 3] };
    const rows = await p.map(inputs, { mapOver: "x", outputs: ["tripled"] });
    expect(mapOutputs(rows, inputs)).toEqual([{ tripled: 6 }, { tripled: 12 }, { tripled: 18 }]);
  });

  test("selective inputs: only the inputs the asked outputs need are required", async () => {
    const a = node({ output: "a_out" }, (x: number) => x + 1);
    const b = node({ output: "b_out" }, (a_out: number, y: number) => a_out + y);
    const p = new Pipeline([a, b], { engine: make() });
    expect(outputsOf(await p.run({ x: 1 }, { outputs: ["a_out"] }), { x: 1 })).toEqual({
      a_out: 2,
    });
    await expect(p.run({ x: 1 }, { outputs: ["b_out"] })).rejects.toThrow(
      /missing input "y" \(needed by node "b_out"\)/,
    );
    const given = { x: 1, y: 10 };
    expect(outputsOf(await p.run(given, { outputs: ["b_out"] }), given)).toEqual({ b_out: 12 });
  });

  test("selective inputs with several outputs", async () => {
    const a = node({ output: "a_out" }, (x: number) => x + 1);
    const b = node({ output: "b_out" }, (y: number) => y * 2);
    const c = node(
      { output: "c_out" },
      (a_out: number, b_out: number, z: number) => a_out + b_out + z,
    );
    const p = new Pipeline([a, b, c], { engine: make() });
    const given = { x: 1, y: 2 };
    expect(outputsOf(await p.run(given, { outputs: ["a_out", "b_out"] }), given)).toEqual({
      a_out: 2,
      b_out: 4,
    });
    await expect(p.run(given, { outputs: ["c_out"] })).rejects.toThrow(/missing input "z"/);
    const all = { x: 1, y: 2, z: 3 };
    expect(outputsOf(await p.run(all, { outputs: ["c_out"] }), all)).toEqual({ c_out: 9 });
  });

  test("selective inputs along a chain", async () => {
    const stepA = node({ output: "a" }, (x: number) => x + 1);
    const stepB = node({ output: "b" }, (a: number) => a * 2);
    const stepC = node({ output: "c" }, (b: number, y: number) => b + y);
    const p = new Pipeline([stepA, stepB, stepC], { engine: make() });
    expect((await p.run({ x: 5 }, { outputs: ["a"] })).a).toBe(6);
    expect((await p.run({ x: 5 }, { outputs: ["b"] })).b).toBe(12);
    await expect(p.run({ x: 5 }, { outputs: ["c"] })).rejects.toThrow(/missing input "y"/);
    expect((await p.run({ x: 5, y: 3 }, { outputs: ["c"] })).c).toBe(15);
  });

  test("selective inputs with map", async () => {
    const stepA = node({ output: "a" }, (x: number) => x + 1);
    const stepB = node({ output: "b" }, (a: number, y: number) => a + y);
    const p = new Pipeline([stepA, stepB], { engine: make() });
    const inputs = { x: [1, 2, 3] };
    const rows = await p.map(inputs, { mapOver: "x", outputs: ["a"] });
    expect(mapOutputs(rows, inputs)).toEqual([{ a: 2 }, { a: 3 }, { a: 4 }]);
    await expect(p.map(inputs, { mapOver: "x", outputs: ["b"] })).rejects.toThrow(
      /missing input "y"/,
    );
    const withY = { x: [1, 2, 3], y: 10 };
    const rowsB = await p.map(withY, { mapOver: "x", outputs: ["b"] });
    expect(mapOutputs(rowsB, withY)).toEqual([{ b: 12 }, { b: 13 }, { b: 14 }]);
  });
});
