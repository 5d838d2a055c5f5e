// UDF runtime workloads (PERF.md): concurrent async row UDFs, the per-row engine overhead of a
// trivial async UDF against p-map and Promise.all, blocking and CPU-bound UDFs on worker
// threads, and real HTTP calls to a local server. Each group has its own baseline; ratios are
// measured side by side in the same rounds.
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { col, DataFrame, udf } from "@deft/core";
import type { Vector } from "apache-arrow";
import pMap from "p-map";
import { expectEqual } from "../data.js";
import type { Case, CaseResult, Derived, Workload } from "../runner.js";

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const ids = (n: number) => Float64Array.from({ length: n }, (_, i) => i);

const G50 = "50 x 50 ms async";
const G10K = "10k x 10 ms, maxConcurrency 256";
const G1M = "1M trivial async rows";
const GBLOCK = "100 x blocking 10 ms, workers 16";
const GCPU = "CPU-bound batches, workers 2";
const GHTTP = "50 HTTP calls, 50 ms each";

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
// ~20 ms of arithmetic per 64-row batch, self-contained so it ships by source.
const spinBatch = (xs: Vector) => {
  const out = new Float64Array(xs.length);
  for (let i = 0; i < xs.length; i++) {
    let acc = Number(xs.get(i));
    for (let k = 0; k < 400_000; k++) acc = (acc * 1.000001 + 0.5) % 1e9;
    out[i] = acc;
  }
  return out;
};
const CPU_ROWS = 128;
const cpuOne = udf.batch(spinBatch, { returns: "float64", batchSize: 64 });
const cpuTwo = udf.batch(spinBatch, { returns: "float64", batchSize: 64, workers: 2 });

// --- HTTP --------------------------------------------------------------------------------
let server: Server | undefined;
let base = "";
const fetchText = udf(async (path: string) => (await fetch(`${base}${path}`)).text(), {
  returns: "utf8",
});
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
    run: () =>
      yColumn(DataFrame.fromColumns({ x: ids(CPU_ROWS) }).withColumn("y", cpuOne(col("x")))),
  },
  {
    label: "deft workers:2",
    group: GCPU,
    run: () =>
      yColumn(DataFrame.fromColumns({ x: ids(CPU_ROWS) }).withColumn("y", cpuTwo(col("x")))),
  },
  {
    label: "sequential fetch",
    group: GHTTP,
    run: async () => {
      const out: string[] = [];
      for (const p of paths) out.push(await (await fetch(`${base}${p}`)).text());
      return out;
    },
    check: checkPages,
  },
  {
    label: "Promise.all fetch",
    group: GHTTP,
    run: () => Promise.all(paths.map(async (p) => (await fetch(`${base}${p}`)).text())),
    check: checkPages,
  },
  {
    label: "deft async udf",
    group: GHTTP,
    run: () => yColumn(DataFrame.fromColumns({ x: paths }).withColumn("y", fetchText(col("x")))),
    check: checkPages,
  },
];

const speedup: Derived = {
  name: "speedup",
  format: "ratio",
  value: (row, ctx) =>
    ctx.baseline && row.medianMs ? ctx.baseline.medianMs! / row.medianMs : undefined,
};
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
    [GHTTP]: "sequential fetch",
  },
  derived: [speedup, ofLimit, perRow],
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
      name: "50 HTTP calls vs sequential",
      group: GHTTP,
      numerator: "sequential fetch",
      denominator: "deft async udf",
      target: ">= 40x",
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
    server = createServer((req, res) => {
      setTimeout(() => res.end(`page ${req.url}`), 50);
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  },
  teardown: () => {
    server?.close();
    server = undefined;
  },
};

export default workload;
