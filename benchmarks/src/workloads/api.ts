// API calls (the original investigation's "50 API calls, 50 ms each"), over real HTTP: a local
// node:http server (in a thread of its own) answers each GET after 50 ms. The same one-node
// pipeline — fetch a page — runs on every engine, speedups vs the sequential engine measured
// side by side. "async" nodes await the response on the event loop; "sync" nodes use a
// blocking client (src/sync-http.ts: the thread sleeps until the body is there, as under a
// sync SDK), so only worker threads can overlap them. Every client keeps its sockets alive.
import { fromModule } from "@deft/core";
import {
  DataFrameEngine,
  type Engine,
  node,
  Pipeline,
  PoolEngine,
  SequentialEngine,
} from "@deft/pipeline";
import { getText, keepAliveAgent, type SlowServer, startSlowServer } from "../http.js";
import { type Case, speedup, type Workload } from "../runner.js";

const CALLS = Number(process.env.BENCH_API_CALLS ?? 50);
const DELAY_MS = Number(process.env.BENCH_API_DELAY_MS ?? 50);
const GROUP = `${CALLS} API calls, ${DELAY_MS} ms each (real HTTP)`;

let server: SlowServer | undefined;
const agent = keepAliveAgent(64);
const paths = Array.from({ length: CALLS }, (_, i) => `/item/${i}`);

function asyncPipeline(engine: Engine, base: string, maxConcurrency?: number): Pipeline {
  const fetchPage = node(
    { output: "body", returns: "utf8", ...(maxConcurrency ? { maxConcurrency } : {}) },
    (path: string) => getText(`${base}${path}`, agent),
  );
  return new Pipeline([fetchPage], { engine });
}

function syncPipeline(engine: Engine, base: string, workers: number): Pipeline {
  // `returns` is declared, so no item runs on the main thread to infer the type.
  const fetchPage = node.cls(
    { output: "body", inputs: ["path"], returns: "utf8", workers },
    fromModule(new URL("../sync-http.ts", import.meta.url), "SyncHttpClient"),
    { args: [base] },
  );
  return new Pipeline([fetchPage], { engine });
}

function checkPages(r: unknown): void {
  const rows = r as { path: string; body: string }[];
  if (rows.length !== CALLS) throw new Error(`${rows.length} results, expected ${CALLS}`);
  rows.forEach((row, i) => {
    if (row.body !== `page ${paths[i]}`) throw new Error(`item ${i}: ${JSON.stringify(row)}`);
  });
}

function apiCase(label: string, build: (base: string) => Pipeline): Case {
  let p: Pipeline | undefined;
  return {
    label,
    group: GROUP,
    setup: () => {
      p = build(server!.base);
    },
    run: () => p!.map({ path: paths }, { mapOver: "path" }),
    check: checkPages,
  };
}

const cases: Case[] = [
  apiCase("sequential", (b) => asyncPipeline(new SequentialEngine(), b)),
  apiCase("pool(8) async (Dask-threads-like)", (b) =>
    asyncPipeline(new PoolEngine({ concurrency: 8 }), b),
  ),
  apiCase("pool(8) sync on workers:8", (b) =>
    syncPipeline(new PoolEngine({ concurrency: 8, workers: 8 }), b, 8),
  ),
  apiCase("deft dataframe async", (b) => asyncPipeline(new DataFrameEngine(), b, 64)),
  apiCase("deft dataframe sync on workers:16", (b) =>
    syncPipeline(new DataFrameEngine({ workers: 16 }), b, 16),
  ),
];

const workload: Workload = {
  name: "api",
  description:
    `${CALLS} GET requests to a local node:http server that answers after ${DELAY_MS} ms, ` +
    "as a pipeline on every engine: async calls, and blocking calls on worker threads",
  cases,
  baseline: "sequential",
  derived: [speedup],
  comparisons: [
    {
      name: "dataframe async vs sequential",
      group: GROUP,
      numerator: "sequential",
      denominator: "deft dataframe async",
      target: ">= 40x",
    },
    {
      name: "dataframe sync on workers:16 vs sequential",
      group: GROUP,
      numerator: "sequential",
      denominator: "deft dataframe sync on workers:16",
      target: ">= 11.1x (Daft sync + threads)",
    },
    {
      name: "pool(8) async vs sequential",
      group: GROUP,
      numerator: "sequential",
      denominator: "pool(8) async (Dask-threads-like)",
      target: ">= 3.5x (Dask threads)",
    },
  ],
  setup: async () => {
    server = await startSlowServer(DELAY_MS);
  },
  teardown: async () => {
    agent.destroy();
    await server?.close();
    server = undefined;
  },
};

export default workload;
