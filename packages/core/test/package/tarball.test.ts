// The packages as a user gets them: `pnpm pack` makes a tarball of each (workspace versions
// written as real ones), plain npm installs both into an empty folder outside this repository
// (third-party dependencies from the registry), and plain Node runs the README's tour and the
// pipelines guide's first example there, TypeScript types stripped. Needs `pnpm build` first
// (the test command builds before it tests).
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { transform } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../../../", import.meta.url));
const packages = ["core", "pipeline"].map((p) => path.join(root, "packages", p));
const work = mkdtempSync(path.join(os.tmpdir(), "deft-tarball-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The first ```ts block after `heading` in a Markdown file, as plain JavaScript. */
async function example(file: string, heading: string): Promise<string> {
  const text = readFileSync(path.join(root, file), "utf8");
  const from = text.indexOf(heading);
  if (from < 0) throw new Error(`${file} has no "${heading}"`);
  const block = /```ts\n([\s\S]*?)```/.exec(text.slice(from));
  if (!block) throw new Error(`${file} has no ts block after "${heading}"`);
  return (await transform(block[1]!, { loader: "ts", format: "esm" })).code;
}

describe("the packed packages", () => {
  it("install with npm outside the workspace and run the README tour", {
    timeout: 300_000,
  }, async () => {
    for (const dir of packages) {
      if (!existsSync(path.join(dir, "dist", "index.js")))
        throw new Error(`${dir}/dist is missing: run \`npx --yes pnpm@10 build\` first`);
    }
    const tarballs = path.join(work, "tarballs");
    for (const dir of packages) {
      await run("npx", ["--yes", "pnpm@10", "pack", "--pack-destination", tarballs], { cwd: dir });
    }
    const files = ["deft-core-0.1.0.tgz", "deft-pipeline-0.1.0.tgz"].map((f) =>
      path.join(tarballs, f),
    );
    for (const f of files) expect(existsSync(f), f).toBe(true);
    // The packed manifest names real versions, never the workspace protocol.
    const { stdout: manifest } = await run("tar", ["-xzOf", files[1]!, "package/package.json"]);
    expect(manifest).not.toContain("workspace:");
    expect(JSON.parse(manifest).dependencies["@deft/core"]).toBe("0.1.0");

    const app = path.join(work, "app");
    await run("mkdir", ["-p", app]);
    writeFileSync(
      path.join(app, "package.json"),
      JSON.stringify({ name: "tour", private: true, type: "module" }),
    );
    await run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...files], {
      cwd: app,
      maxBuffer: 16 << 20,
    });
    writeFileSync(path.join(app, "tour.mjs"), await example("README.md", "## A short tour"));
    writeFileSync(path.join(app, "pipeline.mjs"), await example("docs/pipelines.md", "# "));
    const env = { ...process.env, NODE_OPTIONS: "" };
    const tour = await run(process.execPath, ["tour.mjs"], { cwd: app, env });
    expect(tour.stdout).toMatch(/Lima\s.*66\.2.*warm/);
    expect(tour.stdout).not.toMatch(/Oslo/);
    const pipeline = await run(process.execPath, ["pipeline.mjs"], { cwd: app, env });
    expect(pipeline.stdout).toContain("cleaned: 'hello deft'");
    expect(pipeline.stdout).toContain("words: 3");
  });
});
