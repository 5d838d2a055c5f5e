// The trailing argument every UDF call receives: which row, which attempt, and a signal that
// aborts when the call times out or the run stops. The signal's controller is made only when
// the function reads `signal`, so a UDF that never looks at it pays one small object per call.
import { UdfTimeoutError } from "./errors.js";

/** What a UDF receives after its column values: `(x, { signal, row, attempt }) => …`. */
export interface UdfCallContext {
  /**
   * Aborts when this call times out (`timeoutMs`) or the run is aborted or fails: pass it on,
   * as in `fetch(url, { signal })`, so the work really stops.
   */
  readonly signal: AbortSignal;
  /** The input row (0-based across batches); a batch UDF gets its batch's first row. */
  readonly row: number;
  /** 1 for the first call of this row (or batch), 2 for the first retry, … */
  readonly attempt: number;
}

/** Where the live calls of one scheduler are kept, so stopping it aborts their signals. */
export interface CallOwner {
  readonly live: Set<CallContext>;
  /** Set once the owner stopped: signals made after that start aborted. */
  stoppedReason: unknown;
}

/** One call's context; `done()` when the call settles drops it from its owner. */
export class CallContext implements UdfCallContext {
  private controller: AbortController | undefined;

  constructor(
    private readonly owner: CallOwner,
    readonly row: number,
    readonly attempt: number,
  ) {}

  get signal(): AbortSignal {
    let c = this.controller;
    if (c === undefined) {
      c = this.controller = new AbortController();
      const { owner } = this;
      if (owner.stoppedReason !== undefined) c.abort(owner.stoppedReason);
      else owner.live.add(this);
    }
    return c.signal;
  }

  abort(reason: unknown): void {
    this.controller?.abort(reason);
  }

  done(): void {
    if (this.controller !== undefined) this.owner.live.delete(this);
  }
}

/** Aborts every live call of `owner` (and any signal made later) with `reason`. */
export function abortCalls(owner: CallOwner, reason: unknown): void {
  if (owner.stoppedReason === undefined) owner.stoppedReason = reason;
  for (const cx of owner.live) cx.abort(reason);
  owner.live.clear();
}

/**
 * An async call's value, rejected with a UdfTimeoutError (and the call's signal aborted with
 * it) when it takes longer than `ms`; the context is done when the call settles.
 */
export function settleCall<T>(
  v: PromiseLike<T>,
  cx: CallContext,
  ms: number,
  name: string,
  accept?: (v: unknown) => unknown,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer =
      ms > 0
        ? setTimeout(() => {
            const e = new UdfTimeoutError(name, ms);
            cx.abort(e);
            cx.done();
            reject(e);
          }, ms)
        : undefined;
    v.then(
      (value) => {
        if (timer !== undefined) clearTimeout(timer);
        cx.done();
        if (accept === undefined) resolve(value);
        else {
          try {
            resolve(accept(value) as T);
          } catch (e) {
            reject(e);
          }
        }
      },
      (e: unknown) => {
        if (timer !== undefined) clearTimeout(timer);
        cx.done();
        reject(e);
      },
    );
  });
}

/**
 * One attempt of a call: `call(cx)` with a fresh context for `row` and `attempt`; a sync value
 * as is, an async one timed (`ms` > 0) and its context released when it settles. `accept`
 * checks (or converts) the value; throwing fails the attempt.
 */
export function invokeWithContext(
  owner: CallOwner,
  row: number,
  attempt: number,
  ms: number,
  name: string,
  call: (cx: CallContext) => unknown,
  accept?: (v: unknown) => unknown,
): unknown {
  const cx = new CallContext(owner, row, attempt);
  let v: unknown;
  try {
    v = call(cx);
  } catch (e) {
    cx.done();
    throw e;
  }
  if (
    v === null ||
    (typeof v !== "object" && typeof v !== "function") ||
    typeof (v as { then?: unknown }).then !== "function"
  ) {
    cx.done();
    return accept === undefined ? v : accept(v);
  }
  return settleCall(v as PromiseLike<unknown>, cx, ms, name, accept);
}
