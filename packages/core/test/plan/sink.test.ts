import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { col, DataFrame, readCsv, readParquet, udf } from "@deft/core";
import { planFromJson, planToJson, sinkNode } from "@deft/core/internal";
import { describe, expect, it } from "vitest";
import { CountingSource, eventually } from "../helpers.js";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "deft-sink-"));

describe("writes run as a Sink node", () => {
  it("the WriteResult comes from the sink's row; part files roll by maxRowsPerFile", async () => {
    const dir = tmp();
    const target = path.join(dir, "parts");
    const res = await DataFrame.range(5).writeCsv(target, { maxRowsPerFile: 2, header: false });
    expect(res.rows).toBe(5);
    expect(res.paths.map((p) => path.relative(target, p))).toEqual([
      "part-00000.csv",
      "part-00001.csv",
      "part-00002.csv",
    ]);
    expect(res.bytes).toBe(res.paths.reduce((n, p) => n + fs.statSync(p).size, 0));
    expect(fs.readFileSync(res.paths[2]!, "utf8")).toBe("4\n");
  });

  it("a path ending in / is a folder of parts, also through the plan's JSON", async () => {
    const dir = tmp();
    const target = path.join(dir, "folder");
    const res = await DataFrame.range(5).writeParquet(`${target}/`);
    expect(res.rows).toBe(5);
    expect(res.paths.map((p) => path.relative(target, p))).toEqual(["part-00000.parquet"]);
    expect(fs.readdirSync(dir)).toEqual(["folder"]);
    expect(await DataFrame.range(5).toColumns()).toEqual(await readParquet(target).toColumns());
    // Written again: the old folder is replaced whole.
    fs.writeFileSync(path.join(target, "part-00007.parquet"), "stale");
    await DataFrame.range(3).writeParquet(`${target}/`);
    expect(fs.readdirSync(target)).toEqual(["part-00000.parquet"]);
    const sink = sinkNode(DataFrame.range(1).plan, {
      format: "parquet",
      path: `${target}/`,
      options: {},
    });
    const back = planFromJson(JSON.parse(JSON.stringify(planToJson(sink))));
    expect(back.kind === "sink" && back.path).toBe(`${target}/`);
  });

  it("part files hold the right rows of every column type (sliced batches)", async () => {
    const dir = tmp();
    const df = DataFrame.fromRecords([
      { i: 1, s: "a", b: true, l: [1], t: new Date(0) },
      { i: 2, s: null, b: false, l: [], t: null },
      { i: 3, s: "ccc", b: null, l: [2, 3], t: new Date(86_400_000) },
    ]);
    const csv = await df
      .select("i", "s", "b", "t")
      .writeCsv(path.join(dir, "c"), { maxRowsPerFile: 2 });
    expect(fs.readFileSync(csv.paths[1]!, "utf8")).toBe(
      "i,s,b,t\n3,ccc,,1970-01-02T00:00:00.000\n",
    );
    const nd = await df.writeJson(path.join(dir, "j"), { maxRowsPerFile: 2 });
    expect(fs.readFileSync(nd.paths[1]!, "utf8")).toBe(
      '{"i":3,"s":"ccc","b":null,"l":[2,3],"t":"1970-01-02T00:00:00.000"}\n',
    );
  });

  it("an aborted write rejects with an AbortError and leaves no temporary file", async () => {
    const dir = tmp();
    const source = new CountingSource(1000, 100, { delayMs: 5 });
    const ac = new AbortController();
    const write = DataFrame.fromSource(source).writeParquet(path.join(dir, "x.parquet"), {
      signal: ac.signal,
    });
    await eventually(() => source.produced >= 3);
    ac.abort();
    await expect(write).rejects.toMatchObject({ name: "AbortError" });
    expect(fs.readdirSync(dir)).toEqual([]);
    await eventually(() => source.closed);
  });

  it("a UDF failing midway leaves no output; run options stay out of the plan", async () => {
    const dir = tmp();
    const boom = udf(
      (x: bigint) => {
        if (x === 700n) throw new Error("bad row");
        return Number(x);
      },
      { returns: "float64", name: "boom" },
    );
    const df = DataFrame.range(1000).withColumn("y", boom(col("id")));
    await expect(
      df.writeJson(path.join(dir, "out.ndjson"), { progress: () => {} }),
    ).rejects.toThrow(/UDF "boom" failed/);
    expect(fs.readdirSync(dir)).toEqual([]);
    await DataFrame.range(3).writeCsv(path.join(dir, "ok.csv"), {
      delimiter: ";",
      progress: () => {},
    });
    expect(await readCsv(path.join(dir, "ok.csv"), { delimiter: ";" }).count()).toBe(3);
  });
});
