/**
 * An ordered parallel map: runs a task per input with bounded concurrency and yields the
 * results in input order, each as soon as it and everything before it is done.
 *
 * - Concurrency is a budget of weight in flight (default weight 1 per input, so the budget
 *   counts tasks; a weight of rows makes it count rows), held until a task is done or, if
 *   asked, until its result is yielded. An input heavier than the whole budget still runs,
 *   alone.
 * - Read-ahead is bounded: at most `readAhead` inputs are held at once (running, or done and
 *   waiting for an earlier one). A consumer that stops pulling therefore stops the input.
 * - Breaking out of the loop, an error or the signal stops new tasks at once, aborts the
 *   signal handed to running tasks and closes the input; a task settling after that is
 *   ignored (no unhandled rejection).
 */

/** Runs one input; `seq` is its 0-based position in the input. */
export type OrderedTask<I, O> = (input: I, seq: number, signal: AbortSignal) => O | PromiseLike<O>;

export interface OrderedMapOptions<I, O> {
  /** Weight in flight at once (tasks, or rows with a row weight). Must be >= 1. */
  readonly concurrency: number;
  /** What an input weighs against `concurrency`; 1 when omitted. */
  readonly weight?: (input: I, seq: number) => number;
  /**
   * When an input's weight goes back to the budget: when its task is done (the default: the
   * budget bounds work running), or when the consumer, having taken its result, asks for the
   * next one (the budget bounds what is held: running, or done and waiting to be taken).
   */
  readonly release?: "done" | "yielded";
  /** Inputs held at once, running or waiting to be yielded; default 2 x concurrency. */
  readonly readAhead?: number;
  /** Aborting it fails the stream with the signal's reason. */
  readonly signal?: AbortSignal;
  /**
   * A failed task's fate: return (or resolve to) a replacement result, or throw to fail the
   * stream. Without it, the first error fails the stream.
   */
  readonly onError?: (error: unknown, input: I, seq: number) => O | PromiseLike<O>;
}

interface Slot<O> {
  readonly weight: number;
  done: boolean;
  value: O | undefined;
}

const noop = () => {};

function isThenable<T>(v: unknown): v is PromiseLike<T> {
  return (
    v !== null &&
    (typeof v === "object" || typeof v === "function") &&
    typeof (v as { then?: unknown }).then === "function"
  );
}

function checkOptions(concurrency: number, readAhead: number): void {
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) {
    throw new RangeError(`orderedMap: concurrency must be an integer >= 1, got ${concurrency}.`);
  }
  if (!(Number.isInteger(readAhead) && readAhead >= 1)) {
    throw new RangeError(`orderedMap: readAhead must be an integer >= 1, got ${readAhead}.`);
  }
}

export async function* orderedMap<I, O>(
  input: AsyncIterable<I> | Iterable<I>,
  task: OrderedTask<I, O>,
  options: OrderedMapOptions<I, O>,
): AsyncGenerator<O, void, undefined> {
  const { concurrency, weight, signal, onError } = options;
  const onYield = options.release === "yielded";
  const readAhead = options.readAhead ?? 2 * concurrency;
  checkOptions(concurrency, readAhead);
  signal?.throwIfAborted();

  const window: Slot<O>[] = [];
  let head = 0;
  let running = 0;
  let failure: { error: unknown } | null = null;
  let inputDone = false;
  let stopped = false;
  let pulling = false;
  const tasks = new AbortController();

  let wakeFeeder: (() => void) | null = null;
  let wakeConsumer: (() => void) | null = null;
  const feederWaits = () => new Promise<void>((r) => (wakeFeeder = r));
  const consumerWaits = () => new Promise<void>((r) => (wakeConsumer = r));
  const poke = () => {
    const f = wakeFeeder;
    const c = wakeConsumer;
    wakeFeeder = wakeConsumer = null;
    f?.();
    c?.();
  };

  const fail = (error: unknown) => {
    if (failure || stopped) return;
    failure = { error };
    tasks.abort(error);
    poke();
  };
  const onAbort = () => fail(signal!.reason);
  signal?.addEventListener("abort", onAbort, { once: true });

  const settle = (slot: Slot<O>, value: O) => {
    if (stopped) return;
    if (!onYield) running -= slot.weight;
    slot.value = value;
    slot.done = true;
    poke();
  };
  const failed = (slot: Slot<O>, item: I, seq: number, error: unknown) => {
    if (stopped || failure) return;
    if (!onError) return fail(error);
    try {
      const v = onError(error, item, seq);
      if (isThenable<O>(v)) v.then((r) => settle(slot, r), fail);
      else settle(slot, v);
    } catch (e) {
      fail(e);
    }
  };
  const start = (item: I, seq: number, w: number) => {
    const slot: Slot<O> = { weight: w, done: false, value: undefined };
    window.push(slot);
    running += w;
    let r: O | PromiseLike<O>;
    try {
      r = task(item, seq, tasks.signal);
    } catch (e) {
      failed(slot, item, seq, e);
      return;
    }
    if (isThenable<O>(r)) {
      r.then(
        (v) => settle(slot, v),
        (e: unknown) => failed(slot, item, seq, e),
      );
    } else settle(slot, r);
  };

  const it =
    Symbol.asyncIterator in input
      ? (input as AsyncIterable<I>)[Symbol.asyncIterator]()
      : (input as Iterable<I>)[Symbol.iterator]();
  const feed = async () => {
    let seq = 0;
    try {
      while (!stopped && !failure) {
        if (window.length - head >= readAhead) {
          await feederWaits();
          continue;
        }
        pulling = true;
        const step = await it.next();
        pulling = false;
        if (step.done || stopped || failure) break;
        const item = step.value;
        const w = weight ? weight(item, seq) : 1;
        if (!(w >= 0 && Number.isFinite(w))) {
          throw new RangeError(`orderedMap: input ${seq} weighs ${w}; a weight must be >= 0.`);
        }
        while (running > 0 && running + w > concurrency && !stopped && !failure) {
          await feederWaits();
        }
        if (stopped || failure) break;
        start(item, seq++, w);
      }
    } catch (e) {
      fail(e);
    } finally {
      pulling = false;
      inputDone = true;
      poke();
    }
  };

  try {
    void feed();
    for (;;) {
      if (failure) throw (failure as { error: unknown }).error;
      const slot = window[head];
      if (slot?.done) {
        window[head++] = undefined as never;
        // Compact now and then so the window array does not grow with the input.
        if (head > 64 && head * 2 > window.length) {
          window.splice(0, head);
          head = 0;
        }
        poke();
        yield slot.value as O;
        if (onYield) {
          // Back for more: the consumer is done with the result it took.
          running -= slot.weight;
          poke();
        }
        continue;
      }
      if (!slot && inputDone) return;
      await consumerWaits();
    }
  } finally {
    stopped = true;
    tasks.abort(failure ? (failure as { error: unknown }).error : undefined);
    signal?.removeEventListener("abort", onAbort);
    poke();
    // Close the input. A pull in flight settles before the close takes effect: a consumer
    // that stopped early waits for it (the input is closed when its return resolves), a
    // failed or aborted one does not (the error surfaces at once).
    const closing = it.return?.(undefined);
    if (closing && (!pulling || !failure)) await Promise.resolve(closing).catch(noop);
    else if (closing) void Promise.resolve(closing).catch(noop);
  }
}
