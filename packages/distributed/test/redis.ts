// Finds redis-server for the distributed tests, and (the vitest global setup) installs it
// where that can be done unattended: Debian or Ubuntu, as root.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";

/** Set (to 1) by .ci/run: a missing redis-server fails the run instead of skipping. */
export const REQUIRE_ENV = "DEFT_REQUIRE_REDIS";

/** The redis-server binary on PATH, or undefined. */
export function findRedisServer(): string | undefined {
  try {
    return (
      execFileSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" }).trim() ||
      undefined
    );
  } catch {
    return undefined;
  }
}

function debianRoot(): boolean {
  return process.getuid?.() === 0 && existsSync("/etc/debian_version");
}

const HOW =
  "Install Redis to run them: `apt-get install redis-server` (Debian/Ubuntu), `brew install redis` (macOS), or see https://redis.io/docs/latest/operate/oss_and_stack/install/";

/** vitest global setup: make sure redis-server exists, or say loudly that the tests skip. */
export default function setup(): void {
  if (findRedisServer()) return;
  if (debianRoot()) {
    process.stderr.write(
      "redis-server is missing: installing it (apt-get install -y redis-server)\n",
    );
    try {
      execFileSync("apt-get", ["install", "-y", "redis-server"], { stdio: "inherit" });
    } catch {
      execFileSync("apt-get", ["update"], { stdio: "inherit" });
      execFileSync("apt-get", ["install", "-y", "redis-server"], { stdio: "inherit" });
    }
    if (findRedisServer()) return;
  }
  if (process.env[REQUIRE_ENV] === "1")
    throw new Error(
      `redis-server is missing and ${REQUIRE_ENV}=1: the distributed tests must run. ${HOW}`,
    );
  const os = existsSync("/etc/os-release") ? readFileSync("/etc/os-release", "utf8") : "";
  const bar = "!".repeat(78);
  process.stderr.write(
    `\n${bar}\nredis-server is not installed: the @deft/distributed tests are SKIPPED (not passed).\n${HOW}\n${os ? "" : ""}${bar}\n\n`,
  );
}
