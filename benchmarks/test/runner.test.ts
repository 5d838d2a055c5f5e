// The benchmark runner's schedule: rounds interleave the cases, and with `primeEach` every
// timed run follows an untimed run of the same case (nothing of another case in between).
import { afterEach, describe, expect, it } from "vitest";
import { type Case, runWorkload, type Workload } from "../src/runner.js";

const calls: string[] = [];
const logged = (name: string): Case => ({
  label: name,
  run: () => {
    calls.push(name);
  },
});

function workload(primeEach: boolean | undefined): Workload {
  return {
    name: "schedule",
    description: "two cases that record when they run",
    cases: [logged("a"), logged("b")],
    runs: 2,
    warmup: 1,
    ...(primeEach !== undefined && { primeEach }),
  };
}

const quiet = () => {};

describe("benchmark runner schedule", () => {
  afterEach(() => {
    calls.length = 0;
    delete process.env.BENCH_PRIME_EACH;
  });

  it("runs each case once per round, rotating the order, without priming by default", async () => {
    const result = await runWorkload(workload(undefined), quiet);
    expect(calls).toEqual(["a", "b", "b", "a", "a", "b"]);
    expect(result.cases.map((c) => c.samplesMs.length)).toEqual([2, 2]);
  });

  it("with primeEach, runs a case untimed right before each of its timed runs", async () => {
    const result = await runWorkload(workload(true), quiet);
    // Warm-up round a, b; then rounds (b, a) and (a, b), each case run twice in a row.
    expect(calls).toEqual(["a", "b", "b", "b", "a", "a", "a", "a", "b", "b"]);
    expect(result.cases.map((c) => c.samplesMs.length)).toEqual([2, 2]);
  });

  it("BENCH_PRIME_EACH overrides the workload's choice", async () => {
    process.env.BENCH_PRIME_EACH = "0";
    await runWorkload(workload(true), quiet);
    expect(calls).toHaveLength(6);
    calls.length = 0;
    process.env.BENCH_PRIME_EACH = "1";
    await runWorkload(workload(false), quiet);
    expect(calls).toHaveLength(10);
  });
});
