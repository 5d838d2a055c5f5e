// deft's own Parquet decoder against parquet-wasm, on the 3-column scan of flights-3m.parquet
// (delay, distance: INT64; origin: strings; dictionary pages, ZSTD, 11 row groups) at threads
// 1 and 2. The same readParquet query each time; DEFT_PARQUET_DECODER=parquet-wasm sends it
// to parquet-wasm. The speedup column is parquet-wasm's median at the same threads / the row's.
import { fileURLToPath } from "node:url";
import { type DeftEvent, readParquet } from "@deft/core";
import type { Table } from "apache-arrow";
import { expectEqual } from "../data.js";
import { type Case, speedup, type Workload } from "../runner.js";

const FILE = fileURLToPath(
  new URL("../../../node_modules/vega-datasets/data/flights-3m.parquet", import.meta.url),
);
const COLUMNS = ["delay", "distance", "origin"];

function scanCase(decoder: "native" | "parquet-wasm", threads: number): Case {
  let used: string | undefined;
  return {
    label: `${decoder}, threads ${threads}`,
    group: `threads ${threads}`,
    run: () => {
      if (decoder === "parquet-wasm") process.env.DEFT_PARQUET_DECODER = "parquet-wasm";
      else delete process.env.DEFT_PARQUET_DECODER;
      const progress = (e: DeftEvent) => {
        if (e.type === "scan:end") used = e.decoder;
      };
      return readParquet(FILE, { columns: COLUMNS }).toArrow({ threads, progress });
    },
    check: (t) => {
      expectEqual("rows", (t as Table).numRows, 3_000_000);
      expectEqual("decoder", used, decoder);
    },
  };
}

const workload: Workload = {
  name: "parquet-decoders",
  description:
    "flights-3m.parquet, 3 columns (2 INT64, 1 string; dictionary, ZSTD): deft's decoder vs parquet-wasm",
  cases: [1, 2].flatMap((t) => [scanCase("parquet-wasm", t), scanCase("native", t)]),
  baseline: { "threads 1": "parquet-wasm, threads 1", "threads 2": "parquet-wasm, threads 2" },
  derived: [speedup],
  comparisons: [1, 2].map((t) => ({
    name: `threads ${t}: native / parquet-wasm`,
    group: `threads ${t}`,
    numerator: `native, threads ${t}`,
    denominator: `parquet-wasm, threads ${t}`,
  })),
  teardown: () => {
    delete process.env.DEFT_PARQUET_DECODER;
  },
};

export default workload;
