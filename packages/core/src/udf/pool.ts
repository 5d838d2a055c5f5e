import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Piscina } from "piscina";

/**
 * One worker pool per process, created on first use and shared by every worker UDF and run.
 * It grows (by replacing itself) when a UDF asks for more threads than it has. Threads start
 * lazily (minThreads 0), leave after `IDLE_MS` without work, and are unref'd by piscina while
 * idle, so a script that used workers exits on its own. (Threads are slow to start, ~50 ms,
 * or far more under tsx, so idle ones are kept a minute for the next run.)
 */
const IDLE_MS = 60_000;

interface SharedPool {
  pool: Piscina;
  size: number;
  tsx: boolean;
}

let shared: SharedPool | null = null;

/** Running from TypeScript source (tests, tsx): the worker entry is a .ts file too. */
const sourceMode = import.meta.url.endsWith(".ts");

function workerEntry(): string {
  return sourceMode
    ? new URL("./worker-entry.ts", import.meta.url).href
    : new URL("./worker.js", import.meta.url).href;
}

/** The tsx loader's URL for a worker's `--import` (the package that this module resolves). */
export function tsxImport(): string {
  try {
    return pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
  } catch {
    return "tsx";
  }
}

/** Whether the main thread itself was started with tsx (so .ts modules can be imported). */
export function mainUsesTsx(): boolean {
  const args = [...process.execArgv, process.env.NODE_OPTIONS ?? ""].join(" ");
  return /\btsx\b/.test(args);
}

/**
 * Whether worker threads need tsx to import a UDF module: a TypeScript file, or (when this
 * program runs under tsx, which resolves `./x.js` to `./x.ts`) a `.js` name whose file is
 * missing while its TypeScript twin exists. JavaScript modules and shipped source load
 * without it, so their threads skip tsx's start-up cost.
 */
export function moduleNeedsTsx(url: string): boolean {
  if (/\.(ts|mts|cts)$/.test(url)) return true;
  if (!mainUsesTsx() || !url.startsWith("file:")) return false;
  const path = fileURLToPath(url);
  const twin = path.replace(/\.(m|c)?js$/, (_, m: string | undefined) => `.${m ?? ""}ts`);
  return twin !== path && !existsSync(path) && existsSync(twin);
}

/** The shared pool with at least `threads` threads; `tsModules` when a UDF imports .ts code. */
export function workerPool(threads: number, tsModules: boolean): Piscina {
  const tsx = sourceMode || tsModules;
  if (shared && shared.size >= threads && (shared.tsx || !tsx)) return shared.pool;
  const old = shared;
  // A replacement keeps the loader of the pool it replaces.
  const withTsx = tsx || (old?.tsx ?? false);
  const size = Math.max(threads, old?.size ?? 0);
  const pool = new Piscina({
    filename: workerEntry(),
    minThreads: 0,
    maxThreads: size,
    idleTimeout: IDLE_MS,
    // Tasks await everything they start, so the fast Atomics hand-off between tasks is safe.
    atomics: "sync",
    // deft never reads piscina's run/wait-time histograms; recording them costs every task.
    recordTiming: false,
    concurrentTasksPerWorker: 1,
    execArgv: withTsx ? ["--import", tsxImport()] : [],
  });
  shared = { pool, size, tsx: withTsx };
  // The old pool finishes the tasks it has, then its threads exit.
  if (old) void old.pool.close().catch(() => {});
  return pool;
}

/** Closes the shared pool (tests; a normal script does not need this). */
export async function closeWorkerPool(): Promise<void> {
  const s = shared;
  shared = null;
  if (s) await s.pool.close({ force: true });
}

/** Threads currently alive in the shared pool (for tests and diagnostics). */
export function workerPoolThreads(): number {
  return shared ? shared.pool.threads.length : 0;
}
