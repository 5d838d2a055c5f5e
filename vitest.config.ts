import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["source"] },
  // Workspace packages load from src/ (the "source" export condition), even when a dist/
  // build exists, so tests run against the code as written.
  ssr: { resolve: { conditions: ["source"], externalConditions: ["source"] } },
  test: {
    include: [
      "packages/*/test/**/*.test.ts",
      "examples/**/*.test.ts",
      "docs/**/*.test.ts",
      "benchmarks/test/**/*.test.ts",
    ],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    // Installs redis-server for the distributed tests where it can, else says loudly that
    // they are skipped.
    globalSetup: ["packages/distributed/test/redis.ts"],
  },
});
