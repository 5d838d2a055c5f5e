import { backoffMs, UdfTimeoutError } from "./errors.js";

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
  fatal(error: unknown): boolean;
  retry?(job: J, i: number, attempt: number, delayMs: number, error: unknown): void;
  /** Fewer units are waiting than lanes: a good moment to add more work. */
  room?(): void;
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (
    v !== null &&
    (typeof v === "object" || typeof v === "function") &&
    typeof (v as { then?: unknown }).then === "function"
  );
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
  unstarted = 0;
  private stopped = false;
  private readonly sleepers = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();

  constructor(
    readonly lanes: number,
    private readonly retries: number,
    private readonly timeoutMs: number,
    private readonly udfName: string,
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
    for (const s of this.sleepers) {
      clearTimeout(s.timer);
      s.wake();
    }
    this.sleepers.clear();
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
    const hooks = this.hooks;
    try {
      for (;;) {
        if (this.stopped) return;
        const job = this.pick();
        if (job === undefined) {
          hooks.room?.();
          return;
        }
        const i = job.next++;
        if (--this.unstarted === this.lanes - 1) hooks.room?.();
        try {
          let v = hooks.call(job, i);
          if (isThenable(v)) v = this.timeoutMs > 0 ? await this.timed(v) : await v;
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
    let error = first;
    let attempts = 1;
    for (;;) {
      if (this.stopped || job.settled) return;
      // A fatal error (the UDF cannot run at all) fails the run at once.
      if (this.hooks.fatal(error)) return;
      if (attempts > this.retries) break;
      const delay = backoffMs(error, attempts);
      this.hooks.retry?.(job, i, attempts, delay, error);
      await this.sleep(delay);
      if (this.stopped || job.settled) return;
      attempts++;
      try {
        let v = this.hooks.call(job, i);
        if (isThenable(v)) v = this.timeoutMs > 0 ? await this.timed(v) : await v;
        job.out[i] = v;
        return;
      } catch (e) {
        error = e;
      }
    }
    if (this.stopped || job.settled) return;
    this.hooks.fail(job, i, error, attempts);
  }

  private timed(p: PromiseLike<unknown>): Promise<unknown> {
    return withTimeout(p, this.timeoutMs, this.udfName);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.sleepers.delete(entry);
          resolve();
        }, ms),
        wake: resolve,
      };
      this.sleepers.add(entry);
    });
  }
}

/** Rejects with a UdfTimeoutError when `p` takes longer than `ms`. */
export function withTimeout(p: PromiseLike<unknown>, ms: number, udf: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new UdfTimeoutError(udf, ms)), ms);
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
