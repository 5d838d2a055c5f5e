// Run by exports.test.ts with plain `node` (no tsx, no "source" condition): the built package
// must load through its exports, including the worker entry that worker UDFs start.
import { col, DataFrame, udf } from "@deft/core";
import { node, Pipeline } from "@deft/pipeline";

const square = udf((x) => x * x, { returns: "float64", workers: 2 });
const df = DataFrame.fromColumns({ x: Float64Array.from([1, 2, 3]) })
  .withColumn("y", col("x").mul(2))
  .withColumn("z", square(col("x")));
const p = new Pipeline([node({ output: "y" }, (x) => x + 1)]);
console.log(
  JSON.stringify({
    frame: await df.toColumns(),
    pipeline: await p.map({ x: [1, 2] }, { mapOver: "x" }),
  }),
);
