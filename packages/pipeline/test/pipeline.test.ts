import { node, Pipeline } from "@deft/pipeline";
import { describe, expect, it } from "vitest";
import { engines } from "./engines.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(engines)("Pipeline on the %s engine", (_name, makeEngine) => {
  const clean = node({ output: "cleaned" }, (text: string) => text.trim().toLowerCase());
  const words = node({ output: "words" }, (cleaned: string) =>
    cleaned.split(/\s+/).filter(Boolean),
  );
  const count = node({ output: "count" }, async (words: string[]) => {
    await sleep(words.length % 3);
    return words.length;
  });

  it("run: sync and async nodes, result holds inputs and outputs", async () => {
    const p = new Pipeline([clean, words, count], { engine: makeEngine() });
    expect(await p.run({ text: "  A b  C " })).toEqual({
      text: "  A b  C ",
      cleaned: "a b  c",
      words: ["a", "b", "c"],
      count: 3,
    });
  });

  it("run with selected outputs runs only the nodes they need", async () => {
    let countCalls = 0;
    const counted = node({ output: "count" }, (words: string[]) => {
      countCalls++;
      return words.length;
    });
    const p = new Pipeline([clean, words, counted], { engine: makeEngine() });
    expect(await p.run({ text: "x y" }, { outputs: ["words"] })).toEqual({
      text: "x y",
      words: ["x", "y"],
    });
    expect(countCalls).toBe(0);
  });

  it("map (zip) keeps input order even when later items finish first; constants are shared", async () => {
    const slowFirst = node(
      { output: "tagged" },
      async (word: string, i: number, prefix: string) => {
        await sleep(30 - i * 5);
        return `${prefix}${word}`;
      },
    );
    const p = new Pipeline([slowFirst], { engine: makeEngine() });
    const out = await p.map(
      { word: ["a", "b", "c", "d"], i: [0, 1, 2, 3], prefix: ">" },
      { mapOver: ["word", "i"] },
    );
    expect(out.map((r) => r.tagged)).toEqual([">a", ">b", ">c", ">d"]);
    expect(out[2]).toEqual({ word: "c", i: 2, prefix: ">", tagged: ">c" });
  });

  it("map (product) gives every combination, first name slowest", async () => {
    const add = node({ output: "sum" }, (a: number, b: number) => a + b);
    const p = new Pipeline([add], { engine: makeEngine() });
    const out = await p.map(
      { a: [1, 2], b: [10, 20, 30] },
      { mapOver: ["a", "b"], mode: "product" },
    );
    expect(out.map((r) => [r.a, r.b, r.sum])).toEqual([
      [1, 10, 11],
      [1, 20, 21],
      [1, 30, 31],
      [2, 10, 12],
      [2, 20, 22],
      [2, 30, 32],
    ]);
  });

  it("map (zip) with unequal lengths names the lengths", async () => {
    const add = node({ output: "sum" }, (a: number, b: number) => a + b);
    const p = new Pipeline([add], { engine: makeEngine(), name: "adder" });
    await expect(p.map({ a: [1, 2, 3], b: [1] }, { mapOver: ["a", "b"] })).rejects.toThrow(
      /Pipeline "adder".map: zip mode needs mapped lists of equal length, got a: 3, b: 1/,
    );
    expect(await p.map({ a: [], b: [] }, { mapOver: ["a", "b"] })).toEqual([]);
  });

  it("tuple outputs and object-pattern nodes", async () => {
    const split = node({ output: ["head", "rest"] }, (s: string) => [s[0], s.slice(1)]);
    const join = node(
      { output: "joined" },
      ({ head, rest, sep = "|" }: { head: string; rest: string; sep?: string }) =>
        `${head}${sep}${rest}`,
    );
    const p = new Pipeline([split, join], { engine: makeEngine() });
    expect(await p.run({ s: "hello" })).toEqual({
      s: "hello",
      head: "h",
      rest: "ello",
      joined: "h|ello",
    });
    expect((await p.run({ s: "hi", sep: "-" })).joined).toBe("h-i");
    const bad = node({ output: ["x", "y"], name: "bad" }, (s: string) => s);
    await expect(new Pipeline([bad], { engine: makeEngine() }).run({ s: "q" })).rejects.toThrow(
      /node "bad" has output \[x, y\] so it must return an array of 2 values; it returned string/,
    );
  });

  it("a nested pipeline with mapOver returns its outputs as lists, in order", async () => {
    const chunkLen = node({ output: "len" }, async (chunk: string) => {
      await sleep(chunk.length);
      return chunk.length;
    });
    const upper = node({ output: "up" }, (chunk: string) => chunk.toUpperCase());
    const inner = new Pipeline([chunkLen, upper], { name: "per-chunk", engine: makeEngine() });
    const chunker = node({ output: "chunks" }, (doc: string) => doc.split(" "));
    const total = node({ output: "total" }, (lengths: number[]) =>
      lengths.reduce((a, b) => a + b, 0),
    );
    const outer = new Pipeline(
      [
        chunker,
        inner.asNode({
          inputMap: { chunks: "chunk" },
          outputMap: { len: "lengths", up: "uppers" },
          mapOver: "chunks",
        }),
        total,
      ],
      { engine: makeEngine() },
    );
    // "uppers" is pruned by default: no node reads it while "lengths" is read. Asked for, it runs.
    expect(await outer.run({ doc: "aaaa b cc" })).toEqual({
      doc: "aaaa b cc",
      chunks: ["aaaa", "b", "cc"],
      lengths: [4, 1, 2],
      total: 7,
    });
    expect(await outer.run({ doc: "aaaa b cc" }, { outputs: ["uppers", "total"] })).toEqual({
      doc: "aaaa b cc",
      uppers: ["AAAA", "B", "CC"],
      total: 7,
    });
    const many = await outer.map({ doc: ["x yy", "zzz"] }, { mapOver: "doc" });
    expect(many.map((r) => r.lengths)).toEqual([[1, 2], [3]]);
  });

  it("a nested pipeline without mapOver runs once with renamed inputs and outputs", async () => {
    const inner = new Pipeline([node({ output: "y" }, (x: number) => x * 3)], { name: "triple" });
    const outer = new Pipeline(
      [
        inner.asNode({ inputMap: { a: "x" }, outputMap: { y: "b" } }),
        node({ output: "c" }, (b: number) => b + 1),
      ],
      { engine: makeEngine() },
    );
    expect(await outer.run({ a: 2 })).toEqual({ a: 2, b: 6, c: 7 });
    expect(() => inner.asNode({ inputMap: { a: "nope" } })).toThrow(
      /"nope", which is not an input.*Its inputs: x/,
    );
    const two = new Pipeline([node({ output: ["p", "q"] }, (x: number) => [x, x])]);
    expect(() => two.asNode({ outputMap: { p: "r", q: "r" } })).toThrow(
      /both be called "r" outside/,
    );
  });

  it("errors name the node, the item and its inputs", async () => {
    const boom = node({ output: "y", name: "explode" }, (x: number) => {
      if (x === 3) throw new Error("three is bad");
      return x;
    });
    const p = new Pipeline([boom], { engine: makeEngine(), name: "p" });
    const err = await p.map({ x: [1, 2, 3, 4] }, { mapOver: "x" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(
      /Node "explode" of pipeline "p" failed on item 2 with inputs \{ x: 3 \}: three is bad/,
    );
    expect((err as { item: number }).item).toBe(2);
  });

  it("retries a failing call and succeeds", async () => {
    const seen = new Map<number, number>();
    const flaky = node({ output: "y", retries: 2 }, async (x: number) => {
      const n = (seen.get(x) ?? 0) + 1;
      seen.set(x, n);
      if (n < 3) throw new Error(`attempt ${n}`);
      return x * 10;
    });
    const p = new Pipeline([flaky], { engine: makeEngine() });
    expect((await p.map({ x: [1, 2] }, { mapOver: "x" })).map((r) => r.y)).toEqual([10, 20]);
    expect([...seen.values()]).toEqual([3, 3]);
    const never = node({ output: "y", retries: 1, name: "never" }, () => {
      throw new Error("nope");
    });
    await expect(new Pipeline([never], { engine: makeEngine() }).run({})).rejects.toThrow(
      /Node "never".*after 2 attempts.*nope/,
    );
  });

  it("stateful nodes are constructed once per run and keep state across items", async () => {
    let constructed = 0;
    class Counter {
      private n = 0;
      constructor(readonly step: number) {
        constructed++;
      }
      call(x: number) {
        this.n += this.step;
        return x + this.n * 0;
      }
    }
    const p = new Pipeline([node.cls({ output: "y" }, Counter, { args: [1] })], {
      engine: makeEngine(),
    });
    expect((await p.map({ x: [1, 2, 3] }, { mapOver: "x" })).map((r) => r.y)).toEqual([1, 2, 3]);
    expect(constructed).toBe(1);
  });
});
