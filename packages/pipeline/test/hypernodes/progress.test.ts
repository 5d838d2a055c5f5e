// hypernodes tests/test_progress.py: progress bars never change results (plain runs, maps,
// the cache, nested pipelines, diamonds, several mapped inputs), and nothing is drawn off a
// terminal, on every engine.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { DiskCache, type EngineOptions, node, Pipeline } from "@deft/pipeline";
import { afterEach, describe, expect, test } from "vitest";
import { engines } from "../engines.js";
import { mapOutputs, outputsOf } from "./outputs.js";

/** A stream that says it is (or is not) a terminal and keeps what was written to it. */
function terminal(isTTY = true): { stream: NodeJS.WriteStream; text: () => string } {
  const s = Object.assign(new PassThrough(), { isTTY, columns: 120 });
  let text = "";
  s.on("data", (c: Buffer) => {
    text += c.toString();
  });
  return { stream: s as unknown as NodeJS.WriteStream, text: () => text };
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function freshCache(): DiskCache {
  const dir = mkdtempSync(join(tmpdir(), "deft-hypernodes-progress-"));
  dirs.push(dir);
  return new DiskCache(dir);
}

const double = node({ output: "doubled" }, (x: number) => x * 2);
const addOne = node({ output: "result" }, (doubled: number) => doubled + 1);

describe.each(engines)("hypernodes progress (%s)", (_name, make) => {
  const withBars = (opts: EngineOptions = {}) => {
    const tty = terminal();
    return { engine: make({ ...opts, progress: { stream: tty.stream } }), text: tty.text };
  };

  test("a run with bars", async () => {
    const { engine, text } = withBars();
    const p = new Pipeline([double, addOne], { engine });
    expect(outputsOf(await p.run({ x: 5 }), { x: 5 })).toEqual({ doubled: 10, result: 11 });
    expect(text()).toMatch(/1\/1 \| result/);
  });

  test("a map with bars", async () => {
    const { engine, text } = withBars();
    const p = new Pipeline([double, addOne], { engine });
    const inputs = { x: [1, 2, 3] };
    expect(mapOutputs(await p.map(inputs, { mapOver: "x" }), inputs)).toEqual([
      { doubled: 2, result: 3 },
      { doubled: 4, result: 5 },
      { doubled: 6, result: 7 },
    ]);
    expect(text()).toMatch(/3\/3 \| doubled/);
  });

  test("bars with the cache: runs and maps, hits and misses", async () => {
    const cache = freshCache();
    const p = new Pipeline([double, addOne], { engine: withBars({ cache }).engine });
    expect(outputsOf(await p.run({ x: 5 }), { x: 5 })).toEqual({ doubled: 10, result: 11 });
    expect(outputsOf(await p.run({ x: 5 }), { x: 5 })).toEqual({ doubled: 10, result: 11 });
    expect(outputsOf(await p.run({ x: 7 }), { x: 7 })).toEqual({ doubled: 14, result: 15 });
    const r1 = await p.map({ x: [1, 2, 3] }, { mapOver: "x" });
    expect(await p.map({ x: [1, 2, 3] }, { mapOver: "x" })).toEqual(r1);
    const r3 = await p.map({ x: [3, 4] }, { mapOver: "x" });
    expect(r3.map((r) => r.result)).toEqual([7, 9]);
  });

  test("no bars on a stream that is not a terminal", async () => {
    const pipe = terminal(false);
    const p = new Pipeline([node({ output: "result" }, (x: number) => x * 2)], {
      engine: make({ progress: { stream: pipe.stream } }),
    });
    expect((await p.run({ x: 3 })).result).toBe(6);
    expect(pipe.text()).toBe("");
  });

  test("a nested pipeline's nodes get bars under its name", async () => {
    const { engine, text } = withBars();
    const inner = new Pipeline([double], { name: "inner" });
    const outer = new Pipeline([inner.asNode(), addOne], { engine });
    expect(outputsOf(await outer.run({ x: 5 }), { x: 5 })).toEqual({ doubled: 10, result: 11 });
    expect(text()).toMatch(/1\/1 \| inner\/doubled/);
  });

  test("a diamond with bars", async () => {
    const triple = node({ output: "tripled" }, (x: number) => x * 3);
    const combine = node(
      { output: "result" },
      (doubled: number, tripled: number) => doubled + tripled,
    );
    const p = new Pipeline([double, triple, combine], { engine: withBars().engine });
    expect(outputsOf(await p.run({ x: 5 }), { x: 5 })).toEqual({
      doubled: 10,
      tripled: 15,
      result: 25,
    });
  });

  test("several mapped inputs, and mapped plus constant inputs, with bars", async () => {
    const add = node({ output: "sum" }, (a: number, b: number) => a + b);
    const p = new Pipeline([add], { engine: withBars().engine });
    const zipped = await p.map({ a: [1, 2, 3], b: [10, 20, 30] }, { mapOver: ["a", "b"] });
    expect(zipped.map((r) => r.sum)).toEqual([11, 22, 33]);
    const scaled = new Pipeline(
      [node({ output: "scaled" }, (value: number, factor: number) => value * factor)],
      { engine: withBars().engine },
    );
    const rows = await scaled.map({ value: [1, 2, 3], factor: 10 }, { mapOver: "value" });
    expect(rows.map((r) => r.scaled)).toEqual([10, 20, 30]);
  });
});
