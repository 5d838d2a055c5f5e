// The one retry policy of UDFs and pipeline nodes: a number of retries after the first
// attempt, exponential backoff with full jitter (or the delay a RetryAfterError asks for),
// and an optional per-attempt time limit.
import { RetryAfterError, UdfTimeoutError } from "./errors.js";

export interface RetryPolicy {
  /** Attempts after the first. */
  readonly retries: number;
  /** Time limit of one async attempt in ms; 0 or omitted for none. */
  readonly timeoutMs?: number;
  /** Who is called, for the timeout error. */
  readonly name?: string;
}

export interface RetryHooks {
  /** An error that must not be retried: the outcome is this failure, at once. */
  fatal?(error: unknown): boolean;
  /** A failed attempt will be retried after `delayMs`. */
  retry?(attempt: number, delayMs: number, error: unknown): void;
  /** Aborting it cuts a backoff short and gives up (outcome "stopped"). */
  signal?: AbortSignal;
  /** Checked before each retry: true gives up (outcome "stopped"). */
  stopped?(): boolean;
}

export type RetryOutcome<T> =
  | { readonly ok: true; readonly value: T }
  | {
      readonly ok: false;
      readonly error: unknown;
      /** Calls made: 1 plus the retries used. */
      readonly attempts: number;
      /** "exhausted": out of retries; "fatal": not retryable; "stopped": given up. */
      readonly why: "exhausted" | "fatal" | "stopped";
    };

/** Delay before attempt `attempt + 1`: RetryAfterError's, else exponential with full jitter. */
export function backoffMs(error: unknown, attempt: number): number {
  if (error instanceof RetryAfterError) return error.retryAfterMs;
  if (
    error &&
    typeof error === "object" &&
    (error as { name?: unknown }).name === "RetryAfterError"
  ) {
    const ms = (error as { retryAfterMs?: unknown }).retryAfterMs;
    if (typeof ms === "number") return ms;
  }
  const cap = Math.min(10_000, 100 * 2 ** (attempt - 1));
  return cap / 2 + Math.random() * (cap / 2);
}

export function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (
    v !== null &&
    (typeof v === "object" || typeof v === "function") &&
    typeof (v as { then?: unknown }).then === "function"
  );
}

/** Rejects with a UdfTimeoutError when `p` takes longer than `ms`. */
export function withTimeout<T>(p: PromiseLike<T>, ms: number, name: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new UdfTimeoutError(name, ms)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

/** An async attempt under the policy's time limit. */
export function timed<T>(v: PromiseLike<T>, policy: RetryPolicy): PromiseLike<T> {
  const ms = policy.timeoutMs ?? 0;
  return ms > 0 ? withTimeout(v, ms, policy.name ?? "call") : v;
}

/** One attempt: a sync call's value as is (no promise per call), an async one's timed. */
export function attempt<T>(
  call: (attempt: number) => T | PromiseLike<T>,
  policy: RetryPolicy,
  n = 1,
): T | PromiseLike<T> {
  const v = call(n);
  return isThenable(v) ? timed(v, policy) : v;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

const gaveUp = (hooks: RetryHooks) => hooks.signal?.aborted === true || hooks.stopped?.() === true;

/**
 * The retries after a first failed attempt (callers run the first attempt inline). `call`
 * gets the attempt's number (2 for the first retry).
 */
export async function retryAfter<T>(
  first: unknown,
  call: (attempt: number) => T | PromiseLike<T>,
  policy: RetryPolicy,
  hooks: RetryHooks = {},
): Promise<RetryOutcome<T>> {
  let error = first;
  let attempts = 1;
  for (;;) {
    if (gaveUp(hooks)) return { ok: false, error, attempts, why: "stopped" };
    if (hooks.fatal?.(error)) return { ok: false, error, attempts, why: "fatal" };
    if (attempts > policy.retries) return { ok: false, error, attempts, why: "exhausted" };
    const delay = backoffMs(error, attempts);
    hooks.retry?.(attempts, delay, error);
    await sleep(delay, hooks.signal);
    if (gaveUp(hooks)) return { ok: false, error, attempts, why: "stopped" };
    attempts++;
    try {
      return { ok: true, value: await attempt(call, policy, attempts) };
    } catch (e) {
      error = e;
    }
  }
}

/** Runs `call` under the policy: its value, or how it failed. `call` gets the attempt (1, 2 …). */
export async function withRetry<T>(
  call: (attempt: number) => T | PromiseLike<T>,
  policy: RetryPolicy,
  hooks: RetryHooks = {},
): Promise<RetryOutcome<T>> {
  try {
    return { ok: true, value: await attempt(call, policy) };
  } catch (e) {
    return retryAfter(e, call, policy, hooks);
  }
}
