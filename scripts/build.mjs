// Builds the package in the current directory: an ESM bundle per entry point (dependencies
// stay external, so parquet-wasm finds its wasm next to its own file) plus .d.ts from tsc.
import { existsSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { build } from "esbuild";

const require = createRequire(import.meta.url);
const entries = ["src/index.ts", "src/udf/worker-entry.ts"].filter((f) => existsSync(f));
rmSync("dist", { recursive: true, force: true });
await build({
  entryPoints: entries.map((f) => ({ in: f, out: f === "src/index.ts" ? "index" : "worker" })),
  outdir: "dist",
  bundle: true,
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
