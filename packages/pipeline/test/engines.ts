// The engines every behaviour test runs on: each must give the same results.
import {
  DataFrameEngine,
  type Engine,
  type EngineOptions,
  PoolEngine,
  SequentialEngine,
} from "@deft/pipeline";

export const engines: [string, (opts?: EngineOptions) => Engine][] = [
  ["sequential", (opts) => new SequentialEngine(opts)],
  ["pool", (opts) => new PoolEngine({ concurrency: 8, ...opts })],
  ["dataframe", (opts) => new DataFrameEngine(opts)],
];
