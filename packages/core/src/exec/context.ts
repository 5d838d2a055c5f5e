import type { Permits } from "../udf/permits.js";
import type { DeftEvent } from "./events.js";
import type { Runner } from "./runner.js";
import { resolveThreads } from "./threads/count.js";
import type { BroadcastInput } from "./threads/protocol.js";

/** A per-row UDF failure recorded under `onError: "null"`. */
export interface UdfFailure {
  /** The UDF's name (its `name` option, else the function's name). */
  udf: string;
  /** The output column the UDF was computing. */
  column: string;
  /** Row number in the UDF operator's input (0-based, counting across batches). */
  row: number;
  /** The row's argument values as JS values, one per UDF argument. */
  inputs: unknown[];
  /** The last error thrown, as plain data (it may have crossed from a worker thread). */
  error: {
    /** The error's `name`, e.g. "TypeError", or "TimeoutError" for a timed-out call. */
    name: string;
    /** The error's message. */
    message: string;
    /** The error's stack, when it had one. */
    stack?: string;
  };
  /** How many times the UDF was called for this row (or its batch): 1 plus the retries. */
  attempts: number;
}

/** Everything a running query shares: cancellation, events, failure records. */
export interface ExecContext {
  /** Aborted when the run is cancelled, fails or its consumer stops; operators stop on it. */
  readonly signal: AbortSignal;
  /** Sends an event to the run's subscribers (a no-op when there are none). */
  emit(event: DeftEvent): void;
  /** True when a subscriber listens: per-row events (udf:call) are only built then. */
  readonly listening: boolean;
  /** Rows whose UDF failed under `onError: "null"`, appended as they are recorded. */
  readonly failures: UdfFailure[];
  /** Ids for operators (events name operators by it). */
  nextOperatorId(): number;
  /**
   * Threads built-in work may use (the run's `threads`, resolved): 1 keeps the work on the
   * calling thread, more lets operators run tasks on the compute threads.
   */
  readonly threads: number;
  /**
   * The materialized join sides a compute thread's fragment probes, by slot (`broadcast`
   * sources name their slot); empty on the calling thread.
   */
  readonly broadcasts: readonly BroadcastInput[];
  /** Runs the run's stages on other processes (see exec/runner.ts); absent for a local run. */
  readonly runner?: Runner;
  /**
   * Where UDFs with `clusterMaxConcurrency` take a permit per call: the run's budget across
   * worker processes (a task on a worker of a distributed run); absent for a local run.
   */
  readonly permits?: Permits;
}

/** A run's context; `threads` defaults as a run's does (DEFT_THREADS, else the cores). */
export function createContext(
  signal: AbortSignal,
  listeners: ((e: DeftEvent) => void)[] = [],
  threads: number = resolveThreads(),
  broadcasts: readonly BroadcastInput[] = [],
  runner?: Runner,
  permits?: Permits,
): ExecContext {
  let id = 0;
  return {
    signal,
    ...(runner ? { runner } : {}),
    ...(permits ? { permits } : {}),
    threads,
    broadcasts,
    failures: [],
    listening: listeners.length > 0,
    emit: listeners.length
      ? (e) => {
          for (const l of listeners) l(e);
        }
      : () => {},
    nextOperatorId: () => id++,
  };
}

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw abortError(signal);
}

export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === "AbortError") return reason;
  const err = new Error("The run was aborted", { cause: reason });
  err.name = "AbortError";
  return err;
}
