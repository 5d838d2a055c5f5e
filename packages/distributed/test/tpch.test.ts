// TPC-H on worker processes: every query of the benchmark generator at scale factor 0.01,
// distributed, answers exactly as the local run does and as DuckDB does.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RedisRunner, redisRunner } from "@deft/distributed";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerOfArrow, expectSameAnswer } from "../../../benchmarks/src/tpch/answers.js";
import { deftTables, runDeft } from "../../../benchmarks/src/tpch/deft.js";
import { openTpchDuckDB, type TpchDuckDB } from "../../../benchmarks/src/tpch/duckdb.js";
import { ensureTpch, type TpchFiles } from "../../../benchmarks/src/tpch/generate.js";
import { QUERIES } from "../../../benchmarks/src/tpch/queries/index.js";
import { type Cluster, redisServer, startCluster } from "./cluster.js";

const SF = 0.01;
let root: string;
let files: TpchFiles;
let duck: TpchDuckDB;
let cluster: Cluster;
let runner: RedisRunner;

describe.skipIf(!redisServer)("TPC-H SF 0.01 on 2 worker processes", () => {
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "deft-dist-tpch-"));
    files = ensureTpch(SF, root).files;
    duck = await openTpchDuckDB(files);
    cluster = await startCluster({ workers: 2, threads: 2 });
    runner = redisRunner({ url: cluster.url, workDir: cluster.workDir });
  }, 90_000);
  afterAll(async () => {
    await runner?.close();
    await cluster?.stop();
    duck?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("runs the scans' stages on the workers", async () => {
    const before = runner.status().stages.length;
    await QUERIES[0]!.deft(deftTables(files), SF).toArrow({ runner });
    const stages = runner.status().stages.slice(before);
    expect(stages.length).toBeGreaterThan(0);
    expect(stages.every((s) => s.done === s.tasks && s.failed === 0)).toBe(true);
  });

  for (const q of QUERIES) {
    it(`${q.name}: distributed answers as the local run and DuckDB`, async () => {
      const dist = answerOfArrow(await q.deft(deftTables(files), SF).toArrow({ runner }));
      const local = answerOfArrow(await runDeft(q, files, SF));
      expectSameAnswer(q.name, dist, local, q.ordered);
      expectSameAnswer(q.name, dist, await duck.query(q.sql(SF)), q.ordered);
    }, 60_000);
  }
});
