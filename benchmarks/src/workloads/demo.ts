// The README demo's CPU stage, as the demo runs it: pseudonymous route ids (PBKDF2, ~0.6 ms a
// call) for every origin-destination route of flights-3m.parquet, on 2 worker threads that
// import examples/route-id.js by module, beside the same calls one after another on the main
// thread. The workload runs in a fresh process that loads @deft/* from their built JavaScript
// (as `pnpm demo` does, not the TypeScript sources the other workloads use), so the first run
// ("cold ms") pays what the demo pays: starting the threads and loading the UDF's module.
import { fileURLToPath } from "node:url";
import { col, count, DataFrame, fromModule, readParquet, udf } from "@deft/core";
import { routeId } from "../../../examples/route-id.js";
import { expectEqual } from "../data.js";
import { type Case, speedup, type Workload } from "../runner.js";

const FLIGHTS = fileURLToPath(
  new URL("../../../node_modules/vega-datasets/data/flights-3m.parquet", import.meta.url),
);
const ROUTE_ID = new URL("../../../examples/route-id.js", import.meta.url);
const GROUP = "route ids of every flights-3m route (demo stage 3)";

let routes: DataFrame | undefined;
let origins: string[] = [];
let destinations: string[] = [];
let expected: string[] = [];

// Untimed: the workers case returns its Arrow column, read here, not in the timed region.
function check(result: unknown): void {
  const ids = [...(result as Iterable<string>)];
  expectEqual("rows", ids.length, expected.length);
  for (let i = 0; i < ids.length; i++) expectEqual(`route ${i}`, ids[i], expected[i]);
}

// The demo's UDF, with the demo's options.
const anonymize = udf(fromModule(ROUTE_ID, "routeId"), {
  returns: "utf8",
  workers: 2,
  batchSize: 256,
  name: "routeId",
});

const cases: Case[] = [
  {
    label: "main thread, one after another",
    group: GROUP,
    run: () => origins.map((o, i) => routeId(o, destinations[i]!)),
    check,
  },
  {
    label: "deft workers:2",
    group: GROUP,
    run: async () => {
      const t = await routes!.withColumn("route_id", anonymize(col("o"), col("d"))).toArrow();
      return t.getChild("route_id")!;
    },
    check,
  },
];

const workload: Workload = {
  name: "demo",
  description:
    "The demo's CPU-bound stage (route ids, a PBKDF2 row UDF from a module on 2 worker threads) " +
    "cold and warm, beside the same calls on the main thread; @deft/* from their built JavaScript",
  setup: async () => {
    const pairs = await readParquet(FLIGHTS)
      .groupBy("origin", "destination")
      .agg(count().alias("flights"))
      .sort(["origin", "destination"])
      .toColumns();
    origins = pairs.origin as string[];
    destinations = pairs.destination as string[];
    routes = DataFrame.fromColumns({ o: origins, d: destinations });
    expected = origins.map((o, i) => routeId(o, destinations[i]!));
  },
  cases,
  baseline: { [GROUP]: "main thread, one after another" },
  // The first run of the workers case starts the 2 threads and has them import route-id.js:
  // the demo's own cold start.
  derived: [speedup, { name: "cold ms", value: (row) => row.coldMs }],
  comparisons: [
    {
      name: "demo CPU stage, cold (first run in the process): workers:2 vs the main thread",
      group: GROUP,
      numerator: "main thread, one after another",
      denominator: "deft workers:2",
      target: "> 1.5x on a quiet 2-core machine",
      cold: true,
    },
    {
      name: "demo CPU stage, warm (median): workers:2 vs the main thread",
      group: GROUP,
      numerator: "main thread, one after another",
      denominator: "deft workers:2",
    },
  ],
};

export default workload;
