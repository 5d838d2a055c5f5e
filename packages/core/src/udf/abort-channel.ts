// How an aborted run reaches the worker threads running its UDF tasks: the main thread posts
// the run's id on a BroadcastChannel; each worker aborts the signals of that run's calls and
// stops its rows, so a `fetch(url, { signal })` on a worker closes its socket at once.
import { BroadcastChannel } from "node:worker_threads";

const CHANNEL = "deft:udf-abort";

let sender: BroadcastChannel | null = null;

/** Tells every worker thread that `run` is aborted (or stopped after a failure). */
export function broadcastAbort(run: string): void {
  if (!sender) {
    sender = new BroadcastChannel(CHANNEL);
    // Never keeps the process alive.
    sender.unref();
  }
  sender.postMessage(run);
}

/** Runs aborted so far on this thread, so a task queued before the news arrived stops at once. */
const ABORTED_KEPT = 1024;

/** The worker side: per run, what to call when it is aborted. */
export class AbortWatch {
  private readonly stops = new Map<string, Set<(reason: unknown) => void>>();
  private readonly abortedRuns = new Set<string>();
  private channel: BroadcastChannel | null = null;

  private listen(): void {
    if (this.channel) return;
    const channel = new BroadcastChannel(CHANNEL);
    channel.unref();
    channel.onmessage = (e: unknown) => {
      const run = (e as { data: string }).data;
      this.abortedRuns.add(run);
      if (this.abortedRuns.size > ABORTED_KEPT)
        this.abortedRuns.delete(this.abortedRuns.values().next().value!);
      const stops = this.stops.get(run);
      if (!stops) return;
      this.stops.delete(run);
      const reason = new DOMException("The UDF run was aborted.", "AbortError");
      for (const stop of stops) stop(reason);
    };
    this.channel = channel;
  }

  /** Whether `run` was aborted already. */
  aborted(run: string): boolean {
    return this.abortedRuns.has(run);
  }

  /** Calls `stop` if `run` is aborted while the returned release has not been called. */
  watch(run: string, stop: (reason: unknown) => void): () => void {
    this.listen();
    let set = this.stops.get(run);
    if (!set) this.stops.set(run, (set = new Set()));
    set.add(stop);
    return () => {
      const s = this.stops.get(run);
      if (!s) return;
      s.delete(stop);
      if (s.size === 0) this.stops.delete(run);
    };
  }
}
