// Every ```ts block in README.md and docs/*.md runs here, so the docs cannot rot. A block
// marked ```ts no-run is shown only (it needs something a test cannot have, e.g. a URL).
import { execFile } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = fileURLToPath(new URL("..", import.meta.url));
const scratch = join(root, "node_modules", ".doc-blocks");

function blocks(file: string): { code: string; line: number }[] {
  const text = readFileSync(file, "utf8");
  const out: { code: string; line: number }[] = [];
  const re = /^```ts\s*\n([\s\S]*?)^```/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push({ code: m[1]!, line: text.slice(0, m.index).split("\n").length });
  }
  return out;
}

const files = [
  join(root, "README.md"),
  ...readdirSync(join(root, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => join(root, "docs", f)),
].filter((f) => blocks(f).length > 0);

mkdirSync(scratch, { recursive: true });
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.each(files)("%s", (file) => {
  const list = blocks(file);
  it.each(list)(
    "block at line $line runs",
    async ({ code, line }) => {
      const path = join(scratch, `${file.replace(/[^a-z0-9]+/gi, "_")}_${line}.mts`);
      writeFileSync(path, code);
      const { stderr } = await run(
        process.execPath,
        ["--import", "tsx", "--conditions", "source", path],
        {
          cwd: root,
          timeout: 80_000,
        },
      ).catch((err: { stderr?: string; message: string }) => {
        throw new Error(`${file}:${line} failed:\n${err.stderr ?? err.message}`);
      });
      expect(stderr).not.toMatch(/Error/);
    },
    90_000,
  ); // a block may scan 3M rows several times; on a busy machine that takes a while
});
