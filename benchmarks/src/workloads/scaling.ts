// Scaling: how cost grows with size, so the curve is visible rather than one point.
// - Async rows 1k -> 10k -> 100k -> 1M of a trivial async function: µs per row for a deft
//   async UDF, p-map(64) and Promise.all. Small sizes repeat inside one timed run (at least
//   REPEAT_ROWS rows per run), so per-run fixed costs (planning, starting the stream) show as
//   what they are: a larger per-row cost at small sizes.
// - Workers 1 -> 2 -> 4 -> 8 -> 16 on 100 rows that each block their thread for 10 ms (a sync
//   SDK call): speedup vs a sequential loop, next to the limit ceil(100 / n) * 10 ms allows.
// Groups are named "<curve> @ <x>" and every case reports metrics.x, which the docs report
// (scripts/bench-report.mjs) draws as one line per case label.
import { col, DataFrame, udf } from "@deft/core";
import pMap from "p-map";
import type { Case, Derived, Workload } from "../runner.js";

const MAX_ROWS = Number(process.env.BENCH_SCALING_MAX_ROWS ?? 1_000_000);
const REPEAT_ROWS = Number(process.env.BENCH_SCALING_REPEAT_ROWS ?? 100_000);
const SIZES = [1_000, 10_000, 100_000, 1_000_000].filter((n) => n <= MAX_ROWS);
const WORKERS = [1, 2, 4, 8, 16];
const BLOCK_ROWS = 100;
const BLOCK_MS = 10;

const ASYNC = "async trivial fn, µs/row";
const BLOCK = `${BLOCK_ROWS} rows x blocking ${BLOCK_MS} ms, speedup`;
const GSEQ = `${BLOCK_ROWS} rows x blocking ${BLOCK_MS} ms, sequential`;

const short = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : `${n}`);
const asyncGroup = (n: number) => `${ASYNC} @ ${short(n)} rows`;
const blockGroup = (w: number) => `${BLOCK} @ ${w} worker${w > 1 ? "s" : ""}`;

const trivial = async (x: number) => x + 1;
const plusOne = udf(trivial, { returns: "float64", maxConcurrency: 64 });

const inputs = new Map<number, Float64Array>();
const ids = (n: number) => {
  let xs = inputs.get(n);
  if (!xs) {
    xs = Float64Array.from({ length: n }, (_, i) => i);
    inputs.set(n, xs);
  }
  return xs;
};
const reps = (n: number) => Math.max(1, Math.ceil(REPEAT_ROWS / n));

function checkPlusOne(n: number) {
  return (r: unknown) => {
    const y = r as ArrayLike<number>;
    if (y.length !== n) throw new Error(`${y.length} rows, expected ${n}`);
    for (let i = 0; i < n; i++) if (y[i] !== i + 1) throw new Error(`row ${i}: ${y[i]}`);
  };
}

/** Runs `once` reps(n) times; returns the last result (checked) — rows per run = n * reps. */
function asyncCase(label: string, n: number, once: (xs: Float64Array) => Promise<unknown>): Case {
  const times = reps(n);
  return {
    label,
    group: asyncGroup(n),
    run: async () => {
      let last: unknown;
      for (let k = 0; k < times; k++) last = await once(ids(n));
      return last;
    },
    check: checkPlusOne(n),
    metrics: () => ({ x: n, rowsPerRun: n * times }),
  };
}

async function deftPlusOne(xs: Float64Array): Promise<Float64Array> {
  const t = await DataFrame.fromColumns({ x: xs })
    .withColumn("y", plusOne(col("x")))
    .toArrow();
  return t.getChild("y")!.toArray() as Float64Array;
}

function blockSync(ms: number): number {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  return ms;
}

function checkBlocked(r: unknown): void {
  const y = r as ArrayLike<number>;
  if (y.length !== BLOCK_ROWS) throw new Error(`${y.length} rows, expected ${BLOCK_ROWS}`);
  for (let i = 0; i < y.length; i++) if (y[i] !== BLOCK_MS) throw new Error(`row ${i}: ${y[i]}`);
}

function workersCase(w: number): Case {
  const block = udf(
    (ms: number) => {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
      return ms;
    },
    { returns: "float64", workers: w },
  );
  return {
    label: "deft workers",
    group: blockGroup(w),
    run: async () => {
      const xs = new Float64Array(BLOCK_ROWS).fill(BLOCK_MS);
      const t = await DataFrame.fromColumns({ x: xs })
        .withColumn("y", block(col("x")))
        .toArrow();
      return t.getChild("y")!.toArray() as Float64Array;
    },
    check: checkBlocked,
    metrics: () => ({ x: w, limitMs: Math.ceil(BLOCK_ROWS / w) * BLOCK_MS }),
  };
}

const cases: Case[] = [
  ...SIZES.flatMap((n) => [
    asyncCase("deft async udf", n, deftPlusOne),
    asyncCase("p-map(64)", n, (xs) => pMap(xs, trivial, { concurrency: 64 })),
    asyncCase("Promise.all", n, (xs) => Promise.all(Array.from(xs, trivial))),
  ]),
  {
    label: "sequential",
    group: GSEQ,
    run: () => Float64Array.from({ length: BLOCK_ROWS }, () => blockSync(BLOCK_MS)),
    check: checkBlocked,
  },
  ...WORKERS.map(workersCase),
];

const perRow: Derived = {
  name: "µs/row",
  format: "number",
  value: (row) =>
    row.metrics.rowsPerRun && row.medianMs
      ? (row.medianMs * 1000) / row.metrics.rowsPerRun
      : undefined,
};
const speedup: Derived = {
  name: "speedup",
  format: "ratio",
  value: (row, ctx) => {
    const seq = ctx.byLabel("sequential", GSEQ)?.medianMs;
    return row.group.startsWith(BLOCK) && seq && row.medianMs ? seq / row.medianMs : undefined;
  },
};
const ofLimit: Derived = {
  name: "of limit",
  format: "percent",
  value: (row) =>
    row.metrics.limitMs && row.medianMs ? (100 * row.metrics.limitMs) / row.medianMs : undefined,
};

const last = SIZES[SIZES.length - 1]!;
const workload: Workload = {
  name: "scaling",
  description:
    `Cost curves: a trivial async fn over ${SIZES.map(short).join(" -> ")} rows (µs/row; small ` +
    `sizes repeat to ${short(REPEAT_ROWS)} rows per timed run), and ` +
    `${BLOCK_ROWS} blocking ${BLOCK_MS} ms rows on ${WORKERS.join(" -> ")} worker threads (speedup)`,
  cases,
  derived: [perRow, speedup, ofLimit],
  comparisons: [
    {
      name: `${short(last)} rows: p-map / deft (per row)`,
      group: asyncGroup(last),
      numerator: "p-map(64)",
      denominator: "deft async udf",
      target: ">= 3x",
    },
  ],
};

export default workload;
