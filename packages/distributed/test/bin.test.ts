// The deft-worker command as a user runs it: its help, its argument errors (exit code 2 with
// a message naming the flag), and an unreachable Redis named within seconds.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { freePort } from "./cluster.js";

const BIN = fileURLToPath(new URL("../src/bin.ts", import.meta.url));

function deftWorker(
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--conditions=source", "--import", "tsx", BIN, ...args],
      { timeout: 30_000 },
      (err, stdout, stderr) => {
        const code = err ? ((err as { code?: number }).code ?? null) : 0;
        resolve({ code, stdout, stderr, ms: performance.now() - started });
      },
    );
  });
}

describe("deft-worker", () => {
  it("--help prints the flags and exits 0", async () => {
    const r = await deftWorker(["--help"]);
    expect(r.code).toBe(0);
    for (const flag of ["--redis <url>", "--work-dir <dir>", "--threads <n>", "--name <name>"])
      expect(r.stdout).toContain(flag);
  });

  it("a missing or bad flag exits 2 naming it", async () => {
    const [noDir, threads, unknown] = await Promise.all([
      deftWorker(["--redis", "redis://127.0.0.1:1"]),
      deftWorker(["--redis", "redis://127.0.0.1:1", "--work-dir", ".", "--threads", "0"]),
      deftWorker(["--redis", "redis://127.0.0.1:1", "--work-dir", ".", "--thread", "2"]),
    ]);
    expect(noDir.code).toBe(2);
    expect(noDir.stderr).toContain("--work-dir is required");
    expect(threads.code).toBe(2);
    expect(threads.stderr).toContain('--threads must be a positive integer, got "0"');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("--thread");
  }, 60_000);

  it("an unreachable Redis fails within seconds, naming the URL", async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const r = await deftWorker(["--redis", url, "--work-dir", "."]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(url);
    expect(r.ms).toBeLessThan(15_000);
  }, 60_000);
});
