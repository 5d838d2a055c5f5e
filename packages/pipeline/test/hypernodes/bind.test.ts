// hypernodes tests/test_bind.py: bind/unbind default inputs, boundInputs, unfulfilledInputs,
// on every engine.
import { type Node, node, Pipeline, type Values } from "@deft/pipeline";
import { describe, expect, test } from "vitest";
import { engines } from "../engines.js";
import { mapOutputs, outputsOf } from "./outputs.js";

const add = () => node({ output: "result", name: "add" }, (x: number, y: number) => x + y);
const double = () => node({ output: "doubled", name: "double" }, (result: number) => result * 2);
const scale = () =>
  node({ output: "scaled", name: "scale" }, (value: number, factor: number) => value * factor);

describe.each(engines)("hypernodes bind (%s)", (_name, make) => {
  const pipe = (...nodes: Node[]) => new Pipeline(nodes, { engine: make() });
  /** The run's outputs only (hypernodes returns no inputs). */
  const run = async (p: Pipeline, given: Values = {}, outputs?: string[]) =>
    outputsOf(await p.run(given, { outputs }), { ...p.boundInputs, ...given });

  test("bind then run without inputs", async () => {
    expect(await run(pipe(add()).bind({ x: 5, y: 10 }))).toEqual({ result: 15 });
  });

  test("given inputs override bound ones", async () => {
    expect(await run(pipe(add()).bind({ x: 5, y: 10 }), { x: 100 })).toEqual({ result: 110 });
  });

  test("bind calls merge, later values win", async () => {
    const p = pipe(add());
    p.bind({ x: 5 });
    p.bind({ y: 10 });
    expect(await run(p)).toEqual({ result: 15 });
    p.bind({ x: 20 });
    expect(await run(p)).toEqual({ result: 30 });
  });

  test("bind of some inputs, the others given", async () => {
    expect(await run(pipe(add()).bind({ x: 5 }), { y: 10 })).toEqual({ result: 15 });
    expect(await run(pipe(add()), { x: 5, y: 10 })).toEqual({ result: 15 });
  });

  test("an unknown bound name is ignored; a missing input still throws at run", async () => {
    const p = pipe(add()).bind({ invalid_key: 999 });
    await expect(p.run()).rejects.toThrow(/missing inputs "x" \(needed by node "add"\), "y"/);
    await expect(pipe(add()).bind({ x: 5 }).run()).rejects.toThrow(
      /missing input "y" \(needed by node "add"\).*or bind\(\) it/,
    );
  });

  test("bind with a chain", async () => {
    expect(await run(pipe(add(), double()).bind({ x: 5, y: 10 }))).toEqual({
      result: 15,
      doubled: 30,
    });
  });

  test("unbind one, several, all, unknown names, never bound", async () => {
    expect(await run(pipe(add()).bind({ x: 5, y: 10 }).unbind("x"), { x: 20 })).toEqual({
      result: 30,
    });
    expect(await run(pipe(add()).bind({ x: 5, y: 10 }).unbind("x", "y"), { x: 1, y: 2 })).toEqual({
      result: 3,
    });
    const all = pipe(add()).bind({ x: 5, y: 10 }).unbind();
    expect(all.boundInputs).toEqual({});
    await expect(all.run()).rejects.toThrow(/missing inputs/);
    expect(await run(pipe(add()).bind({ x: 5, y: 10 }).unbind("nonexistent"))).toEqual({
      result: 15,
    });
    expect(await run(pipe(add()).unbind(), { x: 5, y: 10 })).toEqual({ result: 15 });
  });

  test("bind with map: constants, overrides, zip, product, mapped lists bound", async () => {
    const p = pipe(scale()).bind({ factor: 10 });
    const values = { value: [1, 2, 3] };
    expect(mapOutputs(await p.map(values, { mapOver: "value" }), { ...values, factor: 0 })).toEqual(
      [{ scaled: 10 }, { scaled: 20 }, { scaled: 30 }],
    );
    const both = { value: [1, 2], factor: [100, 200] };
    const over = await p.map(both, { mapOver: ["value", "factor"] });
    expect(over.map((r) => r.scaled)).toEqual([100, 400]);
    const a = pipe(add()).bind({ y: 1000 });
    const zip = await a.map({ x: [1, 2, 3] }, { mapOver: "x", mode: "zip" });
    expect(zip.map((r) => r.result)).toEqual([1001, 1002, 1003]);
    const b = pipe(add()).bind({ y: 100 });
    const product = await b.map({ x: [1, 2] }, { mapOver: "x", mode: "product" });
    expect(product.map((r) => r.result)).toEqual([101, 102]);
    const onlyBound = pipe(scale()).bind({ value: [1, 2, 3], factor: 10 });
    const rows = await onlyBound.map({}, { mapOver: "value" });
    expect(rows.map((r) => r.scaled)).toEqual([10, 20, 30]);
  });

  test("boundInputs: empty, set, a copy", () => {
    const p = pipe(add());
    expect(p.boundInputs).toEqual({});
    p.bind({ x: 5, y: 10 });
    const bound = p.boundInputs;
    expect(bound).toEqual({ x: 5, y: 10 });
    bound.x = 999;
    expect(p.boundInputs).toEqual({ x: 5, y: 10 });
  });

  test("unfulfilledInputs follow bind and unbind", () => {
    const p = pipe(add());
    expect(p.unfulfilledInputs).toEqual(p.inputs);
    expect(p.unfulfilledInputs).toEqual(["x", "y"]);
    p.bind({ x: 5 });
    expect(p.unfulfilledInputs).toEqual(["y"]);
    p.bind({ y: 10 });
    expect(p.unfulfilledInputs).toEqual([]);
    p.unbind("x");
    expect(p.unfulfilledInputs).toEqual(["x"]);
    p.unbind();
    expect(p.unfulfilledInputs).toEqual(["x", "y"]);
  });

  test("a nested pipeline node exposes the inner bound values and what is still needed", () => {
    const inner = pipe(add()).bind({ x: 5, y: 10 });
    const n = inner.asNode();
    expect(n.boundInputs).toEqual({ x: 5, y: 10 });
    expect(n.unfulfilledInputs).toEqual([]);
    const partial = pipe(add())
      .bind({ x: 5 })
      .asNode({ inputMap: { outer_y: "y" } });
    expect(partial.unfulfilledInputs).toEqual(["outer_y"]);
    const mapped = pipe(scale())
      .bind({ factor: 10 })
      .asNode({ mapOver: "values", inputMap: { values: "value" } });
    expect(mapped.unfulfilledInputs).toEqual(["values"]);
  });

  test("the outer pipeline does not ask for inputs the inner one has bound", async () => {
    const full = pipe(pipe(add()).bind({ x: 5, y: 10 }).asNode());
    expect(full.inputs).toEqual([]);
    expect(await run(full)).toEqual({ result: 15 });
    const partial = pipe(pipe(add()).bind({ x: 5 }).asNode());
    expect(partial.inputs).toEqual(["y"]);
    expect(await run(partial, { y: 10 })).toEqual({ result: 15 });
    await expect(partial.run()).rejects.toThrow(/missing input "y"/);
  });

  test("toString shows what is bound and what is needed", () => {
    const s = String(pipe(add()).bind({ x: 5 }));
    expect(s).toBe('Pipeline "pipeline" (nodes: add; bound: x; needs: y)');
  });

  test("edge cases: empty bind, selected outputs, several runs, a bound undefined", async () => {
    expect(await run(pipe(add()).bind({}), { x: 5, y: 10 })).toEqual({ result: 15 });
    const chain = pipe(add(), double()).bind({ x: 5, y: 10 });
    expect(await run(chain, {}, ["result"])).toEqual({ result: 15 });
    const p = pipe(add()).bind({ x: 5, y: 10 });
    expect(await run(p)).toEqual({ result: 15 });
    expect(await run(p)).toEqual({ result: 15 });
    expect(await run(p, { x: 100 })).toEqual({ result: 110 });
    const handleNone = node({ output: "result" }, (x: number, y: number | null = null) =>
      y === null ? x : x + y,
    );
    expect(await run(pipe(handleNone).bind({ y: null }), { x: 5 })).toEqual({ result: 5 });
  });

  test("bind and unbind interleaved", async () => {
    const p = pipe(add()).bind({ x: 1, y: 2 });
    expect(await run(p)).toEqual({ result: 3 });
    p.bind({ x: 10 });
    expect(await run(p)).toEqual({ result: 12 });
    p.unbind("x");
    expect(await run(p, { x: 5 })).toEqual({ result: 7 });
    p.unbind();
    expect(await run(p, { x: 100, y: 200 })).toEqual({ result: 300 });
  });
});
