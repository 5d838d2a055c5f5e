// hypernodes tests/test_stateful.py: an object given as a constant input of a map, on every
// engine. (Its @stateful lazy wrapper has no counterpart: a deft stateful node is node.cls.)
import { node, Pipeline } from "@deft/pipeline";
import { describe, expect, test } from "vitest";
import { engines } from "../engines.js";

class Resource {
  static built = 0;
  constructor(readonly multiplier: number) {
    Resource.built++;
  }
  process(x: number): number {
    return x * this.multiplier;
  }
}

describe.each(engines)("hypernodes stateful objects (%s)", (name, make) => {
  test("a class instance given as a constant keeps its methods on every item", async () => {
    const before = Resource.built;
    const process = node({ output: "result" }, (x: number, resource: Resource) =>
      resource.process(x),
    );
    const p = new Pipeline([process], { engine: make() });
    const rows = await p.map({ x: [1, 2, 3, 4, 5], resource: new Resource(10) }, { mapOver: "x" });
    expect(rows.map((r) => r.result)).toEqual([10, 20, 30, 40, 50]);
    expect(Resource.built - before).toBe(1);
  });

  test("a plain object constant", async () => {
    const process = node(
      { output: "result" },
      (x: number, resource: { value: number }) => x + resource.value,
    );
    const p = new Pipeline([process], { engine: make() });
    const rows = await p.map({ x: [1, 2, 3], resource: { value: 100 } }, { mapOver: "x" });
    expect(rows.map((r) => r.result)).toEqual([101, 102, 103]);
  });

  test("a class instance given to a node on worker threads fails, naming node and input", async () => {
    const process = node({ output: "result", workers: 2 }, (x: number, resource: Resource) =>
      resource.process(x),
    );
    const p = new Pipeline([process], { engine: make() });
    const run = p.map({ x: [1, 2, 3], resource: new Resource(10) }, { mapOver: "x" });
    if (name === "sequential") {
      // The sequential engine runs every node on the main thread.
      expect((await run).map((r) => r.result)).toEqual([10, 20, 30]);
    } else {
      await expect(run).rejects.toThrow(
        /Node "result" runs on 2 worker threads, and its input "resource" is an instance of Resource: .*Run the node on the main thread/,
      );
    }
  });

  test("async nodes with a stateful object", async () => {
    const process = node({ output: "result" }, async (x: number, resource: Resource) => {
      await new Promise((r) => setTimeout(r, 1));
      return resource.process(x);
    });
    const p = new Pipeline([process], { engine: make() });
    expect((await p.run({ x: 4, resource: new Resource(3) })).result).toBe(12);
  });
});
