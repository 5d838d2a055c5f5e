// Pipelines as people write them: CPU-bound text chunking, API calls against a real local HTTP
// server, and embeddings from a stateful model whose setup must run once per worker.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromModule } from "@deft/core";
import { DataFrameEngine, node, Pipeline, PoolEngine } from "@deft/pipeline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "./engines.js";

const movies = JSON.parse(
  readFileSync(
    new URL("../../../node_modules/vega-datasets/data/movies.json", import.meta.url),
    "utf8",
  ),
) as { Title: string | number | null }[];
/** 12 documents of 60 real movie titles each. */
const docs = Array.from({ length: 12 }, (_, d) =>
  movies
    .slice(d * 60, d * 60 + 60)
    .map((m) => String(m.Title ?? ""))
    .join(". "),
);

// Self-contained (they run on worker threads, shipped by their source text).
function chunk(doc: string, size = 25): string[] {
  const words = doc.split(/\s+/).filter(Boolean);
  const out: string[] = [];
  for (let i = 0; i < words.length; i += size) out.push(words.slice(i, i + size).join(" "));
  return out;
}
function fingerprint(piece: string): number {
  // CPU-bound: many rounds of FNV-1a over the text.
  let h = 2166136261;
  for (let round = 0; round < 200; round++) {
    for (let i = 0; i < piece.length; i++) h = Math.imul(h ^ piece.charCodeAt(i), 16777619) >>> 0;
  }
  return h;
}
function wordCount(piece: string): number {
  return piece.split(/\s+/).filter(Boolean).length;
}

function chunkingPipeline(engine: PoolEngine | DataFrameEngine | undefined) {
  const perChunk = new Pipeline(
    [
      node({ output: "fp", returns: "float64" }, fingerprint),
      node({ output: "n", returns: "float64" }, wordCount),
    ],
    { name: "per-chunk", engine },
  );
  return new Pipeline(
    [
      node({ output: "pieces", returns: "list<utf8>" }, chunk),
      perChunk.asNode({
        inputMap: { pieces: "piece" },
        outputMap: { fp: "fps", n: "counts" },
        mapOver: "pieces",
      }),
      node({ output: "words", returns: "float64" }, (counts: number[]) =>
        counts.reduce((a, b) => a + b, 0),
      ),
    ],
    { name: "chunking", engine },
  );
}

describe("text chunking (CPU-bound sync nodes, nested mapped pipeline)", () => {
  it("gives the same chunks, fingerprints and counts on every engine, workers included", async () => {
    const expected = await chunkingPipeline(undefined).map({ doc: docs }, { mapOver: "doc" });
    expect(expected).toHaveLength(12);
    expect(expected[0]!.words).toBe(docs[0]!.split(/\s+/).filter(Boolean).length);
    for (const [, makeEngine] of engines) {
      const p = chunkingPipeline(makeEngine() as PoolEngine);
      expect(await p.map({ doc: docs }, { mapOver: "doc" })).toEqual(expected);
    }
    const onWorkers = chunkingPipeline(new DataFrameEngine({ workers: 2, batchSize: 8 }));
    expect(await onWorkers.map({ doc: docs }, { mapOver: "doc" })).toEqual(expected);
    const poolWorkers = chunkingPipeline(new PoolEngine({ concurrency: 8, workers: 2 }) as never);
    expect(await poolWorkers.map({ doc: docs }, { mapOver: "doc" })).toEqual(expected);
    // A smaller chunk size given as a constant changes every result consistently.
    const small = await chunkingPipeline(new DataFrameEngine({ workers: 2 })).map(
      { doc: docs.slice(0, 3), size: 10 },
      { mapOver: "doc" },
    );
    expect(small.map((r) => (r.pieces as string[]).length)).toEqual(
      docs.slice(0, 3).map((d) => Math.ceil(d.split(/\s+/).filter(Boolean).length / 10)),
    );
  });

  it("sync nodes asked to use workers really run off the main thread", async () => {
    const where = node({ output: "thread", returns: "float64", workers: 2 }, (doc: string) => {
      const wt = process.getBuiltinModule(
        "node:worker_threads",
      ) as typeof import("node:worker_threads");
      return doc.length > 0 ? wt.threadId : -1;
    });
    for (const engine of [
      new DataFrameEngine({ batchSize: 2 }),
      new PoolEngine({ concurrency: 4 }),
    ]) {
      const out = await new Pipeline([where], { engine }).map({ doc: docs }, { mapOver: "doc" });
      expect(out.every((r) => (r.thread as number) > 0)).toBe(true);
    }
    // Without a declared type too: the pool engine's calls cross threads as JS values, so no
    // type is needed, and the first call runs on a worker like the others.
    const untyped = node({ output: "thread", workers: 2 }, (doc: string) => {
      const wt = process.getBuiltinModule(
        "node:worker_threads",
      ) as typeof import("node:worker_threads");
      return doc.length > 0 ? wt.threadId : -1;
    });
    const threads = (
      await new Pipeline([untyped], { engine: new PoolEngine({ concurrency: 1 }) }).map(
        { doc: docs },
        { mapOver: "doc" },
      )
    ).map((r) => r.thread);
    expect(threads.every((t) => (t as number) > 0)).toBe(true);
  });
});

describe("API calls against a real local HTTP server", () => {
  let server: Server;
  let base = "";
  let inFlight = 0;
  let maxInFlight = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const id = Number(new URL(req.url!, "http://x").searchParams.get("id"));
      setTimeout(() => {
        inFlight--;
        if (id === 13) {
          res.writeHead(500).end("server exploded");
          return;
        }
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ id, title: `item ${id}`, score: id * 1.5 }));
      }, 20);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const fetchItem = () =>
    node(
      { output: ["title", "score"], maxConcurrency: 16 },
      async (id: number, baseUrl: string) => {
        const res = await fetch(`${baseUrl}/item?id=${id}`);
        if (!res.ok) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
        const body = (await res.json()) as { title: string; score: number };
        return [body.title, body.score];
      },
    );
  // A blocking client call (a sync SDK): 5 ms of blocked thread, then the answer.
  const blockingLookup = node(
    { output: "rank", workers: 4, returns: "float64" },
    (score: number) => {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
      return Math.round(score * 10);
    },
  );

  it("async fetches and blocking calls give the same results on every engine; only the sequential one is serial", async () => {
    const ids = Array.from({ length: 24 }, (_, i) => i + 100);
    let expected: unknown;
    for (const [name, makeEngine] of engines) {
      maxInFlight = 0;
      const p = new Pipeline([fetchItem(), blockingLookup], { engine: makeEngine() });
      const out = await p.map({ id: ids, baseUrl: base }, { mapOver: "id" });
      expect(out.map((r) => r.title)).toEqual(ids.map((i) => `item ${i}`));
      if (expected === undefined) expected = out;
      else expect(out).toEqual(expected);
      if (name === "sequential") expect(maxInFlight).toBe(1);
      else expect(maxInFlight).toBeGreaterThan(4);
    }
  });

  it("a failing request names the node, the item and its inputs on every engine", async () => {
    for (const [, makeEngine] of engines) {
      const p = new Pipeline([fetchItem()], { engine: makeEngine(), name: "api" });
      const err = (await p
        .map({ id: [1, 2, 13, 4], baseUrl: base }, { mapOver: "id" })
        .catch((e) => e)) as Error;
      expect(err.message).toMatch(/Node "anonymous|title\+score"/);
      expect(err.message).toMatch(
        /failed on item 2 with inputs \{ id: 13, baseUrl: "http:\/\/127\.0\.0\.1:\d+" \}: HTTP 500: server exploded/,
      );
    }
  });
});

describe("embeddings from a stateful node", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  function embedPipeline(logPath: string, engine?: DataFrameEngine | PoolEngine, workers?: number) {
    const embed = node.cls(
      { output: "embedding", inputs: ["text"], returns: "list<float32>", workers },
      fromModule(new URL("./fixtures/embedder.ts", import.meta.url), "Embedder"),
      { args: [16, logPath] },
    );
    const norm = node(
      { output: "norm", returns: "float64" },
      (embedding: Float32Array) =>
        Math.round(Math.sqrt(embedding.reduce((a, x) => a + x * x, 0)) * 1e6) / 1e6,
    );
    return new Pipeline([embed, norm], { engine });
  }
  const texts = movies.slice(0, 200).map((m) => String(m.Title ?? "untitled"));

  it("builds the model once per worker and gives the same vectors as the sequential engine", async () => {
    const dir = mkdtempSync(join(tmpdir(), "deft-embed-"));
    dirs.push(dir);
    const seqLog = join(dir, "seq.log");
    const expected = await embedPipeline(seqLog).map({ text: texts }, { mapOver: "text" });
    expect(expected[0]!.embedding).toBeInstanceOf(Float32Array);
    expect(expected[0]!.norm).toBe(1);
    expect(readFileSync(seqLog, "utf8").trim().split("\n")).toHaveLength(1);

    const poolLog = join(dir, "pool.log");
    expect(
      await embedPipeline(poolLog, new PoolEngine({ concurrency: 8 })).map(
        { text: texts },
        { mapOver: "text" },
      ),
    ).toEqual(expected);
    expect(readFileSync(poolLog, "utf8").trim().split("\n")).toHaveLength(1);

    const poolWorkersLog = join(dir, "pool-workers.log");
    const onPool = embedPipeline(poolWorkersLog, new PoolEngine({ concurrency: 8 }), 2);
    const viaPool = await onPool.map({ text: texts }, { mapOver: "text" });
    expect(viaPool).toEqual(expected);
    expect(await onPool.map({ text: texts.slice(0, 20) }, { mapOver: "text" })).toEqual(
      expected.slice(0, 20),
    );
    const poolThreads = readFileSync(poolWorkersLog, "utf8").trim().split("\n");
    expect(new Set(poolThreads).size).toBe(poolThreads.length);
    expect(poolThreads).not.toContain("0");

    const dfLog = join(dir, "df.log");
    const onDf = embedPipeline(dfLog, new DataFrameEngine({ batchSize: 10 }), 2);
    const out = await onDf.map({ text: texts }, { mapOver: "text" });
    expect(out).toEqual(expected);
    // A second run of the same engine reuses the instances the first one built.
    expect(await onDf.map({ text: texts.slice(0, 40) }, { mapOver: "text" })).toEqual(
      expected.slice(0, 40),
    );
    const threads = readFileSync(dfLog, "utf8").trim().split("\n");
    // Once per worker thread (the process shares one pool, which earlier tests may have grown):
    // never on the main thread (0), never twice on one thread, even across runs.
    expect(threads.length).toBeGreaterThanOrEqual(1);
    expect(new Set(threads).size).toBe(threads.length);
    expect(threads).not.toContain("0");
  });
});
