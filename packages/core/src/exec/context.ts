import type { DeftEvent } from "./events.js";

/** A per-row UDF failure recorded under `onError: "null"`. */
export interface UdfFailure {
  udf: string;
  column: string;
  /** Row number in the UDF operator's input (0-based, counting across batches). */
  row: number;
  inputs: unknown[];
  error: { name: string; message: string; stack?: string };
  attempts: number;
}

/** Everything a running query shares: cancellation, events, failure records. */
export interface ExecContext {
  readonly signal: AbortSignal;
  emit(event: DeftEvent): void;
  /** True when a subscriber listens: per-row events (udf:call) are only built then. */
  readonly listening: boolean;
  readonly failures: UdfFailure[];
  /** Ids for operators (events name operators by it). */
  nextOperatorId(): number;
}

export function createContext(
  signal: AbortSignal,
  listeners: ((e: DeftEvent) => void)[] = [],
): ExecContext {
  let id = 0;
  return {
    signal,
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
