import fs from "node:fs";
import path from "node:path";
import { col, lit } from "@deft/core";
import {
  FileError,
  globFiles,
  ParquetSource,
  readParquet,
  writeParquetBatches,
} from "@deft/core/internal";
import { RecordBatch, Schema, tableFromArrays } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { collect, ctx, FLIGHTS, probe, rowCount, tmpDir } from "./helpers.js";

// Reference figures computed independently with DuckDB over the same file.
const FLIGHTS_ROWS = 3_000_000;
const SUM_DELAY = 20_003_603n;
const SUM_DISTANCE = 2_194_861_208n;
const DELAY_GT_100 = { rows: 63_449, sumDelay: 9_983_756n };
const ORIGIN_ORD = 166_341;

describe("Parquet source on flights-3m (ZSTD, timestamps, strings)", () => {
  it("reads the schema from the footer when the plan is built", () => {
    const src = new ParquetSource(FLIGHTS);
    expect(src.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      "date:Timestamp<MICROSECOND>",
      "delay:Int64",
      "distance:Int64",
      "origin:LargeUtf8",
      "destination:LargeUtf8",
    ]);
    expect(src.numRows).toBe(FLIGHTS_ROWS);
    expect(src.describe()).toBe("parquet flights-3m.parquet (11 row groups, 3000000 rows)");
    const df = readParquet(FLIGHTS);
    expect(df.columns).toEqual(["date", "delay", "distance", "origin", "destination"]);
  });

  it("matches DuckDB's aggregates", async () => {
    const src = new ParquetSource(FLIGHTS);
    let sumDelay = 0n;
    let sumDistance = 0n;
    let ord = 0;
    let minDate = BigInt(Number.MAX_SAFE_INTEGER) * 1000n;
    const dec = new TextDecoder();
    for await (const b of src.scan({}, ctx())) {
      const d = b.getChild("delay")!.data[0]!.values as BigInt64Array;
      const km = b.getChild("distance")!.data[0]!.values as BigInt64Array;
      const ts = b.getChild("date")!.data[0]!.values as BigInt64Array;
      for (let i = 0; i < b.numRows; i++) {
        sumDelay += d[i]!;
        sumDistance += km[i]!;
        if (ts[i]! < minDate) minDate = ts[i]!;
      }
      const o = b.getChild("origin")!.data[0]!;
      const offs = o.valueOffsets as BigInt64Array;
      for (let i = 0; i < b.numRows; i++) {
        if (dec.decode(o.values.subarray(Number(offs[i]), Number(offs[i + 1]))) === "ORD") ord++;
      }
    }
    expect(sumDelay).toBe(SUM_DELAY);
    expect(sumDistance).toBe(SUM_DISTANCE);
    expect(ord).toBe(ORIGIN_ORD);
    expect(minDate).toBe(978_307_260_000_000n); // 2001-01-01 00:01:00 in µs
  });

  it("decodes only the requested columns, in the requested order", async () => {
    const src = new ParquetSource(FLIGHTS);
    const p = probe();
    const batches = await collect(src.scan({ columns: ["origin", "delay"] }, p.ctx));
    expect(batches[0]!.schema.fields.map((f) => f.name)).toEqual(["origin", "delay"]);
    expect(rowCount(batches)).toBe(FLIGHTS_ROWS);
    expect(p.scan()).toMatchObject({
      format: "parquet",
      columnsDecoded: ["origin", "delay"],
      filesOpened: 1,
      rowGroupsRead: 11,
      rowsRead: FLIGHTS_ROWS,
      tasks: 11,
    });
  });

  it("skips row groups whose statistics cannot match the filter", async () => {
    const src = new ParquetSource(FLIGHTS);
    const filter = col("date").gte(lit(new Date("2001-06-01T00:00:00Z"))).node;
    const p = probe();
    const batches = await collect(src.scan({ columns: ["date"], filter }, p.ctx));
    expect(p.scan().rowGroupsSkipped).toBeGreaterThan(5);
    expect(p.scan().rowGroupsRead + p.scan().rowGroupsSkipped).toBe(11);
    // Every row that matches is still delivered (the filter itself runs downstream).
    const cutoff = BigInt(Date.parse("2001-06-01T00:00:00Z")) * 1000n;
    let matches = 0;
    for (const b of batches) {
      const ts = b.getChild("date")!.data[0]!.values as BigInt64Array;
      for (const t of ts) if (t >= cutoff) matches++;
    }
    const all = await collect(new ParquetSource(FLIGHTS).scan({ columns: ["date"] }, ctx()));
    let expected = 0;
    for (const b of all)
      for (const t of b.getChild("date")!.data[0]!.values as BigInt64Array)
        if (t >= cutoff) expected++;
    expect(matches).toBe(expected);
  });

  it("never skips on shapes it does not understand", async () => {
    const src = new ParquetSource(FLIGHTS);
    const filter = col("delay").add(1).gt(100000).node;
    const p = probe();
    await collect(src.scan({ columns: ["delay"], filter, limit: 1 }, p.ctx));
    expect(p.scan().rowGroupsSkipped).toBe(0);
  });

  it("stops decoding once the limit is reached", async () => {
    const src = new ParquetSource(FLIGHTS, { batchSize: 1000 });
    const p = probe(2);
    const batches = await collect(src.scan({ limit: 2500 }, p.ctx));
    expect(rowCount(batches)).toBe(2500);
    // The limit is planned from the footer's row counts: even with read-ahead, one row group.
    expect(p.scan()).toMatchObject({ rowGroupsRead: 1, tasks: 1, rowsRead: 2500 });
  });

  it.each([1, 2])("stops reading when the consumer stops pulling (threads %i)", async (threads) => {
    const src = new ParquetSource(FLIGHTS, { batchSize: 10_000 });
    const p = probe(threads);
    let n = 0;
    for await (const b of src.scan({}, p.ctx)) {
      n += b.numRows;
      if (n >= 30_000) break;
    }
    expect(p.scan().rowsRead).toBe(30_000);
    // One thread decodes only what is asked for; more hold at most four tasks each (running,
    // or decoded and waiting), so the scan stops short of the file's 11 row groups.
    if (threads === 1) expect(p.scan().rowGroupsRead).toBe(1);
    else expect(p.scan().rowGroupsRead).toBeLessThanOrEqual(1 + 4 * threads);
  });

  it("rejects with an AbortError when the signal aborts", async () => {
    const ac = new AbortController();
    const src = new ParquetSource(FLIGHTS, { batchSize: 10_000 });
    const run = (async () => {
      for await (const _ of src.scan({}, ctx(ac.signal))) ac.abort();
    })();
    await expect(run).rejects.toThrow(/aborted/);
  });

  it("answers count-only scans from the footer without decoding", async () => {
    const src = new ParquetSource(FLIGHTS);
    const p = probe();
    const batches = await collect(src.scan({ columns: [] }, p.ctx));
    expect(rowCount(batches)).toBe(FLIGHTS_ROWS);
    expect(p.scan()).toMatchObject({ filesOpened: 0, tasks: 0, rowsRead: FLIGHTS_ROWS });
  });

  it("runs through a DataFrame: filter and count agree with DuckDB", async () => {
    const n = await readParquet(FLIGHTS).filter(col("delay").gt(100)).count();
    expect(n).toBe(DELAY_GT_100.rows);
    const t = await readParquet(FLIGHTS, { columns: ["delay"] })
      .filter(col("delay").gt(100))
      .toArrow();
    let s = 0n;
    for (const v of t.getChild("delay")!) s += v as bigint;
    expect(s).toBe(DELAY_GT_100.sumDelay);
  });
});

describe("Parquet multi-file reads", () => {
  async function writeParts(
    dir: string,
    tables: ReturnType<typeof tableFromArrays>[],
  ): Promise<string[]> {
    const paths: string[] = [];
    for (const [i, t] of tables.entries()) {
      const p = path.join(dir, `part-${i}.parquet`);
      await writeParquetBatches(t.batches, t.schema, p);
      paths.push(p);
    }
    return paths;
  }

  it("reads a glob in file order as one table and prunes per file", async () => {
    const dir = tmpDir();
    await writeParts(dir, [
      tableFromArrays({ x: Int32Array.from([1, 2, 3]) }),
      tableFromArrays({ x: Int32Array.from([10, 11]) }),
      tableFromArrays({ x: Int32Array.from([20]) }),
    ]);
    expect(globFiles(path.join(dir, "*.parquet")).map((p) => path.basename(p))).toEqual([
      "part-0.parquet",
      "part-1.parquet",
      "part-2.parquet",
    ]);
    const src = new ParquetSource(path.join(dir, "part-*.parquet"));
    expect(src.numRows).toBe(6);
    const all = await collect(src.scan({}, ctx()));
    expect(all.flatMap((b) => [...b.getChild("x")!])).toEqual([1, 2, 3, 10, 11, 20]);
    const p = probe();
    await collect(src.scan({ filter: col("x").gte(10).and(col("x").lt(15)).node }, p.ctx));
    expect(p.scan()).toMatchObject({ rowGroupsRead: 1, rowGroupsSkipped: 2, filesOpened: 1 });
    expect(src.describe({ filter: col("x").gt(1).node })).toMatch(
      /parquet 3 files \[part-0.parquet, part-1.parquet, part-2.parquet\] \(3 row groups, 6 rows\) filter=/,
    );
  });

  it("a file of required (non-null) columns, pruned by select, comes back as the plan's schema", async () => {
    const dir = tmpDir();
    const t = tableFromArrays({ a: Int32Array.from([1, 2, 3]), b: Float64Array.from([1, 2, 3]) });
    const schema = new Schema(t.schema.fields.map((f) => f.clone({ nullable: false })));
    const file = path.join(dir, "required.parquet");
    await writeParquetBatches(
      t.batches.map((b) => new RecordBatch(schema, b.data)),
      schema,
      file,
    );
    const df = readParquet(file).select("b");
    const out = await df.toArrow({ threads: 1 });
    expect(out.schema.fields.map((f) => [f.name, f.nullable])).toEqual([["b", true]]);
    expect([...out.getChild("b")!]).toEqual([1, 2, 3]);
  });

  it("names both files and the column when schemas differ", async () => {
    const dir = tmpDir();
    const [a, b] = await writeParts(dir, [
      tableFromArrays({ x: Int32Array.from([1]) }),
      tableFromArrays({ x: Float64Array.from([1]) }),
    ]);
    expect(() => new ParquetSource([a!, b!])).toThrow(
      new RegExp(`"${a}" and "${b}".*column "x" is Int32 in the first and Float64`),
    );
  });

  it("finds files recursively with **", async () => {
    const dir = tmpDir();
    fs.mkdirSync(path.join(dir, "a", "b"), { recursive: true });
    for (const p of ["top.parquet", "a/one.parquet", "a/b/two.parquet", "a/b/skip.csv"])
      fs.writeFileSync(path.join(dir, p), "");
    expect(globFiles(`${dir}/**/*.parquet`).map((p) => path.relative(dir, p))).toEqual([
      "a/b/two.parquet",
      "a/one.parquet",
      "top.parquet",
    ]);
  });
});

describe("Parquet errors name the file", () => {
  it("missing file, no match, empty folder", () => {
    expect(() => readParquet("/nonexistent/x.parquet")).toThrow(
      /Parquet file "\/nonexistent\/x.parquet": no such file/,
    );
    const dir = tmpDir();
    expect(() => readParquet(`${dir}/*.parquet`)).toThrow(/the pattern matches no files/);
    expect(() => readParquet(dir)).toThrow(/is a folder that holds no files/);
    fs.writeFileSync(path.join(dir, "_SUCCESS"), "");
    fs.mkdirSync(path.join(dir, ".hidden"));
    fs.writeFileSync(path.join(dir, ".hidden", "x.parquet"), "");
    expect(() => readParquet(dir)).toThrow(/is a folder that holds no files/);
  });

  it("not a Parquet file, truncated file", () => {
    const dir = tmpDir();
    const junk = path.join(dir, "junk.parquet");
    fs.writeFileSync(junk, "hello, this is not parquet at all");
    expect(() => new ParquetSource(junk)).toThrow(FileError);
    expect(() => new ParquetSource(junk)).toThrow(
      /junk.parquet": is not a valid Parquet file \(no PAR1 magic/,
    );
    const cut = path.join(dir, "cut.parquet");
    fs.writeFileSync(cut, fs.readFileSync(FLIGHTS).subarray(0, 100_000));
    expect(() => new ParquetSource(cut)).toThrow(/cut.parquet": is not a valid Parquet file/);
  });

  it("a file cut in the middle (footer intact) fails at plan time naming the row group", () => {
    const dir = tmpDir();
    const all = fs.readFileSync(FLIGHTS);
    const metaLen = all.readUInt32LE(all.length - 8);
    const p = path.join(dir, "hole.parquet");
    fs.writeFileSync(
      p,
      Buffer.concat([all.subarray(0, 2000), all.subarray(all.length - metaLen - 8)]),
    );
    expect(() => new ParquetSource(p)).toThrow(
      /hole.parquet": is truncated or corrupt: row group 0, column "\w+" lies outside the file's data/,
    );
  });

  it("unknown column in options names the columns that exist", () => {
    expect(() => readParquet(FLIGHTS, { columns: ["nope"] })).toThrow(
      /has no column "nope". Columns: date, delay, distance, origin, destination/,
    );
  });
});
