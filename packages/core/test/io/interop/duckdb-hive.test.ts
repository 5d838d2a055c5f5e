import fs from "node:fs";
import path from "node:path";
import { col, lit, readCsv, readJson, readParquet, type ScanEndEvent } from "@deft/core";
import { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tmpDir } from "../helpers.js";
import { arrowRows, duckRows } from "./helpers.js";

// Hive-partitioned folders written by DuckDB (COPY ... PARTITION_BY), read by deft and
// compared with DuckDB's own hive read of the same folder.

let instance: DuckDBInstance;
let con: DuckDBConnection;
let dir: string;

const TABLE = `SELECT i AS id, i * 1.5::DOUBLE AS x, 'r' || i AS name, i % 3 AS k,
  CASE WHEN i % 2 = 0 THEN 'even' ELSE 'odd/x' END AS s,
  DATE '2024-01-01' + (i % 2)::INTEGER AS d FROM range(40) r(i)`;
const RAW = `id, x, name, k, s, d - DATE '1970-01-01' AS d`;

const folders: Record<string, string> = {};

/** The table written by DuckDB as a hive folder of `format`, once per format. */
async function write(format: "parquet" | "csv" | "json"): Promise<string> {
  if (folders[format]) return folders[format];
  const out = path.join(dir, format);
  if (format === "json") {
    // DuckDB partitions Parquet and CSV only: each NDJSON partition is written by its own COPY.
    const parts = await duckRows(con, `SELECT DISTINCT k, s, d::VARCHAR AS d FROM (${TABLE})`);
    for (const p of parts) {
      const sub = path.join(out, `k=${p.k}`, `s=${encodeURIComponent(String(p.s))}`, `d=${p.d}`);
      fs.mkdirSync(sub, { recursive: true });
      await con.run(
        `COPY (SELECT id, x, name FROM (${TABLE}) WHERE k = ${p.k} AND s = '${p.s}' AND d = DATE '${p.d}' ORDER BY id) TO '${sub}/data_0.json' (FORMAT json)`,
      );
    }
  } else {
    await con.run(`COPY (${TABLE}) TO '${out}' (FORMAT ${format}, PARTITION_BY (k, s, d))`);
  }
  folders[format] = out;
  return out;
}

const duckHive = (reader: string, folder: string, where = "") =>
  duckRows(
    con,
    `SELECT ${RAW} FROM ${reader}('${folder}/**/*.*', hive_partitioning = true) ${where} ORDER BY id`,
  );

function scans(): { events: ScanEndEvent[]; progress: (e: { type: string }) => void } {
  const events: ScanEndEvent[] = [];
  return {
    events,
    progress: (e) => {
      if (e.type === "scan:end") events.push(e as ScanEndEvent);
    },
  };
}

beforeAll(async () => {
  instance = await DuckDBInstance.create(":memory:");
  con = await DuckDBConnection.create(instance);
  dir = tmpDir("deft-interop-hive-");
});
afterAll(() => {
  con?.closeSync();
  instance?.closeSync();
});

describe("hive-partitioned folders written by DuckDB", () => {
  it("reads a Parquet folder (path or glob) with the keys as columns, typed as DuckDB types them", async () => {
    const folder = await write("parquet");
    const expected = await duckHive("read_parquet", folder);
    for (const input of [folder, `${folder}/**/*.parquet`]) {
      const df = readParquet(input);
      expect(df.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
        "id:Int64",
        "x:Float64",
        "name:Utf8",
        "k:Int64",
        "s:Utf8",
        "d:Date32<DAY>",
      ]);
      const table = await df.sort("id").toArrow();
      const rows = arrowRows(table).map((r) => ({ ...r, x: r.x }));
      expect(rows).toEqual(expected.map((r) => ({ ...r, x: String(r.x) })));
    }
  });

  it.each([1, 2])(
    "a filter on the keys skips whole folders, counted in scan:end (threads %i)",
    async (threads) => {
      const folder = await write("parquet");
      const total = fs
        .readdirSync(folder, { recursive: true })
        .filter((f) => String(f).endsWith(".parquet")).length;
      const expected = await duckHive("read_parquet", folder, "WHERE k = 1 AND s = 'odd/x'");
      const { events, progress } = scans();
      const table = await readParquet(folder)
        .filter(
          col("k")
            .eq(lit(1))
            .and(col("s").eq(lit("odd/x"))),
        )
        .sort("id")
        .toArrow({ threads, progress });
      expect(arrowRows(table)).toEqual(expected.map((r) => ({ ...r, x: String(r.x) })));
      const opened = events.reduce((n, e) => n + e.filesOpened, 0);
      const skipped = events.reduce((n, e) => n + (e.filesSkipped ?? 0), 0);
      // Only the date folders under k=1/s=odd%2Fx are read.
      const kept = fs.readdirSync(path.join(folder, "k=1", "s=odd%2Fx"), { recursive: true });
      const keptFiles = kept.filter((f) => String(f).endsWith(".parquet")).length;
      expect(keptFiles).toBeGreaterThan(0);
      expect(opened).toBe(keptFiles);
      expect(skipped).toBe(total - keptFiles);
    },
  );

  it("shows the pruning in explain and keeps the plan's JSON readable", async () => {
    const folder = await write("parquet");
    const df = readParquet(folder).filter(col("d").gt(lit(new Date("2024-01-01"))));
    expect(df.explain()).toContain("hive partitions [k, s, d]");
    const rows = arrowRows(await df.sort("id").toArrow());
    expect(rows.map((r) => r.d)).toEqual(rows.map(() => String(19724)));
    expect(rows).toHaveLength(20);
  });

  it("{ hivePartitioning: false } reads the files' own columns only", async () => {
    const folder = await write("parquet");
    const df = readParquet(folder, { hivePartitioning: false });
    expect(df.columns).toEqual(["id", "x", "name"]);
    expect(await df.count()).toBe(40);
  });

  it("reads CSV and NDJSON folders the same way", async () => {
    const csv = await write("csv");
    const json = await write("json");
    const expected = await duckHive("read_parquet", await write("parquet"));
    for (const [df, reread] of [
      [readCsv(csv), () => readCsv(csv)],
      [readJson(json), () => readJson(json)],
    ] as const) {
      expect(df.columns).toEqual(["id", "x", "name", "k", "s", "d"]);
      const rows = arrowRows(await df.select("id", "name", "k", "s", "d").sort("id").toArrow());
      expect(rows).toEqual(expected.map(({ x: _, ...r }) => r));
      const { events, progress } = scans();
      const n = await reread()
        .filter(col("k").eq(lit(2)))
        .count({ progress });
      expect(n).toBe(expected.filter((r) => r.k === "2").length);
      expect(events.at(-1)?.filesSkipped).toBeGreaterThan(0);
    }
  });

  it("files of different layouts are an error naming the file", async () => {
    const a = path.join(dir, "mixed", "k=1");
    fs.mkdirSync(a, { recursive: true });
    await con.run(`COPY (SELECT 1 AS v) TO '${a}/f.parquet'`);
    await con.run(`COPY (SELECT 2 AS v) TO '${path.join(dir, "mixed")}/g.parquet'`);
    expect(() => readParquet(path.join(dir, "mixed"))).toThrow(
      /f\.parquet": has the hive partition keys \[k\] in its path but ".*g\.parquet" has \[\]/,
    );
  });
});
