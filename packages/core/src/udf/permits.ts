// Permits for UDFs with `clusterMaxConcurrency`: every call attempt takes one before it starts
// and gives it back when it settles. Where the permits come from depends on where the call
// runs: a counter in this thread, another thread (over a MessagePort), or a budget in Redis
// that a worker process of @deft/distributed keeps on its main thread.
import type { MessagePort } from "node:worker_threads";
import { UdfSetupError } from "./errors.js";

/** Gives back one permit (calling it again does nothing). */
export type GivePermit = () => void;

/** A source of call permits, one budget of `n` per UDF name. */
export interface Permits {
  /**
   * Resolves once a permit of `udf`'s budget of `n` is held, to the function that gives it
   * back. Rejects with an AbortError when `signal` aborts first.
   */
  take(udf: string, n: number, signal: AbortSignal): Promise<GivePermit>;
}

function aborted(signal: AbortSignal): Error {
  return signal.reason instanceof Error
    ? signal.reason
    : new DOMException("The UDF run stopped.", "AbortError");
}

/** A counter per UDF in this thread: at most `n` permits out at once, waiters served in order. */
export class LocalPermits implements Permits {
  private readonly budgets = new Map<string, { out: number; waiting: (() => void)[] }>();

  take(udf: string, n: number, signal: AbortSignal): Promise<GivePermit> {
    if (signal.aborted) return Promise.reject(aborted(signal));
    let b = this.budgets.get(udf);
    if (!b) this.budgets.set(udf, (b = { out: 0, waiting: [] }));
    const budget = b;
    const give = () => {
      budget.out--;
      budget.waiting.shift()?.();
    };
    if (budget.out < n) {
      budget.out++;
      return Promise.resolve(once(give));
    }
    return new Promise<GivePermit>((resolve, reject) => {
      const grant = () => {
        signal.removeEventListener("abort", onAbort);
        budget.out++;
        resolve(once(give));
      };
      const onAbort = () => {
        const k = budget.waiting.indexOf(grant);
        if (k >= 0) budget.waiting.splice(k, 1);
        reject(aborted(signal));
      };
      budget.waiting.push(grant);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }
}

/** `give` wrapped so that a permit given back twice counts once. */
export function once(give: () => void): GivePermit {
  let given = false;
  return () => {
    if (given) return;
    given = true;
    give();
  };
}

/** A permit from `first`, then one from `second`, held and given back together. */
export function bothPermits(first: Permits, second: Permits): Permits {
  return {
    async take(udf, n, signal) {
      const a = await first.take(udf, n, signal);
      try {
        const b = await second.take(udf, n, signal);
        return once(() => {
          b();
          a();
        });
      } catch (e) {
        a();
        throw e;
      }
    },
  };
}

/** What a thread asks the thread holding the permits, over a MessagePort. */
type PermitRequest =
  | { t: "take"; id: number; udf: string; n: number }
  | { t: "give"; id: number }
  | { t: "cancel"; id: number };

/** The answer to a `take`. */
type PermitAnswer = { t: "granted"; id: number } | { t: "refused"; id: number; message: string };

/**
 * Answers permit requests arriving on `port` from `permits`. When the port closes (the thread
 * on its other side finished or died) every permit it held is given back and its waits end.
 * Returns the function that stops serving (and gives back what is still held).
 */
export function servePermits(port: MessagePort, permits: Permits): () => void {
  const held = new Map<number, GivePermit>();
  const waits = new Map<number, AbortController>();
  let closed = false;
  const end = () => {
    if (closed) return;
    closed = true;
    for (const w of waits.values()) w.abort();
    waits.clear();
    for (const give of held.values()) give();
    held.clear();
    port.close();
  };
  port.on("message", (m: PermitRequest) => {
    if (m.t === "give") {
      held.get(m.id)?.();
      held.delete(m.id);
    } else if (m.t === "cancel") {
      waits.get(m.id)?.abort();
    } else {
      const wait = new AbortController();
      waits.set(m.id, wait);
      permits.take(m.udf, m.n, wait.signal).then(
        (give) => {
          waits.delete(m.id);
          if (closed || wait.signal.aborted) return give();
          held.set(m.id, give);
          port.postMessage({ t: "granted", id: m.id } satisfies PermitAnswer);
        },
        (e: unknown) => {
          waits.delete(m.id);
          if (closed || wait.signal.aborted) return;
          const message = e instanceof Error ? e.message : String(e);
          port.postMessage({ t: "refused", id: m.id, message } satisfies PermitAnswer);
        },
      );
    }
  });
  port.on("close", end);
  return end;
}

/**
 * Permits asked of the thread on the other side of `port` (see `servePermits`). The port is
 * unref'd: waiting for a permit never keeps a thread alive by itself.
 */
export function portPermits(port: MessagePort): Permits {
  let next = 1;
  const pending = new Map<number, { resolve(give: GivePermit): void; reject(e: Error): void }>();
  port.on("message", (m: PermitAnswer) => {
    const p = pending.get(m.id);
    if (!p) {
      // Granted after its wait was cancelled: hand it straight back.
      if (m.t === "granted") port.postMessage({ t: "give", id: m.id } satisfies PermitRequest);
      return;
    }
    pending.delete(m.id);
    if (m.t === "granted")
      p.resolve(once(() => port.postMessage({ t: "give", id: m.id } satisfies PermitRequest)));
    else p.reject(new Error(m.message));
  });
  port.unref();
  return {
    take(udf, n, signal) {
      if (signal.aborted) return Promise.reject(aborted(signal));
      const id = next++;
      return new Promise<GivePermit>((resolve, reject) => {
        const onAbort = () => {
          pending.delete(id);
          port.postMessage({ t: "cancel", id } satisfies PermitRequest);
          reject(aborted(signal));
        };
        pending.set(id, {
          resolve: (give) => {
            signal.removeEventListener("abort", onAbort);
            resolve(give);
          },
          reject: (e) => {
            signal.removeEventListener("abort", onAbort);
            reject(
              new UdfSetupError(
                `UDF "${udf}" could not take a clusterMaxConcurrency permit: ${e.message}`,
              ),
            );
          },
        });
        signal.addEventListener("abort", onAbort, { once: true });
        port.postMessage({ t: "take", id, udf, n } satisfies PermitRequest);
      });
    },
  };
}
