// Pipelines (the workloads of the original Daft/Dask investigation): the same two-node pipeline — an
// I/O-bound call, then a cheap sync step — on every engine, with speedups vs the sequential
// engine measured side by side. "async" nodes await a timer (an API call); "blocking" nodes
// block their thread (a sync SDK), so only worker threads can overlap them; that group also
// times the same blocking call as one core worker UDF, the figure the DataFrame engine is held
// against.
import { col, DataFrame, udf } from "@deft/core";
import {
  DataFrameEngine,
  type Engine,
  node,
  Pipeline,
  PoolEngine,
  SequentialEngine,
} from "@deft/pipeline";
import { type Case, speedup, type Workload } from "../runner.js";

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// Both take the delay as an input (a constant of the map call), so the blocking function is
// self-contained and ships to worker threads by its source.
function asyncPipeline(engine: Engine): Pipeline {
  const call = node({ output: "body", returns: "utf8" }, async (id: number, ms: number) => {
    await sleep(ms);
    return `item ${id}`;
  });
  const parse = node({ output: "n", returns: "float64" }, (body: string) => Number(body.slice(5)));
  return new Pipeline([call, parse], { engine });
}

function blockingPipeline(engine: Engine): Pipeline {
  const call = node({ output: "body", returns: "utf8" }, (id: number, ms: number) => {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    return `item ${id}`;
  });
  const parse = node({ output: "n", returns: "float64" }, (body: string) => Number(body.slice(5)));
  return new Pipeline([call, parse], { engine });
}

function check(n: number) {
  return (r: unknown) => {
    const rows = r as { id: number; n: number }[];
    if (rows.length !== n) throw new Error(`${rows.length} results, expected ${n}`);
    rows.forEach((row, i) => {
      if (row.id !== i || row.n !== i) throw new Error(`item ${i}: ${JSON.stringify(row)}`);
    });
  };
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => i);

function group(
  name: string,
  n: number,
  ms: number,
  build: (engine: Engine) => Pipeline,
  engines: [string, () => Engine][],
): Case[] {
  return engines.map(([label, make]) => {
    const p = build(make());
    return {
      label,
      group: name,
      run: () => p.map({ id: ids(n), ms }, { mapOver: "id" }),
      check: check(n),
    };
  });
}

const G50 = "50 items x 50 ms, async";
const G100 = "100 items x 10 ms, async";
const GBLOCK = "100 items x 10 ms, blocking";

const asyncEngines: [string, () => Engine][] = [
  ["sequential", () => new SequentialEngine()],
  ["pool(8) (Dask-threads-like)", () => new PoolEngine({ concurrency: 8 })],
  ["pool(64)", () => new PoolEngine({ concurrency: 64 })],
  ["dataframe", () => new DataFrameEngine()],
];
const blockingEngines: [string, () => Engine][] = [
  ["sequential", () => new SequentialEngine()],
  ["pool(16) workers:16", () => new PoolEngine({ concurrency: 16, workers: 16 })],
  ["dataframe workers:16", () => new DataFrameEngine({ workers: 16 })],
];

// The reference for the blocking group: the same blocking call as one core worker UDF over a
// 100-row frame, no pipeline around it (what the DataFrame engine compiles down to at best).
const blockingUdf = udf(
  (id: number, ms: number) => {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    return `item ${id}`;
  },
  { returns: "utf8", workers: 16 },
);
const coreCase: Case = {
  label: "core udf workers:16 (reference)",
  group: GBLOCK,
  run: () =>
    DataFrame.fromColumns({ id: Float64Array.from(ids(100)), ms: new Float64Array(100).fill(10) })
      .withColumn("body", blockingUdf(col("id"), col("ms")))
      .toColumns(),
  check: (r) => {
    const body = (r as { body: string[] }).body;
    if (body.length !== 100 || body[99] !== "item 99")
      throw new Error("core reference: wrong bodies");
  },
};

// One async node that declares no `returns`, beside a bare Promise.all of the same function:
// the engine must start every item at once (nothing learned from a first item run alone).
const untypedCall = async (u: number) => {
  await sleep(50);
  return u * 2;
};
function untypedGroup(n: number): Case[] {
  const group = `${n} items x 50 ms, untyped async node`;
  const p = new Pipeline([node({ output: "r" }, untypedCall)], { engine: new DataFrameEngine() });
  const check = (r: unknown) => {
    const rows = r as { r: number }[];
    if (rows.length !== n || rows.some((row, i) => row.r !== i * 2))
      throw new Error(`${group}: wrong results`);
  };
  return [
    {
      label: "Promise.all",
      group,
      run: () => Promise.all(ids(n).map(untypedCall)).then((r) => r.map((x) => ({ r: x }))),
      check,
    },
    { label: "dataframe", group, run: () => p.map({ u: ids(n) }, { mapOver: "u" }), check },
  ];
}
const GU10 = "10 items x 50 ms, untyped async node";
const GU50 = "50 items x 50 ms, untyped async node";

const cases: Case[] = [
  ...untypedGroup(10),
  ...untypedGroup(50),
  ...group(G50, 50, 50, asyncPipeline, asyncEngines),
  ...group(G100, 100, 10, asyncPipeline, asyncEngines),
  ...group(GBLOCK, 100, 10, blockingPipeline, blockingEngines),
  coreCase,
];

const workload: Workload = {
  name: "pipelines",
  description:
    "Pipelines on the sequential, pool and DataFrame engines: I/O-bound async and blocking nodes",
  cases,
  baseline: {
    [G50]: "sequential",
    [G100]: "sequential",
    [GBLOCK]: "sequential",
    [GU10]: "Promise.all",
    [GU50]: "Promise.all",
  },
  // The first (warm-up) run of each case; the 10-item untyped case is the first run of the
  // DataFrame engine in the process, so its figure is a cold start.
  derived: [speedup, { name: "cold ms", value: (row) => row.coldMs }],
  comparisons: [
    {
      name: "untyped async node, 10 x 50 ms: dataframe vs Promise.all",
      group: GU10,
      numerator: "Promise.all",
      denominator: "dataframe",
      target: ">= 0.91x warm (<= 1.1x the time), cold <= 1.6x the time",
    },
    {
      name: "untyped async node, 50 x 50 ms: dataframe vs Promise.all",
      group: GU50,
      numerator: "Promise.all",
      denominator: "dataframe",
      target: ">= 0.91x warm (<= 1.1x the time), cold <= 1.6x the time",
    },
    {
      name: "50 x 50 ms: dataframe vs sequential",
      group: G50,
      numerator: "sequential",
      denominator: "dataframe",
      target: ">= 36.9x (Daft async)",
    },
    {
      name: "100 x 10 ms: dataframe vs sequential",
      group: G100,
      numerator: "sequential",
      denominator: "dataframe",
      target: ">= 37x (Daft async)",
    },
    {
      name: "100 x 10 ms blocking: dataframe workers vs sequential",
      group: GBLOCK,
      numerator: "sequential",
      denominator: "dataframe workers:16",
      target: ">= 12.5x (Daft sync + threads: 11x)",
    },
    {
      name: "100 x 10 ms blocking: dataframe workers vs the core UDF alone",
      group: GBLOCK,
      numerator: "core udf workers:16 (reference)",
      denominator: "dataframe workers:16",
      target: ">= 0.94x (the pipeline adds little to the core worker path)",
    },
  ],
};

export default workload;
