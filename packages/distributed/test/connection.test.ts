import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { col, DataFrame, readParquet } from "@deft/core";
import { CONNECT_TIMEOUT_MS, redisRunner, startWorker } from "@deft/distributed";
import { describe, expect, it } from "vitest";
import { freePort } from "./cluster.js";

describe("an unreachable Redis URL", () => {
  it("fails the first run, naming the URL, within seconds", async () => {
    const url = `redis://127.0.0.1:${await freePort()}`; // nothing listens there
    const runner = redisRunner({ url, workDir: "/tmp/deft-unreachable" });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "deft-unreachable-"));
    const file = path.join(dir, "x.parquet");
    await DataFrame.fromColumns({ x: [1, 2, 3] }).writeParquet(file);
    const err = await readParquet(file)
      .filter(col("x").gt(1))
      .toRecords({ runner })
      .catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain(url);
    expect((err as Error).message).toContain(`${CONNECT_TIMEOUT_MS / 1000} s`);
    await runner.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("fails startWorker naming the URL", async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    await expect(startWorker({ url, workDir: "/tmp/deft-unreachable" })).rejects.toThrow(url);
  });

  it("a URL that is not a Redis URL is an error at once", () => {
    expect(() => redisRunner({ url: "http://x", workDir: "/tmp" })).toThrow(/redis:\/\/host:6379/);
  });
});
