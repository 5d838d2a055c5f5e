// UDF runtime workloads: concurrent async row UDFs, the per-row engine overhead of a
// trivial async UDF against p-map and Promise.all, blocking and CPU-bound UDFs on worker
// threads, and real HTTP calls to a local server. Each group has its own baseline; ratios are
// measured side by side in the same rounds. The worker groups also run the same work on bare
// worker_threads (no library, no engine), so the machine's own limit is measured in the same
// run; the HTTP group uses one keep-alive client for every case, so it measures deft, not
// socket setup.
import { once } from "node:events";
import { Agent, get } from "node:http";
import { Worker } from "node:worker_threads";
import { col, DataFrame, udf } from "@deft/core";
import type { Vector } from "apache-arrow";
import pMap from "p-map";
import { expectEqual } from "../data.js";
import { type Case, type CaseResult, type Derived, speedup, type Workload } from "../runner.js";

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const ids = (n: number) => Float64Array.from({ length: n }, (_, i) => i);

const G50 = "50 x 50 ms async";
const G10K = "10k x 10 ms, maxConcurrency 256";
const G1M = "1M trivial async rows";
const GBLOCK = "100 x blocking 10 ms, workers 16";
const GCPU = "CPU-bound batches, workers 2";
const GHTTP = "50 HTTP calls, 50 ms each";
const GFETCH = "50 HTTP requests through the global fetch";

const TRIVIAL_ROWS = Number(process.env.BENCH_UDF_ROWS ?? 1_000_000);

async function yColumn(df: DataFrame): Promise<Float64Array | unknown[]> {
  const t = await df.toArrow();
  const y = t.getChild("y")!;
  return y.type.toString() === "Utf8" ? [...y] : (y.toArray() as Float64Array);
}

function checkIds(n: number, offset = 0) {
  return (r: unknown) => {
    const y = r as ArrayLike<number>;
    expectEqual("rows", y.length, n);
    for (let i = 0; i < n; i++)
      if (y[i] !== i + offset) throw new Error(`row ${i}: ${y[i]} != ${i + offset}`);
  };
}

// --- async, I/O-bound --------------------------------------------------------------------
const wait50 = udf(
  async (x: number) => {
    await sleep(50);
    return x;
  },
  { returns: "float64" },
);
const wait10 = udf(
  async (x: number) => {
    await sleep(10);
    return x;
  },
  { returns: "float64", maxConcurrency: 256 },
);
const plusOne = udf(async (x: number) => x + 1, { returns: "float64", maxConcurrency: 64 });
const trivial = async (x: number) => x + 1;

// --- workers -----------------------------------------------------------------------------
/**
 * The machine's own limit for work on threads: n bare worker_threads running `fn` (source
 * text) on Float64Array chunks handed out as threads free up, with the buffers transferred.
 */
class BareThreads {
  private readonly idle: Worker[] = [];
  private readonly waiting: ((w: Worker) => void)[] = [];
  private readonly all: Worker[] = [];
  constructor(n: number, fn: string) {
    const code = `const { parentPort } = require("node:worker_threads");
const fn = (${fn});
parentPort.on("message", (xs) => { const out = fn(xs); parentPort.postMessage(out, [out.buffer]); });`;
    for (let i = 0; i < n; i++) {
      const w = new Worker(code, { eval: true });
      w.unref();
      this.all.push(w);
      this.idle.push(w);
    }
  }
  private async call(xs: Float64Array): Promise<Float64Array> {
    const w = this.idle.pop() ?? (await new Promise<Worker>((r) => this.waiting.push(r)));
    const reply = once(w, "message");
    w.postMessage(xs, [xs.buffer as ArrayBuffer]);
    const [out] = (await reply) as [Float64Array];
    const next = this.waiting.shift();
    if (next) next(w);
    else this.idle.push(w);
    return out;
  }
  /** Runs `fn` over `xs` cut into chunks of `chunk` values; returns the joined output. */
  async map(xs: Float64Array, chunk: number): Promise<Float64Array> {
    const parts: Promise<Float64Array>[] = [];
    for (let s = 0; s < xs.length; s += chunk) parts.push(this.call(xs.slice(s, s + chunk)));
    const out = new Float64Array(xs.length);
    let at = 0;
    for (const p of await Promise.all(parts)) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
  async close(): Promise<void> {
    await Promise.all(this.all.map((w) => w.terminate()));
  }
}

const blockRow = udf(
  (ms: number) => {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    return ms;
  },
  { returns: "float64", workers: 16 },
);
function blockSync(ms: number): number {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  return ms;
}
const blockChunk = (ms: Float64Array) => {
  for (let i = 0; i < ms.length; i++)
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms[i]!);
  return ms;
};
// 100 rows on 16 threads: deft cuts the batch into 15 tasks of 7 rows; the bare threads get
// the same cut.
const BLOCK_CHUNK = Math.ceil(100 / 16);

// CPU-bound: 64 batches of 16 rows, ~20 ms of arithmetic each (the "64 x 20 ms" reference workload), so a
// thread that finishes early takes the next batch and one slow batch cannot idle a thread for
// long. Self-contained, so it ships by source.
const CPU_BATCH = 16;
const CPU_ROWS = 64 * CPU_BATCH;
const spinBatch = (xs: Vector) => {
  const out = new Float64Array(xs.length);
  for (let i = 0; i < xs.length; i++) {
    let acc = Number(xs.get(i));
    for (let k = 0; k < 100_000; k++) acc = (acc * 1.000001 + 0.5) % 1e9;
    out[i] = acc;
  }
  return out;
};
// The same loop over a Float64Array, for the bare threads.
const spinValues = (xs: Float64Array) => {
  const out = new Float64Array(xs.length);
  for (let i = 0; i < xs.length; i++) {
    let acc = xs[i]!;
    for (let k = 0; k < 100_000; k++) acc = (acc * 1.000001 + 0.5) % 1e9;
    out[i] = acc;
  }
  return out;
};
const cpuOne = udf.batch(spinBatch, { returns: "float64", batchSize: CPU_BATCH });
const cpuTwo = udf.batch(spinBatch, { returns: "float64", batchSize: CPU_BATCH, workers: 2 });
let bareCpu: BareThreads | undefined;
let bareBlock: BareThreads | undefined;
let cpuExpected: Float64Array | undefined;
function checkCpu(r: unknown) {
  const y = r as Float64Array;
  expectEqual("rows", y.length, CPU_ROWS);
  for (let i = 0; i < CPU_ROWS; i++)
    if (y[i] !== cpuExpected![i]) throw new Error(`row ${i}: ${y[i]} != ${cpuExpected![i]}`);
}

// --- HTTP --------------------------------------------------------------------------------
// The server runs on a thread of its own (a real server is not on the client's event loop);
// every case uses this one keep-alive agent, warmed up by the runner's warm-up round.
let server: Worker | undefined;
let base = "";
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const SERVER = `const { parentPort } = require("node:worker_threads");
const http = require("node:http");
const server = http.createServer((req, res) => setTimeout(() => res.end("page " + req.url), 50));
server.keepAliveTimeout = 600000;
server.listen(0, "127.0.0.1", () => parentPort.postMessage(server.address().port));`;
function getText(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(`${base}${path}`, { agent }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => {
        body += c;
      });
      res.on("end", () => resolve(body));
      res.on("error", reject);
    }).on("error", reject);
  });
}
const fetchText = udf(getText, { returns: "utf8" });
// The same pages through the global fetch (undici's own pool), the call's signal passed on.
const fetchPage = async (path: string, cx?: { signal: AbortSignal }) => {
  const res = await fetch(`${base}${path}`, { signal: cx?.signal });
  return res.text();
};
const fetchUdf = udf(fetchPage, { returns: "utf8" });
const paths = Array.from({ length: 50 }, (_, i) => `/p${i}`);
function checkPages(r: unknown) {
  const y = r as string[];
  expectEqual("rows", y.length, 50);
  for (let i = 0; i < y.length; i++) expectEqual(`row ${i}`, y[i], `page /p${i}`);
}

const cases: Case[] = [
  {
    label: "sequential await",
    group: G50,
    run: async () => {
      const out = new Float64Array(50);
      for (let i = 0; i < 50; i++) {
        await sleep(50);
        out[i] = i;
      }
      return out;
    },
    check: checkIds(50),
  },
  {
    label: "Promise.all",
    group: G50,
    run: async () => {
      const ys = await Promise.all(
        Array.from(ids(50), async (x) => {
          await sleep(50);
          return x;
        }),
      );
      return Float64Array.from(ys);
    },
    check: checkIds(50),
  },
  {
    label: "deft async udf",
    group: G50,
    run: () => yColumn(DataFrame.fromColumns({ x: ids(50) }).withColumn("y", wait50(col("x")))),
    check: checkIds(50),
  },
  {
    label: "p-map(256)",
    group: G10K,
    run: async () =>
      Float64Array.from(
        await pMap(
          ids(10_000),
          async (x) => {
            await sleep(10);
            return x;
          },
          { concurrency: 256 },
        ),
      ),
    check: checkIds(10_000),
  },
  {
    label: "deft async udf",
    group: G10K,
    run: () => yColumn(DataFrame.fromColumns({ x: ids(10_000) }).withColumn("y", wait10(col("x")))),
    check: checkIds(10_000),
  },
  {
    label: "bare await loop",
    group: G1M,
    run: async () => {
      const xs = ids(TRIVIAL_ROWS);
      const out = new Float64Array(TRIVIAL_ROWS);
      for (let i = 0; i < TRIVIAL_ROWS; i++) out[i] = await trivial(xs[i]!);
      return out;
    },
    check: checkIds(TRIVIAL_ROWS, 1),
  },
  {
    label: "Promise.all",
    group: G1M,
    run: async () => Promise.all(Array.from(ids(TRIVIAL_ROWS), trivial)),
    check: checkIds(TRIVIAL_ROWS, 1),
  },
  {
    label: "p-map(64)",
    group: G1M,
    run: () => pMap(ids(TRIVIAL_ROWS), trivial, { concurrency: 64 }),
    check: checkIds(TRIVIAL_ROWS, 1),
  },
  {
    label: "deft async udf",
    group: G1M,
    run: () =>
      yColumn(DataFrame.fromColumns({ x: ids(TRIVIAL_ROWS) }).withColumn("y", plusOne(col("x")))),
    check: checkIds(TRIVIAL_ROWS, 1),
  },
  {
    label: "sequential",
    group: GBLOCK,
    run: () => Float64Array.from({ length: 100 }, () => blockSync(10)),
  },
  {
    label: "bare threads x16",
    group: GBLOCK,
    setup: () => {
      bareBlock = new BareThreads(16, blockChunk.toString());
    },
    run: () => bareBlock!.map(new Float64Array(100).fill(10), BLOCK_CHUNK),
    teardown: () => bareBlock?.close(),
  },
  {
    label: "deft workers:16",
    group: GBLOCK,
    run: () =>
      yColumn(
        DataFrame.fromColumns({ x: new Float64Array(100).fill(10) }).withColumn(
          "y",
          blockRow(col("x")),
        ),
      ),
  },
  {
    label: "one thread",
    group: GCPU,
    setup: () => {
      cpuExpected = spinValues(ids(CPU_ROWS));
    },
    run: () =>
      yColumn(DataFrame.fromColumns({ x: ids(CPU_ROWS) }).withColumn("y", cpuOne(col("x")))),
    check: checkCpu,
  },
  {
    label: "bare threads x2",
    group: GCPU,
    setup: () => {
      bareCpu = new BareThreads(2, spinValues.toString());
    },
    run: () => bareCpu!.map(ids(CPU_ROWS), CPU_BATCH),
    check: checkCpu,
    teardown: () => bareCpu?.close(),
  },
  {
    label: "deft workers:2",
    group: GCPU,
    run: () =>
      yColumn(DataFrame.fromColumns({ x: ids(CPU_ROWS) }).withColumn("y", cpuTwo(col("x")))),
    check: checkCpu,
  },
  {
    label: "sequential get",
    group: GHTTP,
    run: async () => {
      const out: string[] = [];
      for (const p of paths) out.push(await getText(p));
      return out;
    },
    check: checkPages,
  },
  {
    label: "Promise.all get",
    group: GHTTP,
    run: () => Promise.all(paths.map(getText)),
    check: checkPages,
  },
  {
    label: "deft async udf",
    group: GHTTP,
    run: () => yColumn(DataFrame.fromColumns({ x: paths }).withColumn("y", fetchText(col("x")))),
    check: checkPages,
  },
  {
    label: "Promise.all fetch",
    group: GFETCH,
    run: () => Promise.all(paths.map((p) => fetchPage(p))),
    check: checkPages,
  },
  {
    label: "deft async udf, fetch",
    group: GFETCH,
    run: () => yColumn(DataFrame.fromColumns({ x: paths }).withColumn("y", fetchUdf(col("x")))),
    check: checkPages,
  },
];

const ofLimit: Derived = {
  name: "of limit",
  format: "percent",
  value: (row) =>
    row.group === G10K && row.medianMs ? (100 * (10_000 / 256) * 10) / row.medianMs : undefined,
};
const perRow: Derived = {
  name: "µs/row",
  format: "number",
  value: (row: CaseResult) =>
    row.group === G1M && row.medianMs ? (row.medianMs * 1000) / TRIVIAL_ROWS : undefined,
};

const workload: Workload = {
  name: "udf",
  description: "UDF runtime: async concurrency, per-row overhead, worker threads, real HTTP",
  cases,
  baseline: {
    [G50]: "sequential await",
    [G10K]: "deft async udf",
    [G1M]: "bare await loop",
    [GBLOCK]: "sequential",
    [GCPU]: "one thread",
    [GHTTP]: "sequential get",
    [GFETCH]: "Promise.all fetch",
  },
  derived: [speedup, ofLimit, perRow, { name: "cold ms", value: (row) => row.coldMs }],
  comparisons: [
    {
      name: "50 x 50 ms async vs sequential",
      group: G50,
      numerator: "sequential await",
      denominator: "deft async udf",
      target: ">= 47x",
    },
    {
      name: "blocking on workers:16 vs sequential",
      group: GBLOCK,
      numerator: "sequential",
      denominator: "deft workers:16",
      target: ">= 13x",
    },
    {
      name: "CPU-bound workers:2 vs one thread",
      group: GCPU,
      numerator: "one thread",
      denominator: "deft workers:2",
      target: ">= 1.85x",
    },
    {
      name: "CPU-bound: the machine's limit, bare threads x2 vs one thread",
      group: GCPU,
      numerator: "one thread",
      denominator: "bare threads x2",
    },
    {
      name: "CPU-bound: deft workers:2 vs bare threads x2",
      group: GCPU,
      numerator: "bare threads x2",
      denominator: "deft workers:2",
    },
    {
      name: "blocking: the machine's limit, bare threads x16 vs sequential",
      group: GBLOCK,
      numerator: "sequential",
      denominator: "bare threads x16",
    },
    {
      name: "HTTP: the client's limit, Promise.all vs sequential",
      group: GHTTP,
      numerator: "sequential get",
      denominator: "Promise.all get",
    },
    {
      name: "50 HTTP calls vs sequential",
      group: GHTTP,
      numerator: "sequential get",
      denominator: "deft async udf",
      target: ">= 40x",
    },
    {
      name: "50 HTTP calls through the global fetch: deft vs Promise.all",
      group: GFETCH,
      numerator: "Promise.all fetch",
      denominator: "deft async udf, fetch",
      target: ">= 0.95x",
    },
    {
      name: "1M trivial rows: p-map / deft",
      group: G1M,
      numerator: "p-map(64)",
      denominator: "deft async udf",
      target: ">= 3x",
    },
  ],
  setup: async () => {
    server = new Worker(SERVER, { eval: true });
    const [port] = (await once(server, "message")) as [number];
    base = `http://127.0.0.1:${port}`;
  },
  teardown: async () => {
    agent.destroy();
    await server?.terminate();
    server = undefined;
  },
};

export default workload;
