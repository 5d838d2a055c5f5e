import { defineConfig } from "vitest/config";
export default defineConfig({
  resolve: { conditions: ["source"] },
  ssr: { resolve: { conditions: ["source"] } },
  test: { include: ["packages/pipeline/test/**/*.test.ts"], testTimeout: 30_000, pool: "forks" },
});
