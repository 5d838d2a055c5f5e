import { col, DataFrame, lit, udf } from "@deft/core";
import { formatPlan, splitUdfs } from "@deft/core/internal";
import { describe, expect, it } from "vitest";
import { expectColumns } from "../helpers.js";

const plus100 = udf((x: number) => x + 100, { returns: "float64", name: "plus100" });
const double = udf((x: number) => x * 2, { returns: "float64", name: "double" });
const isBig = udf((x: number) => x > 1, { returns: "bool", name: "isBig" });

const df = () =>
  DataFrame.fromColumns({ x: Float64Array.from([1, 2]), a: Float64Array.from([1, 2]) });
// The source line's detail (rows, batches) is not what these tests are about.
const split = (q: DataFrame): string[] =>
  formatPlan(splitUdfs(q.plan))
    .split("\n")
    .map((l) => l.replace(/Source: .*/, "Source"));

describe("splitUdfs", () => {
  it("gives a bare UDF projection its own UdfProject computing straight into the column", async () => {
    const q = df().withColumn("y", plus100(col("x")));
    expect(split(q)).toEqual(["Project: x, a, y", "  UdfProject: y=plus100(col(x))", "    Source"]);
    await expectColumns(q, { x: [1, 2], a: [1, 2], y: [101, 102] });
  });

  it("chains several UDFs of one projection, one UdfProject each", async () => {
    const q = df().withColumns({ y: plus100(col("x")), z: double(col("a")) });
    expect(split(q)).toEqual([
      "Project: x, a, y, z",
      "  UdfProject: z=double(col(a))",
      "    UdfProject: y=plus100(col(x))",
      "      Source",
    ]);
    await expectColumns(q, { x: [1, 2], a: [1, 2], y: [101, 102], z: [2, 4] });
  });

  it("moves a UDF out of a filter into a temporary column that the filter reads and drops", async () => {
    const q = df().filter(isBig(col("x")));
    expect(split(q)).toEqual([
      "Project: x, a",
      "  Filter: col(__udf0)",
      "    UdfProject: __udf0=isBig(col(x))",
      "      Source",
    ]);
    await expectColumns(q, { x: [2], a: [2] });
  });

  it("computes a UDF nested in a built-in expression into a temporary column", async () => {
    const q = df().withColumn("y", plus100(col("x")).mul(2).add(col("a")));
    expect(split(q)).toEqual([
      "Project: x, a, y=((col(__udf0) * 2) + col(a))",
      "  UdfProject: __udf0=plus100(col(x))",
      "    Source",
    ]);
    await expectColumns(q, { x: [1, 2], a: [1, 2], y: [203, 206] });
  });

  it("runs a UDF whose argument is another UDF as a chain, the inner one first", async () => {
    const q = df().withColumn("y", double(plus100(col("x"))));
    expect(split(q)).toEqual([
      "Project: x, a, y",
      "  UdfProject: y=double(col(__udf0))",
      "    UdfProject: __udf0=plus100(col(x))",
      "      Source",
    ]);
    await expectColumns(q, { x: [1, 2], a: [1, 2], y: [202, 204] });
  });

  it("keeps the same UDF nested in itself apart (the inner call gets its own column)", async () => {
    const q = df().withColumn("a", plus100(plus100(col("a"))));
    expect(split(q)).toEqual([
      "Project: x, a",
      "  UdfProject: a=plus100(col(__udf0))",
      "    UdfProject: __udf0=plus100(col(a))",
      "      Source",
    ]);
    await expectColumns(q, { x: [1, 2], a: [201, 202] });
  });

  it("withColumns reads replaced columns as they were before the call, as built-ins do", async () => {
    const viaUdf = df().withColumns({ a: plus100(col("x")), b: col("a").add(1) });
    expect(split(viaUdf)).toEqual([
      "Project: x, a=col(__udf0), b=(col(a) + 1)",
      "  UdfProject: __udf0=plus100(col(x))",
      "    Source",
    ]);
    await expectColumns(viaUdf, { x: [1, 2], a: [101, 102], b: [2, 3] });
    const builtIn = df().withColumns({ a: col("x").add(100), b: col("a").add(1) });
    await expectColumns(builtIn, { x: [1, 2], a: [101, 102], b: [2, 3] });
  });

  it("a later UDF's argument reads the column a UDF of the same call replaces, unchanged", async () => {
    const q = df().withColumns({ a: plus100(col("x")), b: double(col("a")) });
    expect(split(q)).toEqual([
      "Project: x, a=col(__udf0), b",
      "  UdfProject: b=double(col(a))",
      "    UdfProject: __udf0=plus100(col(x))",
      "      Source",
    ]);
    await expectColumns(q, { x: [1, 2], a: [101, 102], b: [2, 4] });
  });

  it("a UDF may replace the column it reads when nothing else reads it", async () => {
    const q = df().withColumn("a", plus100(col("a")));
    expect(split(q)).toEqual(["Project: x, a", "  UdfProject: a=plus100(col(a))", "    Source"]);
    await expectColumns(q, { x: [1, 2], a: [101, 102] });
  });

  it("temporary names never clash with a column of the plan", async () => {
    const base = DataFrame.fromColumns({
      __udf0: Float64Array.from([5, 6]),
      __udf1: Float64Array.from([7, 8]),
      x: Float64Array.from([1, 2]),
    });
    const q = base
      .withColumn("y", plus100(col("x")).add(col("__udf0")))
      .filter(isBig(col("__udf1")));
    expect(split(q)).toEqual([
      "Project: __udf0, __udf1, x, y",
      "  Filter: col(__udf3)",
      "    UdfProject: __udf3=isBig(col(__udf1))",
      "      Project: __udf0, __udf1, x, y=(col(__udf2) + col(__udf0))",
      "        UdfProject: __udf2=plus100(col(x))",
      "          Source",
    ]);
    await expectColumns(q, { __udf0: [5, 6], __udf1: [7, 8], x: [1, 2], y: [106, 108] });
  });

  it("leaves plans without UDFs alone", () => {
    const q = df()
      .withColumn("y", col("x").add(lit(1)))
      .filter(col("y").gt(2));
    expect(formatPlan(splitUdfs(q.plan))).toBe(formatPlan(q.plan));
  });
});
