// clusterMaxConcurrency across worker processes: one budget per (run, UDF) in Redis, a sorted
// set of permit id -> lease expiry. A permit is taken by a script that first drops expired
// leases, then adds one if fewer than n are out; its holder renews it every PERMIT_RENEW_MS
// and removes it when the call settles. A worker killed with permits out stops renewing, so
// its permits expire PERMIT_LEASE_MS after the last renewal and the budget is whole again.
import { randomUUID } from "node:crypto";
import { MessageChannel, type MessagePort } from "node:worker_threads";
import type { GivePermit, PlanJson } from "@deft/core/internal";
import { once, servePermits } from "@deft/core/internal";
import type { Redis } from "ioredis";

/** A permit not renewed for this long is free again (its holder died or lost Redis). */
export const PERMIT_LEASE_MS = 5000;
/** How often a worker renews the leases of the permits it holds. */
export const PERMIT_RENEW_MS = 1000;
/** The channel a given-back permit is announced on (the message is the budget's key). */
export const PERMIT_CHANNEL = "deft:permits";
/**
 * A waiter whose budget is full asks again when a permit is given back anywhere (announced on
 * PERMIT_CHANNEL) and, failing that, after a poll starting here and doubling (leases that
 * expired are announced by nobody)...
 */
const POLL_MIN_MS = 25;
/** ... up to this. */
const POLL_MAX_MS = 250;

/** The Redis key of a run's budget for one UDF. */
export function permitKey(budget: string, udf: string): string {
  return `deft:permits:${budget}:${udf}`;
}

// Times come from Redis (TIME), so workers whose clocks differ agree on every lease.
const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/** KEYS[1] budget; ARGV n, permit id, lease ms. 1 when taken, 0 when n are out. */
const TAKE = `${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
return 1`;

/** KEYS[1] budget; ARGV lease ms, permit ids: each still held gets a new expiry. */
const RENEW = `${NOW}
local expiry = now + tonumber(ARGV[1])
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', expiry, ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]))
return 0`;

/** KEYS[1] budget; ARGV permit id, channel: removed, and announced when it was there. */
const GIVE = `if redis.call('ZREM', KEYS[1], ARGV[1]) == 1 then
  redis.call('PUBLISH', ARGV[2], KEYS[1])
end
return 0`;

interface Waiter {
  n: number;
  signal: AbortSignal;
  resolve(give: GivePermit): void;
  reject(e: Error): void;
}

/**
 * The permits a worker process holds and waits for, on its main thread: compute threads ask
 * for them over a port per task (`serve`), since the main thread's event loop is never busy
 * with UDF work and so renews every lease in time, and one Redis connection serves them all.
 */
export class ClusterPermits {
  private readonly held = new Map<string, Set<string>>();
  private readonly queues = new Map<string, Waiter[]>();
  /** Bumped per key when a permit is given back, so a full answer racing it is asked again. */
  private readonly freed = new Map<string, number>();
  private readonly wakers = new Map<string, () => void>();
  private readonly pumping = new Set<string>();
  private readonly renewal: NodeJS.Timeout;
  private readonly holder = randomUUID().slice(0, 8);
  private seq = 0;
  private closed = false;

  constructor(
    private readonly conn: Redis,
    private readonly worker: string,
  ) {
    this.renewal = setInterval(() => void this.renew(), PERMIT_RENEW_MS);
    this.renewal.unref();
  }

  /** A port for one task's compute thread to take the permits of `budget` through. */
  serve(budget: string): { port: MessagePort; stop(): void } {
    const channel = new MessageChannel();
    const stop = servePermits(channel.port1, {
      take: (udf, n, signal) => this.take(permitKey(budget, udf), n, signal),
    });
    return { port: channel.port2, stop };
  }

  /** A permit was given back somewhere (heard on PERMIT_CHANNEL): its waiters ask again. */
  heard(key: string): void {
    // Only keys this worker waits on are remembered (a long-lived worker hears every run's).
    if (!this.queues.has(key)) return;
    this.freed.set(key, (this.freed.get(key) ?? 0) + 1);
    this.wakers.get(key)?.();
  }

  /** Stops renewing; waits end with an error naming the worker. */
  close(): void {
    this.closed = true;
    clearInterval(this.renewal);
    for (const q of this.queues.values())
      for (const w of q.splice(0)) w.reject(new Error(`worker ${this.worker} is closing`));
    for (const wake of this.wakers.values()) wake();
  }

  private take(key: string, n: number, signal: AbortSignal): Promise<GivePermit> {
    if (this.closed) return Promise.reject(new Error(`worker ${this.worker} is closing`));
    return new Promise<GivePermit>((resolve, reject) => {
      let q = this.queues.get(key);
      if (!q) this.queues.set(key, (q = []));
      const w: Waiter = { n, signal, resolve, reject };
      q.push(w);
      signal.addEventListener(
        "abort",
        () => {
          const k = q.indexOf(w);
          // The head is the pump's: it gives back what it may be taking for it right now.
          if (k > 0) {
            q.splice(k, 1);
            reject(new Error("the call stopped before it had a permit"));
          } else if (k === 0) this.wakers.get(key)?.();
        },
        { once: true },
      );
      void this.pump(key);
    });
  }

  /** Takes permits for the key's waiters in order, while the budget has some. */
  private async pump(key: string): Promise<void> {
    if (this.pumping.has(key)) return;
    this.pumping.add(key);
    let delay = POLL_MIN_MS;
    try {
      const q = this.queues.get(key)!;
      while (q.length > 0 && !this.closed) {
        const w = q[0]!;
        if (w.signal.aborted) {
          q.shift();
          w.reject(new Error("the call stopped before it had a permit"));
          continue;
        }
        const freedBefore = this.freed.get(key) ?? 0;
        const id = `${this.worker}:${this.holder}:${this.seq++}`;
        let taken: boolean;
        try {
          taken = (await this.conn.eval(TAKE, 1, key, w.n, id, PERMIT_LEASE_MS)) === 1;
        } catch {
          taken = false; // Redis away: ask again after the poll
        }
        if (taken) {
          q.shift();
          delay = POLL_MIN_MS;
          this.hold(key, id);
          if (w.signal.aborted) this.give(key, id);
          else w.resolve(once(() => this.give(key, id)));
          continue;
        }
        if ((this.freed.get(key) ?? 0) !== freedBefore) continue;
        await this.wake(key, delay);
        delay = Math.min(POLL_MAX_MS, delay * 2);
      }
      if (q.length === 0) {
        this.queues.delete(key);
        this.freed.delete(key);
      }
    } finally {
      this.pumping.delete(key);
    }
  }

  /** Resolves when a permit of `key` is given back, a waiter stops, or after `ms`. */
  private wake(key: string, ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.wakers.get(key) === done) this.wakers.delete(key);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers.set(key, done);
    });
  }

  private hold(key: string, id: string): void {
    let s = this.held.get(key);
    if (!s) this.held.set(key, (s = new Set()));
    s.add(id);
  }

  private give(key: string, id: string): void {
    const s = this.held.get(key);
    s?.delete(id);
    if (s?.size === 0) this.held.delete(key);
    // Our own waiters need not wait for the announcement to come back.
    this.heard(key);
    this.conn.eval(GIVE, 1, key, id, PERMIT_CHANNEL).catch(() => {
      // Redis away: the lease, no longer renewed, frees the permit within PERMIT_LEASE_MS.
    });
  }

  private async renew(): Promise<void> {
    for (const [key, ids] of this.held) {
      try {
        await this.conn.eval(RENEW, 1, key, PERMIT_LEASE_MS, ...ids);
      } catch {
        // Redis away: the next tick tries again.
      }
    }
  }
}

/** The UDFs of a plan that have a clusterMaxConcurrency, by name. */
function cappedUdfs(plan: PlanJson): string[] {
  const out: string[] = [];
  for (const u of plan.udfs) {
    const options = u.options as { clusterMaxConcurrency?: unknown } | undefined;
    if (typeof u.name === "string" && options?.clusterMaxConcurrency !== undefined)
      out.push(u.name);
  }
  return out;
}

interface RunBudget {
  id: string;
  stages: number;
  udfs: Set<string>;
}

/**
 * The runner's side: which run a stage belongs to (the stages of one run share its abort
 * signal, the one the executor hands every `runStage`), and the run's budgets removed from
 * Redis when its last stage running ends.
 */
export class RunBudgets {
  private readonly runs = new WeakMap<AbortSignal, RunBudget>();
  private count = 0;

  constructor(private readonly runner: string) {}

  /** The budget id for a stage of the run of `signal`; undefined when no UDF of it is capped. */
  begin(signal: AbortSignal, plan: PlanJson | undefined): string | undefined {
    const udfs = plan ? cappedUdfs(plan) : [];
    if (udfs.length === 0) return undefined;
    let run = this.runs.get(signal);
    if (!run) {
      run = { id: `${this.runner}.r${this.count++}`, stages: 0, udfs: new Set() };
      this.runs.set(signal, run);
    }
    run.stages++;
    for (const u of udfs) run.udfs.add(u);
    return run.id;
  }

  /** A stage that `begin` gave a budget ended: the run's keys go once none of its stages runs. */
  async end(signal: AbortSignal, conn: Redis): Promise<void> {
    const run = this.runs.get(signal);
    if (!run || --run.stages > 0) return;
    const keys = [...run.udfs].map((u) => permitKey(run.id, u));
    await conn.del(...keys);
  }
}
