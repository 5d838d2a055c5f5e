// hypernodes tests/test_branch.py and tests/test_branch_same_output.py: branch nodes pick one
// of two targets per item; the other target and what only it feeds are skipped (absent from
// the result); targets may share an output name; on every engine, in nested pipelines and maps.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  branch,
  type Callbacks,
  DataFrameEngine,
  DiskCache,
  NodeError,
  node,
  Pipeline,
  type Values,
} from "@deft/pipeline";
import { afterEach, describe, expect, test } from "vitest";
import { engines } from "../engines.js";
import { mapOutputs, outputsOf } from "./outputs.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "deft-branch-"));
  dirs.push(dir);
  return dir;
}

describe("branch nodes (construction)", () => {
  test("a branch node names its targets and is its plain predicate when called", () => {
    const positive = node({ output: "positive_result" }, (value: number) => `Positive: ${value}`);
    const negative = node({ output: "negative_result" }, (value: number) => `Non: ${value}`);
    const isPositive = branch(
      { whenTrue: positive, whenFalse: negative },
      function isPositive(value: number) {
        return value > 0;
      },
    );
    expect(isPositive.name).toBe("isPositive");
    expect(isPositive.inputs).toEqual(["value"]);
    expect(isPositive.branch.whenTrue).toBe(positive);
    expect(isPositive.branch.whenFalse).toBe(negative);
    const isEven = branch(
      { whenTrue: positive, whenFalse: negative },
      (value: number) => value % 2 === 0,
    );
    expect(isEven(4)).toBe(true);
    expect(isEven(3)).toBe(false);
    const many = branch(
      { whenTrue: positive, whenFalse: negative, name: "many" },
      (a: number, b: string, c: number) => a > c && b !== "",
    );
    expect(many.inputs).toEqual(["a", "b", "c"]);
  });

  test("a target missing from the pipeline throws, naming the branch and the side", () => {
    const existing = node({ output: "result" }, (x: number) => x);
    const other = node({ output: "other" }, (x: number) => x);
    const myBranch = branch(
      { whenTrue: existing, whenFalse: other, name: "my_branch" },
      (x: number) => x > 0,
    );
    expect(() => new Pipeline([myBranch, other])).toThrow(
      /branch "my_branch" targets node "result" as whenTrue, but that node is not in the pipeline/,
    );
    expect(() => new Pipeline([myBranch, existing])).toThrow(
      /branch "my_branch" targets node "other" as whenFalse/,
    );
  });

  test("targets may share an output name; two other nodes may not", () => {
    const a = node({ output: "result", name: "a" }, (x: number) => x);
    const b = node({ output: "result", name: "b" }, (x: number) => -x);
    const pick = branch({ whenTrue: a, whenFalse: b, name: "pick" }, (x: number) => x > 0);
    const p = new Pipeline([pick, a, b]);
    expect(p.graph.exclusiveProducers.get("result")?.map((n) => n.name)).toEqual(["a", "b"]);
    expect(p.graph.gates.get(a)?.map((g) => [g.branch.name, g.when])).toEqual([["pick", [true]]]);
    expect(p.outputs).toEqual(["result"]);
    expect(() => new Pipeline([a, b])).toThrow(
      /"result" is produced by both node "a" and node "b"/,
    );
  });
});

describe.each(engines)("hypernodes branch nodes (%s)", (_name, make) => {
  const run = async (p: Pipeline, given: Values) => outputsOf(await p.run(given), given);

  function positiveNegative() {
    const getValue = node({ output: "value" }, (x: number) => x);
    const positive = node(
      { output: "result", name: "process_positive" },
      (value: number) => `Positive: ${value}`,
    );
    const negative = node(
      { output: "result", name: "process_negative" },
      (value: number) => `Non-positive: ${value}`,
    );
    const isPositive = branch(
      { whenTrue: positive, whenFalse: negative, name: "is_positive" },
      (value: number) => value > 0,
    );
    return [getValue, isPositive, positive, negative];
  }

  test("the true path runs when the predicate is true, the false path otherwise", async () => {
    const p = new Pipeline(positiveNegative(), { engine: make() });
    expect(await run(p, { x: 5 })).toEqual({ value: 5, result: "Positive: 5" });
    expect(await run(p, { x: -3 })).toEqual({ value: -3, result: "Non-positive: -3" });
  });

  test("a predicate over several inputs", async () => {
    const conf = node({ output: "confidence" }, (data: { confidence: number }) => data.confidence);
    const thr = node({ output: "threshold" }, (config: { threshold: number }) => config.threshold);
    const high = node(
      { output: "result", name: "high" },
      (confidence: number) => `High confidence: ${confidence}`,
    );
    const low = node(
      { output: "result", name: "low" },
      (confidence: number) => `Low confidence: ${confidence}`,
    );
    const proceed = branch(
      { whenTrue: high, whenFalse: low },
      (confidence: number, threshold: number) => confidence >= threshold,
    );
    const p = new Pipeline([conf, thr, proceed, high, low], { engine: make() });
    const config = { threshold: 0.5 };
    expect((await p.run({ data: { confidence: 0.8 }, config })).result).toBe(
      "High confidence: 0.8",
    );
    expect((await p.run({ data: { confidence: 0.3 }, config })).result).toBe("Low confidence: 0.3");
  });

  test("what only the skipped path feeds is skipped too: its outputs are absent", async () => {
    const calls: string[] = [];
    const getValue = node({ output: "value" }, (x: number) => x);
    const double = node({ output: "doubled" }, (value: number) => value * 2);
    const formatPositive = node({ output: "positive_result" }, (doubled: number) => {
      calls.push("formatPositive");
      return `Result: ${doubled}`;
    });
    const negate = node({ output: "abs_value" }, (value: number) => Math.abs(value));
    const formatNegative = node({ output: "negative_result" }, (abs_value: number) => {
      calls.push("formatNegative");
      return `Absolute: ${abs_value}`;
    });
    const isPositive = branch(
      { whenTrue: double, whenFalse: negate },
      (value: number) => value > 0,
    );
    const p = new Pipeline([getValue, isPositive, double, formatPositive, negate, formatNegative], {
      engine: make(),
    });
    const pos = await p.run({ x: 5 });
    expect(outputsOf(pos, { x: 5 })).toEqual({
      value: 5,
      doubled: 10,
      positive_result: "Result: 10",
    });
    expect("negative_result" in pos).toBe(false);
    expect("abs_value" in pos).toBe(false);
    const neg = await p.run({ x: -7 });
    expect(outputsOf(neg, { x: -7 })).toEqual({
      value: -7,
      abs_value: 7,
      negative_result: "Absolute: 7",
    });
    expect("positive_result" in neg).toBe(false);
    expect(calls).toEqual(["formatPositive", "formatNegative"]);
  });

  test("an optional input whose producer was skipped takes its default", async () => {
    const a = node({ output: "bonus" }, (x: number) => x * 100);
    const b = node({ output: "note" }, (x: number) => `small ${x}`);
    const big = branch({ whenTrue: a, whenFalse: b, name: "big" }, (x: number) => x > 10);
    const total = node({ output: "total" }, (x: number, bonus = 0) => x + bonus);
    const p = new Pipeline([big, a, b, total], { engine: make() });
    expect(await run(p, { x: 20 })).toEqual({ bonus: 2000, total: 2020 });
    expect(await run(p, { x: 2 })).toEqual({ note: "small 2", total: 2 });
  });

  describe("same output name in exclusive branches", () => {
    function simple() {
      const validate = node({ output: "validated" }, (value: number) => ({
        value,
        isValid: value > 0,
      }));
      const valid = node(
        { output: "response", name: "handle_valid" },
        (validated: { value: number }) => `Valid: ${validated.value}`,
      );
      const invalid = node(
        { output: "response", name: "handle_invalid" },
        (validated: { value: number }) => `Invalid: ${validated.value} is not positive`,
      );
      const isValid = branch(
        { whenTrue: valid, whenFalse: invalid, name: "is_valid" },
        (validated: { isValid: boolean }) => validated.isValid,
      );
      return [validate, isValid, valid, invalid];
    }

    test("two-way: the result holds the chosen target's value", async () => {
      const p = new Pipeline(simple(), { name: "branch_same_output", engine: make() });
      expect((await p.run({ value: 5 })).response).toBe("Valid: 5");
      expect((await p.run({ value: -3 })).response).toBe("Invalid: -3 is not positive");
    });

    test("nested branches: three handlers of one name, a branch as a target", async () => {
      type Data = { isPositive: boolean; isLarge: boolean };
      const getData = node({ output: "data" }, (x: number) => ({
        isPositive: x > 0,
        isLarge: x > 100,
      }));
      const negative = node(
        { output: "result", name: "handle_negative", inputs: ["data"] },
        () => "negative",
      );
      const small = node(
        { output: "result", name: "handle_small", inputs: ["data"] },
        () => "small_positive",
      );
      const large = node(
        { output: "result", name: "handle_large", inputs: ["data"] },
        () => "large_positive",
      );
      const checkSize = branch(
        { whenTrue: large, whenFalse: small, name: "check_size" },
        (data: Data) => data.isLarge,
      );
      const checkPositive = branch(
        { whenTrue: checkSize, whenFalse: negative, name: "check_positive" },
        (data: Data) => data.isPositive,
      );
      const p = new Pipeline([getData, checkPositive, checkSize, negative, small, large], {
        name: "nested_branches",
        engine: make(),
      });
      expect((await p.run({ x: -5 })).result).toBe("negative");
      expect((await p.run({ x: 50 })).result).toBe("small_positive");
      expect((await p.run({ x: 200 })).result).toBe("large_positive");
      const rows = await p.map({ x: [200, -1, 7] }, { mapOver: "x" });
      expect(rows.map((r) => r.result)).toEqual(["large_positive", "negative", "small_positive"]);
    });

    test("the RAG pattern: rejection, figure response or generated answer", async () => {
      type Validation = { isValid: boolean; query: string };
      type Doc = { title: string; hasFigures: boolean };
      const validateQuery = node({ output: "validation_result" }, (query: string) => ({
        isValid: query.toLowerCase().includes("medical"),
        query,
      }));
      const rejection = node(
        { output: "response", name: "create_rejection" },
        (validation_result: Validation) => `Rejected: ${validation_result.query}`,
      );
      const retrieve = node({ output: "document", name: "retrieve_docs" }, (query: string) => ({
        title: "Medical Guide",
        hasFigures: query.toLowerCase().includes("figure"),
      }));
      const figure = node(
        { output: "response", name: "create_figure_response" },
        (document: Doc) => `See figures in: ${document.title}`,
      );
      const answer = node(
        { output: "response", name: "generate_answer" },
        (document: Doc) => `Answer based on: ${document.title}`,
      );
      const checkFigures = branch(
        { whenTrue: figure, whenFalse: answer, name: "check_figures" },
        (document: Doc) => document.hasFigures,
      );
      const checkValid = branch(
        { whenTrue: retrieve, whenFalse: rejection, name: "check_valid" },
        (validation_result: Validation) => validation_result.isValid,
      );
      const p = new Pipeline(
        [validateQuery, checkValid, rejection, retrieve, checkFigures, figure, answer],
        { name: "rag_pipeline", engine: make() },
      );
      const rejected = await p.run({ query: "What's the weather?" });
      expect(rejected.response).toBe("Rejected: What's the weather?");
      expect("document" in rejected).toBe(false);
      expect((await p.run({ query: "Show medical figure" })).response).toBe(
        "See figures in: Medical Guide",
      );
      expect((await p.run({ query: "Medical treatment" })).response).toBe(
        "Answer based on: Medical Guide",
      );
    });

    test("different output names: only the chosen one is in the result", async () => {
      const validate = node({ output: "validated" }, (value: number) => value > 0);
      const valid = node(
        { output: "valid_response" },
        (validated: boolean) => `Valid: ${validated}`,
      );
      const invalid = node(
        { output: "invalid_response" },
        (validated: boolean) => `Invalid: ${validated}`,
      );
      const isValid = branch(
        { whenTrue: valid, whenFalse: invalid },
        (validated: boolean) => validated,
      );
      const p = new Pipeline([validate, isValid, valid, invalid], { engine: make() });
      expect(await run(p, { value: 5 })).toEqual({
        validated: true,
        valid_response: "Valid: true",
      });
      expect(await run(p, { value: -3 })).toEqual({
        validated: false,
        invalid_response: "Invalid: false",
      });
    });
  });

  test("callbacks: onBranchDecision per decision, onNodeSkipped per skipped node", async () => {
    const decisions: [string, number, boolean, string][] = [];
    const skipped: [string, number, string][] = [];
    const cb: Callbacks = {
      onBranchDecision: (e) => decisions.push([e.node, e.item, e.decision, e.target]),
      onNodeSkipped: (e) => skipped.push([e.node, e.item, e.reason]),
    };
    const getValue = node({ output: "value" }, (x: number) => x);
    const f = node({ output: "result", name: "false_target" }, (value: number) => `false ${value}`);
    const onlyTrue = node({ output: "extra", name: "only_true" }, (value: number) => value + 1);
    const myBranch = branch(
      { whenTrue: onlyTrue, whenFalse: f, name: "my_branch" },
      (value: number) => value > 0,
    );
    const p = new Pipeline([getValue, myBranch, f, onlyTrue], { engine: make({ callbacks: cb }) });
    expect((await p.run({ x: 5 })).extra).toBe(6);
    expect(decisions).toEqual([["my_branch", 0, true, "only_true"]]);
    expect(skipped).toEqual([
      ["false_target", 0, 'branch "my_branch" chose whenTrue (node "only_true")'],
    ]);
    decisions.length = 0;
    skipped.length = 0;
    expect((await p.run({ x: -5 })).result).toBe("false -5");
    expect(decisions).toEqual([["my_branch", 0, false, "false_target"]]);
    expect(skipped).toEqual([
      ["only_true", 0, 'branch "my_branch" chose whenFalse (node "false_target")'],
    ]);
  });

  test("a skip propagates: the reason names the input that was not produced", async () => {
    const skipped: string[] = [];
    const a = node({ output: "a" }, (x: number) => x);
    const b = node({ output: "b" }, (x: number) => -x);
    const afterA = node({ output: "c", name: "afterA" }, (a: number) => a * 10);
    const pick = branch({ whenTrue: a, whenFalse: b, name: "pick" }, (x: number) => x > 0);
    const p = new Pipeline([pick, a, b, afterA], {
      engine: make({ callbacks: { onNodeSkipped: (e) => skipped.push(`${e.node}: ${e.reason}`) } }),
    });
    expect(await run(p, { x: -2 })).toEqual({ b: 2 });
    expect(skipped.sort()).toEqual([
      'a: branch "pick" chose whenFalse (node "b")',
      'afterA: its input "a" was not produced (its producer was skipped)',
    ]);
  });

  test("in a map every item takes its own path, and only the chosen target is called", async () => {
    const calls = { big: [] as number[], small: [] as number[], predicate: 0 };
    const big = node({ output: "label", name: "big" }, async (x: number) => {
      calls.big.push(x);
      return `big ${x}`;
    });
    const small = node({ output: "label", name: "small" }, (x: number) => {
      calls.small.push(x);
      return `small ${x}`;
    });
    const size = branch({ whenTrue: big, whenFalse: small, name: "size" }, (x: number) => {
      calls.predicate++;
      return x >= 10;
    });
    const bigOnly = node({ output: "bigTwice" }, (label: string, x: number) =>
      x >= 10 ? `${label}${label}` : "never",
    );
    const pickBig = branch(
      { whenTrue: bigOnly, whenFalse: bigOnly, name: "either", inputs: ["x"] },
      () => true,
    );
    const p = new Pipeline([size, big, small, pickBig, bigOnly], { engine: make() });
    const xs = [1, 20, 3, 40, 5];
    const rows = await p.map({ x: xs }, { mapOver: "x" });
    expect(mapOutputs(rows, { x: 0 })).toEqual([
      { label: "small 1", bigTwice: "never" },
      { label: "big 20", bigTwice: "big 20big 20" },
      { label: "small 3", bigTwice: "never" },
      { label: "big 40", bigTwice: "big 40big 40" },
      { label: "small 5", bigTwice: "never" },
    ]);
    expect(calls.big.sort((a, b) => a - b)).toEqual([20, 40]);
    expect(calls.small.sort((a, b) => a - b)).toEqual([1, 3, 5]);
    expect(calls.predicate).toBe(5);
  });

  test("a branch inside a nested pipeline", async () => {
    const nodes = positiveNegative();
    const inner = new Pipeline(nodes);
    const wrap = node({ output: "final" }, (result: string) => `[${result}]`);
    const outer = new Pipeline([inner.asNode(), wrap], { engine: make() });
    expect((await outer.run({ x: 5 })).final).toBe("[Positive: 5]");
    expect((await outer.run({ x: -3 })).final).toBe("[Non-positive: -3]");
    const mapped = new Pipeline(
      [inner.asNode({ inputMap: { xs: "x" }, outputMap: { result: "results" }, mapOver: "xs" })],
      { engine: make() },
    );
    expect((await mapped.run({ xs: [1, -1, 2] })).results).toEqual([
      "Positive: 1",
      "Non-positive: -1",
      "Positive: 2",
    ]);
  });

  test("an inner output the branch skipped is absent outside too", async () => {
    const a = node({ output: "a" }, (x: number) => x);
    const b = node({ output: "b" }, (x: number) => -x);
    const inner = new Pipeline([
      branch({ whenTrue: a, whenFalse: b, name: "pick" }, (x: number) => x > 0),
      a,
      b,
    ]);
    const outer = new Pipeline([inner.asNode()], { engine: make() });
    expect(await run(outer, { x: 3 })).toEqual({ a: 3 });
    expect(await run(outer, { x: -3 })).toEqual({ b: 3 });
  });

  test("a branch that targets a nested pipeline node", async () => {
    const getValue = node({ output: "value" }, (x: number) => x);
    const inner = new Pipeline([
      node({ output: "doubled" }, (value: number) => value * 2),
    ]).asNode();
    const negate = node({ output: "result" }, (value: number) => -value);
    const isPositive = branch({ whenTrue: inner, whenFalse: negate }, (value: number) => value > 0);
    const p = new Pipeline([getValue, isPositive, inner, negate], { engine: make() });
    expect(await run(p, { x: 5 })).toEqual({ value: 5, doubled: 10 });
    expect(await run(p, { x: -5 })).toEqual({ value: -5, result: 5 });
  });

  test("a predicate that returns no boolean fails, naming the branch and the item", async () => {
    const a = node({ output: "a" }, (x: number) => x);
    const b = node({ output: "b" }, (x: number) => x);
    const bad = branch({ whenTrue: a, whenFalse: b, name: "bad" }, (x: number) =>
      x > 0 ? "yes" : false,
    );
    const p = new Pipeline([bad, a, b], { engine: make() });
    const err = await p.map({ x: [-1, 1] }, { mapOver: "x" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NodeError);
    expect((err as NodeError).node).toBe("bad");
    expect((err as NodeError).item).toBe(1);
    expect((err as Error).message).toMatch(
      /branch "bad" must return true or false; it returned "yes" \(string\)/,
    );
  });

  test("two targets of different branches that both run fail on the shared name", async () => {
    const a = node({ output: "out", name: "a" }, (x: number) => x);
    const b = node({ output: "out", name: "b" }, (x: number) => -x);
    const na = node({ output: "na" }, (x: number) => x);
    const nb = node({ output: "nb" }, (x: number) => x);
    const p = new Pipeline(
      [
        branch({ whenTrue: a, whenFalse: na, name: "first" }, (x: number) => x > 0),
        branch({ whenTrue: b, whenFalse: nb, name: "second" }, (x: number) => x > 1),
        a,
        b,
        na,
        nb,
      ],
      { engine: make() },
    );
    expect(await run(p, { x: 1 })).toEqual({ out: 1, nb: 1 });
    await expect(p.run({ x: 5 })).rejects.toThrow(/"out" was produced by two nodes for item 0/);
  });

  test("a target on worker threads is called only for the items that chose it", async () => {
    const log = join(freshDir(), "calls.log");
    // Self-contained (shipped to the workers by source): each call appends its x to the log.
    const heavy = node(
      { output: "y", name: "heavy", returns: "float64", workers: 2 },
      (x: number, log: string) => {
        const fs = process.getBuiltinModule("node:fs") as typeof import("node:fs");
        fs.appendFileSync(log, `${x}\n`);
        return x * x;
      },
    );
    const light = node({ output: "y", name: "light" }, (x: number) => -x);
    const isBig = branch(
      { whenTrue: heavy, whenFalse: light, name: "isBig" },
      (x: number) => x > 2,
    );
    const p = new Pipeline([isBig, heavy, light], { engine: make() });
    const rows = await p.map({ x: [1, 3, 2, 4, 5], log }, { mapOver: "x" });
    expect(rows.map((r) => r.y)).toEqual([-1, 9, -2, 16, 25]);
    const called = readFileSync(log, "utf8").trim().split("\n").map(Number);
    expect(called.sort((a, b) => a - b)).toEqual([3, 4, 5]);
  });

  test("a dual target's batch receives only the items that chose it", async () => {
    const batches: number[][] = [];
    const enc = node.dual(
      { output: "code", name: "enc" },
      {
        one: (x: number) => `one ${x}`,
        batch: (x: number[]) => {
          batches.push([...x]);
          return x.map((v) => `batch ${v}`);
        },
      },
    );
    const skip = node({ output: "code", name: "skip" }, (x: number) => `skip ${x}`);
    const odd = branch({ whenTrue: enc, whenFalse: skip, name: "odd" }, (x: number) => x % 2 === 1);
    const p = new Pipeline([odd, enc, skip], { engine: make() });
    const rows = await p.map({ x: [1, 2, 3, 4] }, { mapOver: "x" });
    expect(rows.map((r) => r.code)).toEqual(["batch 1", "skip 2", "batch 3", "skip 4"]);
    expect(batches).toEqual([[1, 3]]);
    expect((await p.run({ x: 5 })).code).toBe("one 5");
  });

  test("under a cache the targets' results are reused; the decision is made anew", async () => {
    let predicate = 0;
    let targets = 0;
    const up = node({ output: "out", name: "up" }, (s: string) => {
      targets++;
      return s.toUpperCase();
    });
    const down = node({ output: "out", name: "down" }, (s: string) => {
      targets++;
      return s.toLowerCase();
    });
    const loud = branch(
      { whenTrue: up, whenFalse: down, name: "loud" },
      (s: string, shout: boolean) => {
        predicate++;
        return shout && s.length > 0;
      },
    );
    const cache = new DiskCache(freshDir());
    const p = new Pipeline([loud, up, down], { engine: make({ cache }) });
    const given = { s: ["Ab", "Cd"], shout: true };
    expect((await p.map(given, { mapOver: "s" })).map((r) => r.out)).toEqual(["AB", "CD"]);
    expect((await p.map(given, { mapOver: "s" })).map((r) => r.out)).toEqual(["AB", "CD"]);
    expect(targets).toBe(2);
    expect(predicate).toBe(4);
    const quiet = await p.map({ ...given, shout: false }, { mapOver: "s" });
    expect(quiet.map((r) => r.out)).toEqual(["ab", "cd"]);
    expect(targets).toBe(4);
  });
});

test("DataFrameEngine: a worker target skipped for the first item must declare its type", async () => {
  const typed = node({ output: "doubled", name: "typed", workers: 2 }, (x: number) => x * 2);
  const other = node({ output: "same", name: "other" }, (x: number) => x);
  const gate = branch({ whenTrue: typed, whenFalse: other, name: "gate" }, (x: number) => x > 0);
  const p = new Pipeline([gate, typed, other], { engine: new DataFrameEngine() });
  await expect(p.map({ x: [-1, 2] }, { mapOver: "x" })).rejects.toThrow(
    /Node "typed" runs on workers behind a branch and was skipped for the first item, so the type of its output "doubled" is unknown. Declare it/,
  );
  // Taught by the first item, or typed from the other target of a shared name, it runs.
  const rows = await p.map({ x: [1, -2, 3] }, { mapOver: "x" });
  expect(rows.map((r) => r.doubled ?? r.same)).toEqual([2, -2, 6]);
  const shared = node({ output: "y", name: "shared", workers: 2 }, (x: number) => x * 2);
  const plain = node({ output: "y", name: "plain" }, (x: number) => x);
  const both = new Pipeline(
    [
      branch({ whenTrue: shared, whenFalse: plain, name: "g" }, (x: number) => x > 0),
      shared,
      plain,
    ],
    { engine: new DataFrameEngine() },
  );
  expect((await both.map({ x: [-1, 2] }, { mapOver: "x" })).map((r) => r.y)).toEqual([-1, 4]);
});
