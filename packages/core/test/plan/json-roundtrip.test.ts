import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  col,
  count,
  DataFrame,
  lit,
  ntile,
  rank,
  readArrow,
  readCsv,
  readJson,
  readParquet,
  rowNumber,
  when,
} from "@deft/core";
import { sinkNode } from "@deft/core/internal";
import { beforeAll, describe, expect, it } from "vitest";

/** The DataFrame after a trip through JSON text, as another process would receive it. */
const travel = (df: DataFrame): DataFrame => DataFrame.fromJSON(JSON.parse(JSON.stringify(df)));

/** Same plan printed (as built and optimized) and the same rows, after the trip. */
async function expectRoundTrip(df: DataFrame): Promise<DataFrame> {
  const back = travel(df);
  expect(back.explain({ optimized: true })).toBe(df.explain({ optimized: true }));
  expect(back.schema.fields.map((f) => `${f.name}:${f.type}:${f.nullable}`)).toEqual(
    df.schema.fields.map((f) => `${f.name}:${f.type}:${f.nullable}`),
  );
  expect(await back.toRecords()).toEqual(await df.toRecords());
  return back;
}

const people = DataFrame.fromRecords([
  { id: 1, name: "ann", city: "oslo", score: 3.5, tags: ["a", "b"] },
  { id: 2, name: "bob", city: "rome", score: null, tags: [] },
  { id: 3, name: "cy", city: "oslo", score: 9, tags: null },
  { id: 4, name: null, city: "lima", score: -1.25, tags: ["c"] },
]);
const cities = DataFrame.fromRecords([
  { city: "oslo", country: "no" },
  { city: "rome", country: "it" },
]);

let dir = "";
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "deft-plan-json-"));
  const flat = people.select("id", "name", "city", "score");
  await flat.writeParquet(path.join(dir, "people.parquet"));
  await flat.writeArrow(path.join(dir, "people.arrow"));
  await flat.writeCsv(path.join(dir, "people.csv"));
  await flat.writeJson(path.join(dir, "people.ndjson"));
});

describe("every node kind round-trips through JSON", () => {
  it("source: memory", async () => {
    const back = await expectRoundTrip(people);
    expect(JSON.stringify(people)).toContain('"format":"memory"');
    expect(back.explain()).toContain("memory (4 rows");
  });
  it("source: range", async () => {
    await expectRoundTrip(DataFrame.range(3, 20, 4));
  });
  it("source: parquet (with options and a pushed filter)", async () => {
    const df = readParquet(path.join(dir, "*.parquet"), { columns: ["id", "score"], batchSize: 2 });
    await expectRoundTrip(df);
    await expectRoundTrip(df.filter(col("id").gt(1)));
    const json = JSON.parse(JSON.stringify(df));
    expect(json.plan.source).toEqual({
      format: "parquet",
      paths: [path.join(dir, "people.parquet")],
      options: { columns: ["id", "score"], batchSize: 2 },
    });
  });
  it("source: ipc", async () => {
    await expectRoundTrip(readArrow(path.join(dir, "people.arrow")));
  });
  it("source: csv (column types given by DataType travel by name)", async () => {
    const df = readCsv(path.join(dir, "people.csv"), { schema: { id: "int16" }, delimiter: "," });
    const back = await expectRoundTrip(df);
    expect(String(back.schema.fields[0]!.type)).toBe("Int16");
  });
  it("source: ndjson", async () => {
    await expectRoundTrip(readJson(path.join(dir, "people.ndjson"), { inferRows: 2 }));
  });
  it("project", async () => {
    await expectRoundTrip(
      people.withColumns({
        twice: col("score").mul(2),
        big: col("id")
          .cast("int64")
          .add(lit(10n ** 15n)),
        label: when(col("score").gt(3)).then(lit("high")).otherwise(col("name").str.upper()),
        first: col("tags").list.get(0),
      }),
    );
  });
  it("filter", async () => {
    await expectRoundTrip(
      people.filter(
        col("name")
          .isNotNull()
          .and(col("city").isIn(["oslo", "lima"])),
      ),
    );
  });
  it("limit", async () => {
    await expectRoundTrip(people.limit(2, 1));
  });
  it("intoBatches", async () => {
    await expectRoundTrip(people.intoBatches(3));
  });
  it("sort (descending, nulls first, top-N)", async () => {
    await expectRoundTrip(
      people.sort(["city", "score"], { descending: [true, false], nullsFirst: true }),
    );
    await expectRoundTrip(people.sort("score", { limit: 2 }));
  });
  it("aggregate (grouped and global)", async () => {
    await expectRoundTrip(
      people
        .groupBy("city")
        .agg(col("score").sum().alias("total"), count(), col("name").list())
        .sort("city"),
    );
    await expectRoundTrip(people.select(col("score").max(), col("id").countDistinct().alias("n")));
  });
  it("join", async () => {
    await expectRoundTrip(people.join(cities, { on: "city", how: "left" }).sort("id"));
    await expectRoundTrip(people.join(cities, { on: "city", how: "anti" }));
    await expectRoundTrip(people.select("id").join(cities, { how: "cross" }));
  });
  it("tail, withRowIndex, sample (the seed travels)", async () => {
    await expectRoundTrip(people.tail(2));
    await expectRoundTrip(people.withRowIndex("nr"));
    await expectRoundTrip(people.sample({ n: 2, seed: 9 }));
    const drawn = people.sample({ fraction: 0.5 });
    const back = await expectRoundTrip(drawn);
    expect(back.explain()).toBe(drawn.explain());
  });
  it("explode", async () => {
    await expectRoundTrip(people.select("id", "tags").explode("tags"));
  });
  it("distinct", async () => {
    await expectRoundTrip(people.distinct("city"));
  });
  it("window (every frame kind, functions with arguments, a filter on a window)", async () => {
    const byCity = { partitionBy: "city", orderBy: "score", descending: true, nullsFirst: true };
    const back = await expectRoundTrip(
      people.withColumns({
        r: rank().over(byCity),
        n: ntile(2).over(byCity),
        l: col("name").lag(1, "-").over(byCity),
        s: col("score")
          .sum()
          .over({ ...byCity, frame: { rows: [-1, "unbounded"] } }),
        m: col("score")
          .mean()
          .over({ orderBy: "id", frame: { range: [-2, 0] } }),
        v: col("name")
          .nthValue(2)
          .over({ partitionBy: col("id").mod(2) }),
        c: col("id").cumSum(),
      }),
    );
    expect(back.explain()).toContain(
      "Window: partitionBy=[city], orderBy=[score desc nulls first]",
    );
    await expectRoundTrip(
      people.filter(rowNumber().over({ partitionBy: "city", orderBy: "id" }).eq(1)),
    );
  });
  it("concat", async () => {
    await expectRoundTrip(
      people.select("id").concat(DataFrame.range(5).select(col("id").cast("float64").alias("id"))),
    );
  });
  it("sink: the write travels with the plan", async () => {
    const target = path.join(dir, "out", "by-city");
    const df = new DataFrame(
      sinkNode(people.select("id", "city").plan, {
        format: "parquet",
        path: target,
        options: { partitionBy: ["city"], compression: "snappy" },
      }),
    );
    const back = travel(df);
    expect(back.explain()).toBe(df.explain());
    expect(back.explain()).toMatch(
      /^== Logical plan ==\nSink: parquet by-city partitionBy=\[city\] compression=snappy/,
    );
    const [local] = await df.toRecords({ int64: "number" });
    const [remote] = await back.toRecords({ int64: "number" });
    expect(remote).toEqual(local);
    expect(local).toMatchObject({ path: target, rows: 4 });
    expect(await readParquet(`${target}/*/*.parquet`).count()).toBe(4);
  });
});
