// Runs the README's demo the way a user would (a child process, real files, real HTTP server,
// real worker threads) and checks what it wrote and printed. The expected figures were
// computed independently with DuckDB over the same file: 3,399 routes, 229 origin airports,
// 3,167 routes with at least 100 flights, the worst being HNL -> MSP (188 flights, average
// delay 39.98936170212766 min, 47 late).
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { readParquet } from "@deft/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = fileURLToPath(new URL("..", import.meta.url));
const outDir = mkdtempSync(join(tmpdir(), "deft-demo-"));
let stdout = "";
let stderr = "";
let elapsedMs = 0;

beforeAll(async () => {
  const start = performance.now();
  ({ stdout, stderr } = await run(
    process.execPath,
    ["--import", "tsx", "--conditions", "source", "examples/demo.ts", outDir],
    // The timeout also proves the process exits on its own: idle worker threads or an open
    // server would keep it running until killed, and the run would reject.
    { cwd: root, timeout: 120_000 },
  ));
  elapsedMs = performance.now() - start;
}, 130_000);

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe("examples/demo.ts", () => {
  it("exits by itself without errors", () => {
    expect(stderr).not.toMatch(/Error|Warning/);
    expect(elapsedMs).toBeLessThan(120_000);
  });

  it("prints the optimized plans, with only the used Parquet columns read", () => {
    expect(stdout).toContain("== Optimized plan ==");
    expect(stdout).toContain("columns=[delay, distance, origin, destination]");
    expect(stdout).toMatch(/Join: inner on origin/);
  });

  it("writes one row per route with at least 100 flights, worst average delay first", async () => {
    const path = join(outDir, "routes.parquet");
    const routes = readParquet(path);
    expect(routes.columns).toEqual([
      "origin",
      "city",
      "destination",
      "flights",
      "avg_delay",
      "late_pct",
      "sky",
      "route_id",
    ]);
    const cols = await routes.toColumns({ int64: "number" });
    expect(cols.origin).toHaveLength(3167);
    const flights = cols.flights as number[];
    const delays = cols.avg_delay as number[];
    expect(Math.min(...flights)).toBeGreaterThanOrEqual(100);
    for (let i = 1; i < delays.length; i++) expect(delays[i]!).toBeLessThanOrEqual(delays[i - 1]!);
    expect([cols.origin[0], cols.destination[0], flights[0]]).toEqual(["HNL", "MSP", 188]);
    expect(delays[0]).toBeCloseTo(39.98936170212766, 10);
    expect(cols.late_pct[0]).toBeCloseTo((47 / 188) * 100, 10);
    expect(cols.city[0]).toBe("Honolulu");
    // Every row got its weather from the HTTP service and an id from a worker thread.
    expect(cols.sky.every((s) => typeof s === "string" && s.length > 0)).toBe(true);
    const ids = cols.route_id as string[];
    expect(ids.every((id) => /^[A-Za-z0-9_-]{16}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("prints the summary table with rows, time and speedup per stage", () => {
    expect(stdout).toMatch(/stage\s+rows in -> out\s+time\s+sequential\s+speedup/);
    expect(stdout).toMatch(/1 scan \+ group by\s+3,000,000 -> 3,399\s/);
    expect(stdout).toMatch(/2 weather API \(async UDF\)\s+229 -> 229\s.*\[1\]\s+\d+\.\dx/);
    expect(stdout).toMatch(
      /3 route ids \(CPU UDF, workers: 2\)\s+3,399 -> 3,399\s.*\[2\].*\[3\]\s+\d+\.\dx/,
    );
    expect(stdout).toMatch(/4 join \+ sort \+ write\s+3,399 -> 3,167\s/);
    expect(stdout).toMatch(/^total\s+\d/m);
    expect(stdout).toMatch(/\[1\] (estimated|measured): HTTP requests one after another/);
    expect(stdout).toMatch(/\[2\] includes starting the 2 worker threads/);
    expect(stdout).toMatch(/\[3\] (estimated|measured): routeId calls on the main thread/);
  });
});
