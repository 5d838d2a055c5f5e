import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { col, DataFrame, fromModule, PlanError, readParquet, udf } from "@deft/core";
import { MAX_INLINE_BYTES, outerNames, type SourceNode, scanSource } from "@deft/core/internal";
import { describe, expect, it } from "vitest";
import { CountingSource } from "../helpers.js";

const travel = (df: DataFrame): DataFrame => DataFrame.fromJSON(JSON.stringify(df));
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "deft-plan-udf-"));
const scores = DataFrame.fromRecords([
  { id: 1, score: 7.5 },
  { id: 2, score: null },
  { id: 3, score: 2 },
]);
const gradeRef = fromModule(new URL("./fixtures/udfs.ts", import.meta.url), "grade");

describe("UDFs in plans as JSON", () => {
  it("a self-contained function travels by its source text, with its options", async () => {
    const bump = udf((x: number | null) => (x === null ? -1 : x + 1), {
      returns: "float64",
      retries: 2,
      maxConcurrency: 3,
      name: "bump",
    });
    const df = scores.withColumn("next", bump(col("score"))).filter(bump(col("id")).gt(2));
    const json = JSON.parse(JSON.stringify(df));
    expect(json.udfs).toHaveLength(1);
    expect(json.udfs[0]).toMatchObject({
      name: "bump",
      kind: "row",
      returns: "float64",
      options: { retries: 2, maxConcurrency: 3 },
      source: { kind: "fnSource" },
    });
    const back = DataFrame.fromJSON(json);
    expect(back.explain({ optimized: true })).toBe(df.explain({ optimized: true }));
    expect(await back.toRecords()).toEqual(await df.toRecords());
  });

  it("a fromModule UDF and a batch UDF on worker threads travel", async () => {
    const twice = udf.batch((xs: { toArray(): Float64Array }) => xs.toArray().map((x) => x * 2), {
      returns: "float64",
      workers: 1,
      name: "twice",
    });
    const df = scores
      .withColumn("grade", udf(gradeRef, { returns: "utf8" })(col("score")))
      .withColumn("double", twice(col("id").cast("float64")));
    const back = travel(df);
    expect(await back.toRecords()).toEqual(await df.toRecords());
    expect(await back.toColumns()).toMatchObject({
      grade: ["high", "none", "low"],
      double: [2, 4, 6],
    });
  });

  it("an inline class travels with its constructor arguments", async () => {
    class Prefix {
      constructor(private readonly p: { text: string; n: bigint }) {}
      call(id: number): string {
        return `${this.p.text}${id}/${this.p.n}`;
      }
    }
    const tag = udf.cls(Prefix, { returns: "utf8", args: [{ text: "row-", n: 5n }] });
    const df = scores.withColumn("tag", tag(col("id")));
    expect((await travel(df).toColumns()).tag).toEqual(["row-1/5", "row-2/5", "row-3/5"]);
  });

  it("a closure over outer variables throws a PlanError naming the UDF and the fix", () => {
    const offset = 10;
    const shift = udf((x: number) => x + offset, { returns: "float64", name: "shift" });
    const df = scores.withColumn("s", shift(col("score")));
    expect(() => JSON.stringify(df)).toThrow(PlanError);
    expect(() => JSON.stringify(df)).toThrow(
      /UDF "shift" reads "offset" from outside the function.*fromModule\(new URL/,
    );
  });

  it("a built-in function or a non-plain constructor argument cannot travel", () => {
    const sqrt = udf(Math.sqrt, { returns: "float64", name: "sqrt" });
    expect(() => JSON.stringify(scores.withColumn("r", sqrt(col("score"))))).toThrow(
      /UDF "sqrt" is a built-in function/,
    );
    class Holder {
      call(x: number): number {
        return x;
      }
    }
    const held = udf.cls(Holder, { returns: "float64", args: [new Map()], name: "held" });
    expect(() => JSON.stringify(scores.withColumn("h", held(col("score"))))).toThrow(
      /constructor argument 1 of UDF "held" is a Map/,
    );
  });

  it("outerNames finds reads of outer variables and nothing else", () => {
    const cases: [string, string[]][] = [
      ["(x) => Math.max(x, 1) + Number.EPSILON", []],
      [
        "function f(a, { b, c: [d = e] }, ...rest) { var v = a + b + d; return f(v, rest, arguments); }",
        ["e"],
      ],
      [
        "(x) => { const { y = z } = x; try { g(y) } catch ({ message }) { return message } }",
        ["g", "z"],
      ],
      ["(xs) => xs.map((x) => x.total * rate).filter(Boolean)", ["rate"]],
      [
        "class A extends Base { static k = K; m() { return this.n + A.q + new Helper() } }",
        ["Base", "Helper", "K"],
      ],
      [
        "async (url) => { for (const [k, v] of Object.entries(url)) await fetch(`${k}${v}${tpl}`) }",
        ["tpl"],
      ],
      [
        "call(x) { label: for (let i = 0; i < x; i++) { if (i) continue label } return { x, y: cfg.y } }",
        ["cfg"],
      ],
    ];
    for (const [code, names] of cases) expect(outerNames(code, "call"), code).toEqual(names);
    expect(outerNames("this is not code", "f")).toBeNull();
  });
});

describe("sources that cannot travel", () => {
  it(`an in-memory table larger than the bound (${MAX_INLINE_BYTES / 2 ** 20} MiB) throws naming it`, () => {
    const big = DataFrame.fromColumns({ x: new Float64Array(MAX_INLINE_BYTES / 8 + 65_536) });
    expect(() => JSON.stringify(big.filter(col("x").gt(0)))).toThrow(
      /more than 16 MiB as Arrow IPC.*writeParquet/,
    );
    // A table within the bound travels.
    const small = DataFrame.fromColumns({ x: new Float64Array(1000) });
    expect(JSON.stringify(small).length).toBeLessThan(20_000);
  });

  it("a ScanSource object given to fromSource throws naming its kind", () => {
    const df = DataFrame.fromSource(new CountingSource(1, 10));
    expect(() => JSON.stringify(df)).toThrow(/"counting" source was given to DataFrame.fromSource/);
  });

  it("bad JSON says where it is wrong", () => {
    const json = JSON.parse(JSON.stringify(scores.limit(1)));
    expect(() => DataFrame.fromJSON("{")).toThrow(/not JSON/);
    expect(() => DataFrame.fromJSON({ ...json, version: 9 })).toThrow(/plan version 1, got 9/);
    json.plan.kind = "teleport";
    expect(() => DataFrame.fromJSON(json)).toThrow(/plan.kind: unknown node kind "teleport"/);
  });

  it("decoding a plan again reuses the opened source until its files change", async () => {
    const dir = tmp();
    const file = path.join(dir, "t.parquet");
    await scores.writeParquet(file);
    const df = readParquet(file);
    const json = JSON.stringify(df);
    const opened = scanSource(df.plan as SourceNode);
    expect(scanSource(DataFrame.fromJSON(json).plan as SourceNode)).toBe(opened);
    await scores.limit(1).writeParquet(file);
    const fresh = DataFrame.fromJSON(json);
    expect(scanSource(fresh.plan as SourceNode)).not.toBe(opened);
    expect(await fresh.count()).toBe(1);
  });

  it("a file that changed its columns fails at fromJSON naming the column", async () => {
    const dir = tmp();
    const file = path.join(dir, "t.parquet");
    await scores.writeParquet(file);
    const json = JSON.stringify(readParquet(file).select("id", "score"));
    await scores.select("id").writeParquet(file);
    expect(() => DataFrame.fromJSON(json)).toThrow(/Unknown column "score"/);
  });
});

describe("a plan run by another process", () => {
  it("a child process given the JSON of a plan with a fromModule UDF returns the same rows", async () => {
    const dir = tmp();
    const file = path.join(dir, "scores.parquet");
    await DataFrame.range(40)
      .withColumn("score", col("id").cast("float64").mod(9))
      .writeParquet(file, { rowGroupSize: 8 });
    const grade = udf(gradeRef, { returns: "utf8" });
    const df = readParquet(file)
      .filter(col("id").gt(5))
      .withColumn("grade", grade(col("score")))
      .groupBy("grade")
      .agg(col("id").count().alias("n"), col("score").sum().alias("total"))
      .sort("grade");
    const planFile = path.join(dir, "plan.json");
    fs.writeFileSync(planFile, JSON.stringify(df));
    const script = new URL("./fixtures/run-plan.ts", import.meta.url).pathname;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", script, planFile],
      {
        cwd: new URL("../../", import.meta.url).pathname,
        timeout: 60_000,
        env: { ...process.env, NODE_OPTIONS: "--conditions=source" },
      },
    );
    const local = await df.toRecords({ int64: "number" });
    expect(local).toHaveLength(2);
    expect(JSON.parse(stdout)).toEqual(local);
  });
});
