// Consecutive sync nodes on workers run as one fused chain on the DataFrame engine (one worker
// task per chunk of rows for all of them): results, errors and thread placement must be exactly
// those of the nodes run one by one.
import { readFileSync } from "node:fs";
import { DataFrameEngine, NodeError, node, Pipeline, SequentialEngine } from "@deft/pipeline";
import { describe, expect, it } from "vitest";

const cars = JSON.parse(
  readFileSync(
    new URL("../../../node_modules/vega-datasets/data/cars.json", import.meta.url),
    "utf8",
  ),
) as { Name: string; Horsepower: number | null; Weight_in_lbs: number }[];
const names = cars.slice(0, 120).map((c) => c.Name);
const weights = cars.slice(0, 120).map((c) => c.Weight_in_lbs);

function carPipeline(engine: DataFrameEngine | SequentialEngine) {
  // Tuple output, an object parameter, a typed array handed from one node to the next, and a
  // node reading both a frame column and a chained value.
  const split = node({ output: ["make", "model"], returns: ["utf8", "utf8"] }, (name: string) => {
    const [make = "", ...rest] = name.split(" ");
    return [make, rest.join(" ")];
  });
  const codes = node({ output: "codes", returns: "list<int32>" }, (model: string) =>
    Int32Array.from(model, (ch) => ch.charCodeAt(0)),
  );
  const summary = node(
    { output: "summary", returns: "utf8" },
    ({ make, codes, weight }: { make: string; codes: Int32Array; weight: number }) =>
      `${make}:${codes.constructor.name}:${codes.length}:${weight}`,
  );
  const thread = node({ output: "thread", returns: "float64" }, (summary: string) => {
    const wt = process.getBuiltinModule(
      "node:worker_threads",
    ) as typeof import("node:worker_threads");
    return summary.length > 0 ? wt.threadId : -1;
  });
  // An async node after the chain stays on the main thread and reads one of its outputs.
  const shout = node({ output: "shout", returns: "utf8" }, async (make: string) =>
    make.toUpperCase(),
  );
  return new Pipeline([split, codes, summary, thread, shout], { engine });
}

describe("fused chains of worker nodes (DataFrameEngine)", () => {
  it("give the sequential engine's results, typed arrays and tuples included, off the main thread", async () => {
    const inputs = { name: names, weight: weights };
    const expected = await carPipeline(new SequentialEngine()).map(inputs, {
      mapOver: ["name", "weight"],
    });
    const engine = new DataFrameEngine({ workers: 2, batchSize: 16 });
    const out = await carPipeline(engine).map(inputs, { mapOver: ["name", "weight"] });
    expect(out.map(({ thread: _, ...r }) => r)).toEqual(expected.map(({ thread: _, ...r }) => r));
    expect(out[0]!.codes).toBeInstanceOf(Int32Array);
    expect(out[0]!.shout).toBe("CHEVROLET");
    // The chained node received the Int32Array itself, not a plain array.
    expect(out[0]!.summary).toMatch(/^chevrolet:Int32Array:\d+:3504$/);
    expect(out.every((r) => (r.thread as number) > 0)).toBe(true);
  });

  it("run the chain's nodes in one worker task per chunk: each row sees one thread", async () => {
    const threadOf = () =>
      (process.getBuiltinModule("node:worker_threads") as typeof import("node:worker_threads"))
        .threadId;
    const a = node({ output: "ta", returns: "float64" }, (name: string) => {
      const wt = process.getBuiltinModule(
        "node:worker_threads",
      ) as typeof import("node:worker_threads");
      return name.length >= 0 ? wt.threadId : -1;
    });
    const b = node({ output: "tb", returns: "float64" }, (ta: number) => {
      const wt = process.getBuiltinModule(
        "node:worker_threads",
      ) as typeof import("node:worker_threads");
      return ta >= 0 ? wt.threadId : -1;
    });
    const engine = new DataFrameEngine({ workers: 2, batchSize: 4 });
    const out = await new Pipeline([a, b], { engine }).map({ name: names }, { mapOver: "name" });
    expect(out.every((r) => r.ta === r.tb && r.ta !== threadOf())).toBe(true);
  });

  it("a failure names the node of the chain that threw, its item, and keeps the error's name", async () => {
    const first = node({ output: "len", returns: "float64" }, (name: string) => name.length);
    const second = node({ output: "ratio", returns: "float64", name: "ratio" }, (len: number) => {
      if (len > 30) throw new RangeError(`name too long: ${len}`);
      return len / 10;
    });
    const p = new Pipeline([first, second], {
      engine: new DataFrameEngine({ workers: 2 }),
      name: "cars",
    });
    expect(names.filter((n) => n.length > 30).length).toBeGreaterThan(0);
    const err = await p.map({ name: names }, { mapOver: "name" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NodeError);
    const e = err as NodeError;
    expect(e.node).toBe("ratio");
    // Chunks run in parallel: the item is one of the long names, whichever failed first.
    const failed = names[e.item]!;
    expect(failed.length).toBeGreaterThan(30);
    expect((e.cause as Error).name).toBe("RangeError");
    expect((e.cause as Error).message).toBe(`name too long: ${failed.length}`);
    expect(e.message).toMatch(/Node "ratio" of pipeline "cars" failed on item \d+/);
  });

  it("a chained value that cannot be copied back names its node and output", async () => {
    const make = node(
      { output: "make", returns: "utf8", name: "make" },
      (name: string) => name.split(" ")[0],
    );
    const fn = node({ output: "fn", returns: "utf8", name: "toFunction" }, (make: string) => {
      return (() => make) as unknown as string;
    });
    const p = new Pipeline([make, fn], { engine: new DataFrameEngine({ workers: 2 }) });
    const err = await p.map({ name: names.slice(0, 4) }, { mapOver: "name" }).catch((e) => e);
    expect(err).toBeInstanceOf(NodeError);
    expect((err as NodeError).node).toBe("toFunction");
    expect(((err as NodeError).cause as Error).message).toMatch(
      /output "fn" cannot be sent back from a worker thread/,
    );
  });

  it("code that is not self-contained fails with the way to fix it", async () => {
    const outer = 7;
    const first = node({ output: "len", returns: "float64" }, (name: string) => name.length);
    const second = node({ output: "y", returns: "float64" }, (len: number) => len + outer);
    const p = new Pipeline([first, second], { engine: new DataFrameEngine({ workers: 2 }) });
    await expect(p.map({ name: names.slice(0, 4) }, { mapOver: "name" })).rejects.toThrow(
      /self-contained/,
    );
  });
});
