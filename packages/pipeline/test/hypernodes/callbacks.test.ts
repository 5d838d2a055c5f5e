// hypernodes tests/test_callbacks.py: events of run, map, nested pipelines, the cache and
// errors, several callbacks, and a CallbackContext shared across a run, on every engine.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CallbackContext, type Callbacks, DiskCache, node, Pipeline } from "@deft/pipeline";
import { afterEach, describe, expect, test } from "vitest";
import { engines } from "../engines.js";

/** Records every event as [hook, pipeline-or-node]. */
function tracker(): Callbacks & { events: string[][] } {
  const events: string[][] = [];
  return {
    events,
    onPipelineStart: (e) => events.push(["pipeline_start", e.pipeline, String(e.items)]),
    onPipelineEnd: (e) => events.push(["pipeline_end", e.pipeline]),
    onMapItemStart: (e) => events.push(["map_item_start", e.pipeline, String(e.item)]),
    onMapItemEnd: (e) => events.push(["map_item_end", e.pipeline, String(e.item)]),
    onNodeStart: (e) => events.push(["node_start", e.node]),
    onNodeEnd: (e) => events.push(["node_end", e.node]),
    onNodeCached: (e) => events.push(["node_cached", e.node]),
    onNodeError: (e) => events.push(["node_error", e.node]),
  };
}
const kinds = (t: { events: string[][] }) => t.events.map((e) => e[0]);

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function freshCache(): DiskCache {
  const dir = mkdtempSync(join(tmpdir(), "deft-hypernodes-cb-"));
  dirs.push(dir);
  return new DiskCache(dir);
}

describe.each(engines)("hypernodes callbacks (%s)", (_name, make) => {
  test("a run calls pipeline and node start/end", async () => {
    const t = tracker();
    const process = node({ output: "result" }, (x: number) => x * 2);
    await new Pipeline([process], { engine: make({ callbacks: t }) }).run({ x: 5 });
    for (const k of ["pipeline_start", "node_start", "node_end", "pipeline_end"])
      expect(kinds(t)).toContain(k);
  });

  test("one start and end per node", async () => {
    const t = tracker();
    const double = node({ output: "doubled" }, (x: number) => x * 2);
    const addOne = node({ output: "result" }, (doubled: number) => doubled + 1);
    await new Pipeline([double, addOne], { engine: make({ callbacks: t }) }).run({ x: 5 });
    expect(kinds(t).filter((k) => k === "node_start")).toHaveLength(2);
    expect(kinds(t).filter((k) => k === "node_end")).toHaveLength(2);
  });

  test("map: the pipeline events carry the item count, one item start/end per item", async () => {
    const t = tracker();
    const process = node({ output: "result" }, (x: number) => x * 2);
    const p = new Pipeline([process], { engine: make({ callbacks: t }) });
    await p.map({ x: [1, 2, 3] }, { mapOver: "x" });
    expect(t.events[0]).toEqual(["pipeline_start", "pipeline", "3"]);
    expect(t.events.at(-1)).toEqual(["pipeline_end", "pipeline"]);
    const starts = t.events.filter((e) => e[0] === "map_item_start").map((e) => e[2]);
    expect(starts.sort()).toEqual(["0", "1", "2"]);
    expect(kinds(t).filter((k) => k === "map_item_end")).toHaveLength(3);
  });

  test("a nested pipeline reports to the outer engine's callbacks under its own name", async () => {
    const t = tracker();
    const inner = new Pipeline([node({ output: "doubled" }, (x: number) => x * 2)], {
      name: "inner",
    });
    const addOne = node({ output: "result" }, (doubled: number) => doubled + 1);
    const outer = new Pipeline([inner.asNode(), addOne], {
      name: "outer",
      engine: make({ callbacks: t }),
    });
    await outer.run({ x: 5 });
    const pipelines = t.events.filter((e) => e[0] === "pipeline_start").map((e) => e[1]);
    expect(pipelines).toEqual(["outer", "inner"]);
    expect(t.events.filter((e) => e[0] === "pipeline_end").map((e) => e[1])).toEqual([
      "inner",
      "outer",
    ]);
    const nodes = t.events.filter((e) => e[0] === "node_start").map((e) => e[1]);
    expect(nodes).toEqual(["doubled", "result"]);
  });

  test("several callbacks receive the same events", async () => {
    const t1 = tracker();
    const t2 = tracker();
    const process = node({ output: "result" }, (x: number) => x * 2);
    await new Pipeline([process], { engine: make({ callbacks: [t1, t2] }) }).run({ x: 5 });
    expect(t1.events.length).toBeGreaterThan(0);
    expect(t1.events).toEqual(t2.events);
  });

  test("a CallbackContext shared by every callback of a run", async () => {
    const spans: Callbacks = {
      onNodeStart(e) {
        e.ctx.set("current_span", `span_${e.node}`);
        e.ctx.set(`span:${e.node}`, `span_${e.node}`);
      },
    };
    const metrics: { node: string; span: unknown; ms: number }[] = [];
    const contexts = new Set<CallbackContext>();
    const meter: Callbacks = {
      onPipelineStart: (e) => contexts.add(e.ctx),
      onNodeEnd(e) {
        contexts.add(e.ctx);
        metrics.push({ node: e.node, span: e.ctx.get(`span:${e.node}`), ms: e.ms });
      },
    };
    const compute = node({ output: "result", name: "compute" }, (x: number) => x + 5);
    const p = new Pipeline([compute], { engine: make({ callbacks: [spans, meter] }) });
    expect((await p.run({ x: 10 })).result).toBe(15);
    expect(metrics).toHaveLength(1);
    expect(metrics[0]!.node).toBe("compute");
    expect(metrics[0]!.span).toBe("span_compute");
    expect(metrics[0]!.ms).toBeGreaterThanOrEqual(0);
    expect(contexts.size).toBe(1);
    // A new run starts with a new, empty context.
    let seen: unknown = "unset";
    const probe: Callbacks = {
      onPipelineStart: (e) => {
        seen = e.ctx.get("current_span");
      },
    };
    await new Pipeline([compute], { engine: make({ callbacks: [probe] }) }).run({ x: 1 });
    expect(seen).toBeUndefined();
  });

  test("a cache hit calls onNodeCached instead of start/end", async () => {
    const events: string[] = [];
    const cb: Callbacks = {
      onNodeCached: (e) => events.push(`cached ${e.node}`),
      onNodeStart: (e) => events.push(`executed ${e.node}`),
    };
    const expensive = node({ output: "result", name: "expensive" }, (x: number) => x ** 2);
    const p = new Pipeline([expensive], { engine: make({ cache: freshCache(), callbacks: cb }) });
    expect((await p.run({ x: 5 })).result).toBe(25);
    expect(events).toEqual(["executed expensive"]);
    events.length = 0;
    expect((await p.run({ x: 5 })).result).toBe(25);
    expect(events).toEqual(["cached expensive"]);
  });

  test("a failing node calls onNodeError and the run rejects", async () => {
    const errors: { node: string; message: string; willRetry: boolean }[] = [];
    const cb: Callbacks = {
      onNodeError: (e) =>
        errors.push({ node: e.node, message: e.error.message, willRetry: e.willRetry }),
    };
    const failing = node({ output: "result", name: "failing" }, (x: number) => {
      if (x > 0) throw new RangeError("Intentional failure");
      return x;
    });
    const p = new Pipeline([failing], { engine: make({ callbacks: cb }) });
    await expect(p.run({ x: 10 })).rejects.toThrow(/Node "failing".*Intentional failure/);
    expect(errors).toEqual([{ node: "failing", message: "Intentional failure", willRetry: false }]);
  });

  test("map with a cache: executed and cached counts per run", async () => {
    const events: string[] = [];
    const cb: Callbacks = {
      onNodeCached: () => events.push("cached"),
      onNodeStart: () => events.push("executed"),
    };
    const doubleCached = node({ output: "doubled" }, (item: number) => item * 2);
    const p = new Pipeline([doubleCached], {
      engine: make({ cache: freshCache(), callbacks: cb }),
    });
    const count = (k: string) => events.filter((e) => e === k).length;
    const r1 = await p.map({ item: [1, 2, 3] }, { mapOver: "item" });
    expect(r1.map((r) => r.doubled)).toEqual([2, 4, 6]);
    expect([count("executed"), count("cached")]).toEqual([3, 0]);
    events.length = 0;
    expect(await p.map({ item: [1, 2, 3] }, { mapOver: "item" })).toEqual(r1);
    expect([count("executed"), count("cached")]).toEqual([0, 3]);
    events.length = 0;
    const r3 = await p.map({ item: [1, 2, 4] }, { mapOver: "item" });
    expect(r3.map((r) => r.doubled)).toEqual([2, 4, 8]);
    expect([count("executed"), count("cached")]).toEqual([1, 2]);
  });
});
