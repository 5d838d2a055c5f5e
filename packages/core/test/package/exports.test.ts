// After `pnpm build`, plain Node imports both packages through their `exports` (dist/), with
// no TypeScript loader: what a user of the published packages gets.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const script = fileURLToPath(new URL("./fixtures-plain.mjs", import.meta.url));
const dist = fileURLToPath(new URL("../../dist/index.js", import.meta.url));

describe("the built packages", () => {
  it.runIf(existsSync(dist))(
    "load in plain Node through their exports, worker UDFs and compute threads included",
    async () => {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [script], {
        timeout: 30_000,
        // No --import tsx and no --conditions=source: the "default" export (dist) is used.
        env: { ...process.env, NODE_OPTIONS: "" },
      });
      expect(stderr).toBe("");
      expect(JSON.parse(stdout)).toEqual({
        frame: { x: [1, 2, 3], y: [2, 4, 6], z: [1, 4, 9] },
        parquet: { x: [1, 2, 3] },
        pipeline: [
          { x: 1, y: 2 },
          { x: 2, y: 3 },
        ],
      });
    },
  );
});
