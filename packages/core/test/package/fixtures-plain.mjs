// Run by exports.test.ts with plain `node` (no tsx, no "source" condition): the built package
// must load through its exports, including the worker entries that worker UDFs and the
// compute threads (Parquet decoding) start.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { col, DataFrame, readParquet, udf } from "@deft/core";
import { node, Pipeline } from "@deft/pipeline";

const square = udf((x) => x * x, { returns: "float64", workers: 2 });
const df = DataFrame.fromColumns({ x: Float64Array.from([1, 2, 3]) })
  .withColumn("y", col("x").mul(2))
  .withColumn("z", square(col("x")));
const file = join(mkdtempSync(join(tmpdir(), "deft-plain-")), "x.parquet");
await df.select("x").writeParquet(file);
const p = new Pipeline([node({ output: "y" }, (x) => x + 1)]);
console.log(
  JSON.stringify({
    frame: await df.toColumns(),
    parquet: await readParquet(file).toColumns({ threads: 2 }),
    pipeline: await p.map({ x: [1, 2] }, { mapOver: "x" }),
  }),
);
