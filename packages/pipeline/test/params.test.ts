import { node } from "@deft/pipeline";
import { describe, expect, it } from "vitest";

const inputsOf = (fn: (...args: never[]) => unknown) => {
  const n = node({ output: "out" }, fn);
  return { inputs: n.inputs, optional: [...n.optional], objectParam: n.objectParam };
};

describe("node() reads input names from the function", () => {
  it("plain, async and default parameters of arrows and function declarations", () => {
    expect(inputsOf((a: number, b: number) => a + b).inputs).toEqual(["a", "b"]);
    expect(inputsOf((text: string) => text).inputs).toEqual(["text"]);
    expect(inputsOf(async (url: string) => url).inputs).toEqual(["url"]);
    function declared(first: string, second = "x,y", third = [1, 2]) {
      return first + second + third.length;
    }
    expect(inputsOf(declared)).toEqual({
      inputs: ["first", "second", "third"],
      optional: ["second", "third"],
      objectParam: false,
    });
    async function fetchIt(url: string, opts = { retries: 3, sep: ")" }) {
      return url + opts.sep;
    }
    expect(inputsOf(fetchIt).inputs).toEqual(["url", "opts"]);
    expect(inputsOf(() => 1).inputs).toEqual([]);
  });

  it("a lone arrow parameter without parentheses (as source text, since formatters add them)", () => {
    const fn = new Function("return x => x * 2")() as (x: number) => number;
    const asyncFn = new Function("return async x => x * 2")() as (x: number) => Promise<number>;
    expect(inputsOf(fn).inputs).toEqual(["x"]);
    expect(inputsOf(asyncFn).inputs).toEqual(["x"]);
  });

  it("comments inside the parameter list are ignored", () => {
    const fn = new Function("return function (a /* the a */, // the b\n b) { return a + b }")() as (
      a: number,
      b: number,
    ) => number;
    expect(inputsOf(fn).inputs).toEqual(["a", "b"]);
  });

  it("one destructured object: its keys are the inputs and the node receives an object", () => {
    const r = inputsOf(
      ({ a, b = 2, c: renamed }: { a: number; b?: number; c: number }) => a + b + renamed,
    );
    expect(r).toEqual({ inputs: ["a", "b", "c"], optional: ["b"], objectParam: true });
  });

  it("explicit inputs win over parameter names and work for unparsable functions", () => {
    const n = node({ output: "y", inputs: ["x"] }, Math.abs);
    expect(n.inputs).toEqual(["x"]);
  });

  it("shapes without a name throw and say to pass inputs", () => {
    expect(() => node({ output: "y" }, (...xs: number[]) => xs.length)).toThrow(
      /rest parameter.*inputs: \[/s,
    );
    expect(() => node({ output: "y" }, ([a]: number[]) => a)).toThrow(/inputs/);
    expect(() => node({ output: "y" }, Math.max)).toThrow(/native or bound/);
    expect(() => node({ output: "y" }, ((a: number) => a).bind(null))).toThrow(/native or bound/);
  });

  it("names, output lists and option checks", () => {
    const named = function tokenize(text: string) {
      return text.split(" ");
    };
    expect(node({ output: "tokens" }, named).name).toBe("tokenize");
    expect(node({ output: ["a", "b"] }, (x: number) => [x, x]).outputs).toEqual(["a", "b"]);
    expect(() => node({ output: [] }, (x: number) => x)).toThrow(/non-empty/);
    expect(() => node({ output: ["a", "a"] }, (x: number) => x)).toThrow(/twice/);
    expect(() => node({ output: "a", workers: 0 }, (x: number) => x)).toThrow(
      /workers must be an integer >= 1/,
    );
    expect(() => node({ output: "a", retries: -1 }, (x: number) => x)).toThrow(/retries/);
  });

  it("node.cls reads inputs from call() or needs them for fromModule refs", () => {
    class Embedder {
      constructor(readonly dim: number) {}
      call(text: string, scale = 1) {
        return text.length * scale * this.dim;
      }
    }
    const n = node.cls({ output: "vec" }, Embedder, { args: [3] });
    expect(n.inputs).toEqual(["text", "scale"]);
    expect(n.name).toBe("Embedder");
    expect(() =>
      node.cls({ output: "vec" }, { url: "file:///x.ts", exportName: "Embedder" }),
    ).toThrow(/inputs: \["text"\]/);
  });
});
