/**
 * Throw from a UDF to ask for a retry after `ms` milliseconds (e.g. an HTTP 429 with a
 * Retry-After header). It counts as an attempt; the delay replaces the exponential backoff.
 */
export class RetryAfterError extends Error {
  /** The delay asked for, in ms; replaces the exponential backoff before the next attempt. */
  readonly retryAfterMs: number;
  constructor(ms: number, message?: string, options?: { cause?: unknown }) {
    if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) {
      throw new TypeError(
        `RetryAfterError(ms) takes a delay in milliseconds >= 0, got ${String(ms)}.`,
      );
    }
    super(message ?? `Retry after ${ms} ms`, options);
    this.name = "RetryAfterError";
    this.retryAfterMs = ms;
  }
}

/** A call that took longer than the UDF's `timeoutMs`. */
export class UdfTimeoutError extends Error {
  constructor(udf: string, ms: number) {
    super(
      `UDF "${udf}" call timed out after ${ms} ms (timeoutMs). Raise timeoutMs or make the call faster.`,
    );
    this.name = "TimeoutError";
  }
}

/** Cuts a value's printed form to `max` characters for error messages. */
export function preview(value: unknown, max = 100): string {
  let s: string;
  if (typeof value === "string") s = JSON.stringify(value);
  else if (typeof value === "bigint") s = `${value}n`;
  else if (value instanceof Uint8Array) s = `bytes[${value.length}]`;
  else if (value instanceof Date) s = value.toISOString();
  else {
    try {
      s = JSON.stringify(value) ?? String(value);
    } catch {
      s = String(value);
    }
  }
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** The error a run rejects with when a row fails under `onError: "raise"`. */
export class UdfError extends Error {
  /** The UDF's name. */
  readonly udf: string;
  /** The output column it was computing. */
  readonly column: string;
  /** The input row, 0-based across batches. */
  readonly row: number;
  /** The row's argument values. */
  readonly inputs: unknown[];
  /** Calls made: 1 plus the retries. */
  readonly attempts: number;
  constructor(
    udf: string,
    column: string,
    row: number,
    inputs: unknown[],
    attempts: number,
    cause: unknown,
  ) {
    const why = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    const args = inputs.map((v) => preview(v)).join(", ");
    // Retries were set when it was called more than once: say so instead of suggesting them.
    const fix =
      attempts > 1
        ? `It failed all ${attempts} attempts: raise retries if the failure is transient, or use onError: "null" to record the failure and continue.`
        : `Use retries to retry it, or onError: "null" to record the failure and continue.`;
    super(
      `UDF "${udf}" failed for column "${column}" at row ${row} with inputs (${args}) after ${attempts} attempt${attempts === 1 ? "" : "s"}: ${why.replace(/\.$/, "")}. ${fix}`,
      { cause },
    );
    this.name = "UdfError";
    this.udf = udf;
    this.column = column;
    this.row = row;
    this.inputs = inputs;
    this.attempts = attempts;
  }
}

/** An Error from anything thrown (a UDF may throw strings or plain objects). */
export function asError(e: unknown): Error {
  if (e instanceof Error) return e;
  if (e && typeof e === "object" && "message" in e) {
    const o = e as { name?: unknown; message?: unknown; stack?: unknown };
    const err = new Error(String(o.message));
    if (typeof o.name === "string") err.name = o.name;
    if (typeof o.stack === "string") err.stack = o.stack;
    return err;
  }
  return new Error(String(e));
}

/**
 * A problem with the UDF itself rather than with one row (its code cannot be loaded or
 * shipped to a worker): never retried, never turned into nulls.
 */
export class UdfSetupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "UdfSetupError";
  }
}
