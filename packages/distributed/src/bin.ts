#!/usr/bin/env node
// deft-worker: a worker process of a deft cluster (see docs/distributed.md).
import { parseArgs } from "node:util";
import { startWorker } from "./worker.js";

const HELP = `Usage: deft-worker --redis <url> --work-dir <dir> [--threads <n>] [--name <name>]

Runs deft tasks from the queue on <url> until stopped (SIGINT or SIGTERM let running
tasks finish first).

  --redis <url>      the cluster's Redis, e.g. redis://10.0.0.5:6379
  --work-dir <dir>   the shared folder the runners use, under the same path they see
  --threads <n>      compute threads, and tasks run at once (default 1)
  --name <name>      the name this worker reports (default host:pid)
  --help             this text
`;

async function main(): Promise<void> {
  let values: {
    redis?: string;
    "work-dir"?: string;
    threads?: string;
    name?: string;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      options: {
        redis: { type: "string" },
        "work-dir": { type: "string" },
        threads: { type: "string" },
        name: { type: "string" },
        help: { type: "boolean" },
      },
    }));
  } catch (err) {
    fail(`${(err as Error).message}\n\n${HELP}`);
  }
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  if (!values.redis) fail(`deft-worker: --redis is required\n\n${HELP}`);
  if (!values["work-dir"]) fail(`deft-worker: --work-dir is required\n\n${HELP}`);
  const threads = values.threads === undefined ? 1 : Number(values.threads);
  if (!Number.isInteger(threads) || threads < 1)
    fail(`deft-worker: --threads must be a positive integer, got "${values.threads}"`);
  const worker = await startWorker({
    url: values.redis,
    workDir: values["work-dir"],
    threads,
    ...(values.name ? { name: values.name } : {}),
  });
  process.stdout.write(`deft-worker ${worker.name} ready\n`);
  const stop = () => {
    void worker.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

main().catch((err: unknown) => {
  fail(`deft-worker: ${err instanceof Error ? err.message : String(err)}`);
});
