// `pnpm bench [name...]`: runs the named workloads (all of them when none is named), each in a
// child process of its own, so one workload's heap, JIT state and native thread pools never
// leak into the next one's figures. The child gets `--expose-gc` (the runner collects garbage
// between timed runs) and `--conditions=source` (so @deft/* resolve to their TypeScript
// sources, the same code the tests run, with no build step needed) — except the workloads in
// BUILT_JS, which measure deft as a user's script loads it: from the built JavaScript.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { renderConsoleTable, runWorkload, type Workload, writeResults } from "./runner.js";

const workloadsDir = new URL("./workloads/", import.meta.url);
const resultsDir = new URL("../results/", import.meta.url);

/** Workloads that load @deft/* from `dist/` (`pnpm build` first), as the README demo does. */
const BUILT_JS = new Set(["demo"]);

function availableWorkloads(): string[] {
  return readdirSync(workloadsDir)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
    .map((f) => f.slice(0, -3))
    .sort();
}

function isWorkload(value: unknown): value is Workload {
  const w = value as Partial<Workload> | undefined;
  return typeof w?.name === "string" && typeof w.description === "string" && Array.isArray(w.cases);
}

async function runChild(file: string): Promise<number> {
  const mod = (await import(new URL(`${file}.ts`, workloadsDir).href)) as { default?: unknown };
  if (!isWorkload(mod.default)) {
    throw new Error(
      `benchmarks/src/workloads/${file}.ts must \`export default\` a workload ({ name, description, cases })`,
    );
  }
  const result = await runWorkload(mod.default);
  console.log(`\n${renderConsoleTable(result)}`);
  const paths = writeResults(result, resultsDir);
  console.log(`\nwrote ${paths.json} and ${paths.md} (${result.totalSeconds} s)`);
  return result.cases.some((c) => c.status === "failed") ? 1 : 0;
}

function runParent(names: string[]): number {
  const known = availableWorkloads();
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    console.error(`unknown workload(s): ${unknown.join(", ")}; available: ${known.join(", ")}`);
    return 2;
  }
  const selected = names.length > 0 ? names : known;
  const execArgv = [...new Set([...process.execArgv, "--expose-gc"])];
  const self = fileURLToPath(import.meta.url);
  const started = performance.now();
  const failed: string[] = [];
  for (const name of selected) {
    const conditions = BUILT_JS.has(name) ? [] : ["--conditions=source"];
    if (
      BUILT_JS.has(name) &&
      !existsSync(new URL("../../packages/core/dist/index.js", import.meta.url))
    ) {
      console.error(`workload ${name} loads the built packages: run \`npx pnpm@10 build\` first`);
      failed.push(`${name} (not built)`);
      continue;
    }
    const child = spawnSync(process.execPath, [...execArgv, ...conditions, self, "--child", name], {
      stdio: "inherit",
    });
    if (child.status !== 0) failed.push(`${name} (exit ${child.status ?? child.signal})`);
  }
  const secs = ((performance.now() - started) / 1000).toFixed(0);
  console.log(`\nbenchmarks: ${selected.length} workload(s) in ${secs} s`);
  if (failed.length > 0) console.error(`failed: ${failed.join(", ")}`);
  return failed.length > 0 ? 1 : 0;
}

const args = process.argv.slice(2);
if (args[0] === "--child" && args[1]) {
  // Exit explicitly: a native peer (DuckDB, polars) may keep idle threads referenced.
  process.exit(await runChild(args[1]));
} else if (args.includes("--list")) {
  console.log(availableWorkloads().join("\n"));
} else {
  process.exitCode = runParent(args.filter((a) => a !== "--"));
}
