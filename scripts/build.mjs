// Builds the package in the current directory: an ESM bundle per entry point (dependencies
// stay external, so parquet-wasm finds its wasm next to its own file) plus .d.ts from tsc.

import { execFileSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { build } from "esbuild";

const require = createRequire(import.meta.url);
const names = {
  "src/index.ts": "index",
  "src/internal.ts": "internal",
  "src/shipping.ts": "shipping",
  "src/udf/worker-entry.ts": "worker",
  "src/exec/threads/worker-entry.ts": "threads-worker",
  "src/bin.ts": "bin",
  // @deft/pipeline's worker-thread side, loaded by its URL (fromModule, the node pool).
  "src/engines/worker-node.ts": "worker-node",
};
const entries = Object.keys(names).filter((f) => existsSync(f));
rmSync("dist", { recursive: true, force: true });
await build({
  entryPoints: entries.map((f) => ({ in: f, out: names[f] })),
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
});
const tsc = require.resolve("typescript/bin/tsc");
execFileSync(
  process.execPath,
  [tsc, "-p", "tsconfig.build.json", "--outDir", "dist", "--rootDir", "src"],
  { stdio: "inherit" },
);
