import os from "node:os";

/** The environment variable that overrides the default thread count. */
export const THREADS_ENV = "DEFT_THREADS";

/**
 * The thread count of a run: `threads` when given, else `DEFT_THREADS`, else the cores Node
 * may use (`os.availableParallelism()`). Throws a RangeError naming the option or the variable
 * when the value is not a positive integer.
 */
export function resolveThreads(threads?: number): number {
  if (threads !== undefined) {
    if (!Number.isInteger(threads) || threads < 1) {
      throw new RangeError(
        `threads must be a positive integer (1 runs everything on the calling thread), got ${String(threads)}.`,
      );
    }
    return threads;
  }
  const env = process.env[THREADS_ENV];
  if (env !== undefined && env.trim() !== "") {
    const n = Number(env.trim());
    if (!Number.isInteger(n) || n < 1) {
      throw new RangeError(
        `The environment variable ${THREADS_ENV} must be a positive integer, got "${env}". Unset it or set it to e.g. ${THREADS_ENV}=2.`,
      );
    }
    return n;
  }
  return Math.max(1, os.availableParallelism());
}
