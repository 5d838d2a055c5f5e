// Parquet scan of 3 flights-3m columns at threads 1 and 2: first (cold) run of each, then
// interleaved rounds, median of 5. Run: npx tsx packages/core/test/io/parquet-threads.bench.ts
// (not a vitest file: timing belongs in benchmarks).
import path from "node:path";
import { readParquet } from "@deft/core";

const FLIGHTS = path.resolve(
  import.meta.dirname,
  "../../../../node_modules/vega-datasets/data/flights-3m.parquet",
);
const COLUMNS = ["delay", "distance", "origin"];
const ROUNDS = Number(process.argv[2] ?? 5);

async function scan(threads: number): Promise<number> {
  const t = performance.now();
  let rows = 0;
  for await (const b of readParquet(FLIGHTS, { columns: COLUMNS }).iterBatches({ threads }))
    rows += b.numRows;
  if (rows !== 3_000_000) throw new Error(`threads ${threads}: ${rows} rows`);
  return performance.now() - t;
}

const cold = { 1: await scan(1), 2: await scan(2) };
const times: Record<1 | 2, number[]> = { 1: [], 2: [] };
for (let r = 0; r < ROUNDS; r++) for (const n of [1, 2] as const) times[n].push(await scan(n));
const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;
const m1 = median(times[1]);
const m2 = median(times[2]);
console.log(`scan ${COLUMNS.join(", ")} of flights-3m.parquet, median of ${ROUNDS}`);
console.log(`threads 1: ${m1.toFixed(0)} ms (cold ${cold[1].toFixed(0)} ms)`);
console.log(`threads 2: ${m2.toFixed(0)} ms (cold ${cold[2].toFixed(0)} ms)`);
console.log(`speedup: ${(m1 / m2).toFixed(2)}x (cold ${(cold[1] / cold[2]).toFixed(2)}x)`);
