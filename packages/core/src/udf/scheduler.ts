import { abortCalls, type CallContext, type CallOwner, invokeWithContext } from "./call-context.js";
import type { GivePermit } from "./permits.js";
import { isThenable, type RetryPolicy, retryAfter } from "./retry.js";

/**
 * A unit of scheduled work: `n` calls (rows, or chunks of rows) whose results land in
 * `out` by index, so completion order never changes output order.
 */
export interface Job {
  readonly n: number;
  /** Next unit to start. */
  next: number;
  /** Units not finished yet. */
  pending: number;
  readonly out: unknown[];
  settled: boolean;
  resolve(): void;
  reject(error: Error): void;
}

export interface SchedulerHooks<J extends Job> {
  /**
   * Starts unit i: returns its value, or a thenable for it; may throw. `cx` is the call's
   * context, handed to the user's function as its trailing argument.
   */
  call(job: J, i: number, cx: CallContext): unknown;
  /**
   * Checks (or converts) a unit's value as it returns; throwing makes it a failed attempt,
   * retried and failed like a thrown error.
   */
  accept?(job: J, v: unknown): unknown;
  /** The input row unit i stands for (the context's `row`); `i` when omitted. */
  row?(job: J, i: number): number;
  /** Unit i failed for good (after retries): store a value into job.out or fail the run. */
  fail(job: J, i: number, error: unknown, attempts: number): void;
  /**
   * If `error` must not be retried or nulled (the UDF cannot run at all), fail the run and
   * return true.
   */
  fatal(job: J, error: unknown): boolean;
  retry?(job: J, i: number, attempt: number, delayMs: number, error: unknown): void;
}

/**
 * Runs the units of queued jobs with at most `lanes` in flight. Each lane is one async loop
 * that takes the next unit, awaits it and takes another: the in-flight budget is the number
 * of lanes (a counter shared by every job), there is no promise or closure per unit beyond
 * the user's own call, and a sync function simply runs through its units without yielding.
 */
export class LaneScheduler<J extends Job> implements CallOwner {
  /** Calls in flight whose function read its signal (aborted by `stop`). */
  readonly live = new Set<CallContext>();
  stoppedReason: unknown = undefined;
  private readonly jobs: J[] = [];
  private head = 0;
  private active = 0;
  /** Units queued but not started, across jobs. */
  private unstarted = 0;
  private stopped = false;
  /** Ends backoff sleeps when the scheduler stops. */
  private readonly stopping = new AbortController();

  constructor(
    readonly lanes: number,
    private readonly policy: RetryPolicy,
    private readonly hooks: SchedulerHooks<J>,
    /**
     * Taken before every attempt (a retry takes its own) and given back when it settles:
     * a UDF's `clusterMaxConcurrency` budget. The wait is not part of the call's time limit.
     */
    private readonly permit?: (signal: AbortSignal) => Promise<GivePermit>,
  ) {}

  add(job: J): void {
    if (job.n === 0) {
      job.settled = true;
      job.resolve();
      return;
    }
    this.jobs.push(job);
    this.unstarted += job.n;
    while (!this.stopped && this.active < this.lanes && this.unstarted > 0) {
      this.active++;
      void this.lane();
    }
  }

  /**
   * Queued units never start; in-flight ones are abandoned and their signals aborted with
   * `reason` (an AbortError by default); backoff sleeps end now.
   */
  stop(reason?: unknown): void {
    if (!this.stopped) {
      this.stopped = true;
      this.stopping.abort();
    }
    if (this.live.size > 0 || this.stoppedReason === undefined)
      abortCalls(this, reason ?? new DOMException("The UDF run stopped.", "AbortError"));
  }

  /** One attempt at unit i, inside a permit when the scheduler has them. */
  private attempt(job: J, i: number, attempt: number): unknown {
    if (!this.permit) return this.invoke(job, i, attempt);
    return this.permit(this.stopping.signal).then(async (give) => {
      try {
        return await this.invoke(job, i, attempt);
      } finally {
        give();
      }
    });
  }

  /** One attempt at unit i: the user's value, an async one timed and its context released. */
  private invoke(job: J, i: number, attempt: number): unknown {
    const hooks = this.hooks;
    return invokeWithContext(
      this,
      hooks.row ? hooks.row(job, i) : i,
      attempt,
      this.policy.timeoutMs ?? 0,
      this.policy.name ?? "call",
      (cx) => hooks.call(job, i, cx),
      hooks.accept && ((v) => hooks.accept!(job, v)),
    );
  }

  private pick(): J | undefined {
    const jobs = this.jobs;
    while (this.head < jobs.length) {
      const job = jobs[this.head]!;
      if (job.next < job.n && !job.settled) return job;
      this.head++;
    }
    if (this.head > 0) {
      jobs.length = 0;
      this.head = 0;
    }
    return undefined;
  }

  private async lane(): Promise<void> {
    try {
      for (;;) {
        if (this.stopped) return;
        const job = this.pick();
        if (job === undefined) return;
        const i = job.next++;
        this.unstarted--;
        try {
          let v = this.attempt(job, i, 1);
          if (isThenable(v)) v = await v;
          job.out[i] = v;
        } catch (e) {
          await this.recover(job, i, e);
        }
        if (--job.pending === 0 && !job.settled) {
          job.settled = true;
          job.resolve();
        }
      }
    } finally {
      this.active--;
    }
  }

  private async recover(job: J, i: number, first: unknown): Promise<void> {
    const hooks = this.hooks;
    // Timeouts are the invoke's own (they abort the call's signal), not retryAfter's.
    const policy = { retries: this.policy.retries };
    const r = await retryAfter(first, (attempt) => this.attempt(job, i, attempt), policy, {
      signal: this.stopping.signal,
      stopped: () => job.settled,
      // A fatal error (the UDF cannot run at all) fails the run at once.
      fatal: (e) => hooks.fatal(job, e),
      retry: hooks.retry && ((attempt, delay, e) => hooks.retry!(job, i, attempt, delay, e)),
    });
    if (r.ok) job.out[i] = r.value;
    else if (r.why === "exhausted" && !this.stopped && !job.settled)
      hooks.fail(job, i, r.error, r.attempts);
  }
}
