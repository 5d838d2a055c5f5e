// A cluster for the distributed tests: a redis-server of their own on a free 127.0.0.1 port
// and N deft-worker child processes, all stopped by `stop()`.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { findRedisServer } from "./redis.js";

export const redisServer = findRedisServer();

const BIN = fileURLToPath(new URL("../src/bin.ts", import.meta.url));

export interface Cluster {
  url: string;
  workDir: string;
  /** The live worker processes, by name. */
  workers: Map<string, ChildProcess>;
  startWorker(name?: string, threads?: number): Promise<ChildProcess>;
  /** Kills the worker (SIGKILL: no cleanup, no lock release) and waits for it to exit. */
  killWorker(name: string): Promise<void>;
  /** Stops Redis (SIGTERM: it saves its data) and starts it again on the same port and data. */
  restartRedis(downMs?: number): Promise<void>;
  stopRedis(): Promise<void>;
  startRedis(): Promise<void>;
  /** Everything the cluster started, stopped; its folders removed. */
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function exited(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
  return new Promise((r) => p.once("exit", () => r()));
}

async function ping(url: string): Promise<boolean> {
  const r = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  r.on("error", () => {});
  try {
    await r.connect();
    return (await r.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

export interface ClusterOptions {
  workers: number;
  threads?: number;
  /**
   * Redis's `--appendfsync`: "always" (the default here: the restart tests lose nothing) or
   * "everysec" (Redis's own default with `--appendonly yes`, as docs/distributed.md starts it).
   */
  appendfsync?: "always" | "everysec";
}

export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  if (!redisServer) throw new Error("redis-server is not installed");
  const root = await mkdtemp(join(tmpdir(), "deft-dist-"));
  const workDir = join(root, "work");
  const dataDir = join(root, "redis");
  await import("node:fs/promises").then((fs) =>
    Promise.all([fs.mkdir(workDir), fs.mkdir(dataDir)]),
  );
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let redis: ChildProcess | undefined;
  const workers = new Map<string, ChildProcess>();
  let n = 0;

  const startRedis = async () => {
    redis = spawn(
      redisServer,
      [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--dir",
        dataDir,
        "--save",
        "",
        "--appendonly",
        "yes",
        "--appendfsync",
        opts.appendfsync ?? "always",
        "--maxmemory-policy",
        "noeviction",
        "--protected-mode",
        "no",
      ],
      { stdio: "ignore" },
    );
    for (let i = 0; i < 200; i++) {
      if (await ping(url)) return;
      if (redis.exitCode !== null) throw new Error(`redis-server exited with ${redis.exitCode}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error("redis-server did not start");
  };
  const stopRedis = async () => {
    const r = redis;
    redis = undefined;
    if (!r) return;
    r.kill("SIGTERM");
    await exited(r);
  };

  const startWorker = async (name = `w${n++}`, threads = opts.threads ?? 1) => {
    const child = spawn(
      process.execPath,
      [
        "--conditions=source",
        "--import",
        "tsx",
        BIN,
        "--redis",
        url,
        "--work-dir",
        workDir,
        "--threads",
        String(threads),
        "--name",
        name,
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let err = "";
    child.stderr!.on("data", (d: Buffer) => {
      err += d.toString();
    });
    await new Promise<void>((resolve, reject) => {
      let out = "";
      child.stdout!.on("data", (d: Buffer) => {
        out += d.toString();
        if (out.includes("ready")) resolve();
      });
      child.once("exit", (code) => reject(new Error(`worker ${name} exited (${code}): ${err}`)));
    });
    workers.set(name, child);
    child.once("exit", () => workers.delete(name));
    return child;
  };

  const killWorker = async (name: string) => {
    const w = workers.get(name);
    if (!w) throw new Error(`no worker ${name}`);
    w.kill("SIGKILL");
    await exited(w);
  };

  const stop = async () => {
    await Promise.all(
      [...workers.values()].map(async (w) => {
        w.kill("SIGKILL");
        await exited(w);
      }),
    );
    await stopRedis();
    await rm(root, { recursive: true, force: true });
  };

  try {
    await startRedis();
    await Promise.all(Array.from({ length: opts.workers }, () => startWorker()));
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    url,
    workDir,
    workers,
    startWorker,
    killWorker,
    startRedis,
    stopRedis,
    async restartRedis(downMs = 500) {
      await stopRedis();
      await new Promise((r) => setTimeout(r, downMs));
      await startRedis();
    },
    stop,
  };
}
