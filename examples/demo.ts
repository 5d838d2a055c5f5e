// The README's demo: real data in (vega-datasets' flights, which nobody here wrote), a lazy
// plan of built-in expressions, the optimizer's view of it, and a table of what happened.
import { readFileSync } from "node:fs";
import { col, DataFrame, lit, when } from "@deft/core";
import { tableFromIPC } from "apache-arrow";
import { vegaData } from "./data.js";

const started = performance.now();
const flights = DataFrame.fromArrow(tableFromIPC(readFileSync(vegaData("flights-200k.arrow"))));

const plan = flights
  .withColumn("hours", col("distance").cast("float64").div(500))
  .withColumn(
    "status",
    when(col("delay").gt(60))
      .then(lit("very late"))
      .when(col("delay").gt(15))
      .then(lit("late"))
      .otherwise(lit("on time")),
  )
  .filter(col("distance").gt(1000))
  .select("delay", "distance", "hours", "status");

console.log(plan.explain({ optimized: true }));
console.log();
await plan.show(8);
const rows = await plan.count();
console.log(
  `\n${rows} of ${flights.schema.fields.length ? 200_000 : 0} flights are longer than 1000 miles (${(performance.now() - started).toFixed(0)} ms).`,
);
