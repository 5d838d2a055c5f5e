// The README's demo: 3 million real flights (vega-datasets, which nobody here wrote) through
// a pipeline that uses every kind of work deft runs:
//   1. scan Parquet + group by        built-in kernels: 3M flights -> one row per route
//   2. weather per airport            an async UDF calling an HTTP service, 64 calls in flight
//   3. pseudonymous route ids         a CPU-bound UDF on 2 worker threads
//   4. join, sort, write Parquet      the report, in examples/out/routes.parquet
// and then prints how long each stage took next to what running it sequentially costs.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { col, count, fromModule, readCsv, readParquet, udf } from "@deft/core";
import { vegaData } from "./data.js";
import { routeId } from "./route-id.js";
import { formatSummary, type Stage, sequentialBaseline, timed } from "./stages.js";
import { startWeatherServer } from "./weather-server.js";

// Output goes to examples/out/ (gitignored) unless a directory is given: demo.ts [outDir].
const outDir = process.argv[2] ?? fileURLToPath(new URL("./out/", import.meta.url));
const started = performance.now();
const stages: Stage[] = [];
const weatherApi = await startWeatherServer(); // a local stand-in for a real weather API

try {
  // Stage 1: nothing runs until collect(); the optimizer reads only the columns used.
  const flights = readParquet(vegaData("flights-3m.parquet"));
  const routesPlan = flights
    .groupBy("origin", "destination")
    .agg(
      count().alias("flights"),
      col("delay").mean().alias("avg_delay"),
      col("delay").gt(15).sum().alias("late"),
      col("distance").first().alias("miles"),
    );
  console.log(`${flights.schema.fields.map((f) => `${f.name}: ${f.type}`).join(", ")}\n`);
  console.log(routesPlan.explain({ optimized: true }), "\n");

  const [routes, scanMs] = await timed(() => routesPlan.collect());
  const routeCount = await routes.count();
  stages.push({ name: "1 scan + group by", rowsIn: 3_000_000, rowsOut: routeCount, ms: scanMs });

  // Stage 2: an async row UDF. Each call waits 20-50 ms on the server; deft keeps up to
  // maxConcurrency calls in flight and writes each answer back to its row.
  async function fetchSky(airport: string): Promise<string> {
    const res = await fetch(`${weatherApi.url}/weather/${airport}`);
    if (!res.ok) throw new Error(`weather API: HTTP ${res.status} for ${airport}`);
    const observation = (await res.json()) as { sky: string };
    return observation.sky;
  }
  const sky = udf(fetchSky, { returns: "utf8", maxConcurrency: 64, retries: 2, timeoutMs: 5_000 });
  const airports = routes.distinct("origin").select("origin");
  const [weather, weatherMs] = await timed(() =>
    airports.withColumn("sky", sky(col("origin"))).collect(),
  );
  const codes = (await airports.toColumns()).origin as string[];
  stages.push({
    name: "2 weather API (async UDF)",
    rowsIn: codes.length,
    rowsOut: await weather.count(),
    ms: weatherMs,
    sequential: await sequentialBaseline(codes, 20, fetchSky, "HTTP requests"),
  });

  // Stage 3: a CPU-bound row UDF on 2 worker threads. It imports node:crypto, so it is named
  // by module and export; the threads import route-id.js themselves.
  const anonymize = udf(fromModule(new URL("./route-id.js", import.meta.url), "routeId"), {
    returns: "utf8",
    workers: 2,
    batchSize: 256, // rows per task: small enough that both threads stay busy to the end
    name: "routeId",
  });
  const [withIds, idsMs] = await timed(() =>
    routes.withColumn("route_id", anonymize(col("origin"), col("destination"))).collect(),
  );
  const pairs = await routes.select("origin", "destination").toRecords();
  stages.push({
    name: "3 route ids (CPU UDF, workers: 2)",
    rowsIn: routeCount,
    rowsOut: await withIds.count(),
    ms: idsMs,
    note: "includes starting the 2 worker threads and loading route-id.js on them (a cold start, paid once per process)",
    sequential: await sequentialBaseline(
      pairs,
      400,
      (r) => routeId(r.origin as string, r.destination as string),
      "routeId calls on the main thread",
    ),
  });

  // Stage 4: joins, a filter, a sort and a Parquet writer, as one lazy plan.
  const cities = readCsv(vegaData("airports.csv")).select("iata", "city");
  const report = withIds
    .join(weather, { on: "origin" })
    .join(cities, { leftOn: "origin", rightOn: "iata", how: "left" })
    .filter(col("flights").gte(100))
    .withColumn("late_pct", col("late").cast("float64").mul(100).div(col("flights")))
    .select("origin", "city", "destination", "flights", "avg_delay", "late_pct", "sky", "route_id")
    .sort("avg_delay", { descending: true });
  console.log(report.explain({ optimized: true }), "\n");

  mkdirSync(outDir, { recursive: true });
  const outPath = join(outDir, "routes.parquet");
  const [written, writeMs] = await timed(() => report.writeParquet(outPath));
  stages.push({
    name: "4 join + sort + write",
    rowsIn: routeCount,
    rowsOut: written.rows,
    ms: writeMs,
  });

  console.log("Routes with the worst average departure delay (at least 100 flights):");
  await report.show(10);
  console.log(`\nWrote ${written.rows} routes to ${outPath} (${written.bytes} bytes).\n`);
  console.log(formatSummary(stages, performance.now() - started));
} finally {
  await weatherApi.close();
}
