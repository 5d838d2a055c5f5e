import { isThenable, type RetryPolicy, retryAfter, timed } from "./retry.js";

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
  /** Starts unit i: returns its value, or a thenable for it; may throw. */
  call(job: J, i: number): unknown;
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
export class LaneScheduler<J extends Job> {
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

  /** Queued units never start; in-flight ones are abandoned; backoff sleeps end now. */
  stop(): void {
    this.stopped = true;
    this.stopping.abort();
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
    const { hooks, policy } = this;
    const timeout = (policy.timeoutMs ?? 0) > 0;
    try {
      for (;;) {
        if (this.stopped) return;
        const job = this.pick();
        if (job === undefined) return;
        const i = job.next++;
        this.unstarted--;
        try {
          let v = hooks.call(job, i);
          if (isThenable(v)) v = timeout ? await timed(v, policy) : await v;
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
    const r = await retryAfter(first, () => hooks.call(job, i), this.policy, {
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
