// The API reference (`pnpm docs:api`, typedoc.json) must build without a warning: a public
// type that stops compiling, a broken {@link} or a bad typedoc option fails here, not on the
// day someone publishes the docs. `--emit none` converts and validates without writing HTML.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const run = promisify(execFile);
const root = fileURLToPath(new URL("..", import.meta.url));
const typedoc = fileURLToPath(new URL("../node_modules/typedoc/bin/typedoc", import.meta.url));

it("typedoc converts @deft/core, @deft/pipeline and @deft/distributed with no errors or warnings", async () => {
  const { stdout, stderr } = await run(process.execPath, [typedoc, "--emit", "none"], {
    cwd: root,
    timeout: 120_000,
  }).catch((err: { stdout?: string; stderr?: string; message: string }) => {
    throw new Error(`typedoc failed:\n${err.stdout ?? ""}${err.stderr ?? err.message}`);
  });
  const log = stdout + stderr;
  // Both packages were converted: an entry point that silently matched nothing would pass.
  expect(log).toContain("Converting project at ./packages/core");
  expect(log).toContain("Converting project at ./packages/pipeline");
  expect(log).toContain("Converting project at ./packages/distributed");
  expect(log).not.toMatch(/\[warning\]|\[error\]/);
}, 120_000);
