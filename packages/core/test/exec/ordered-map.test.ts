import { orderedMap } from "@deft/core/internal";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** An input that counts how far it was pulled and whether it was closed. */
function counted<T>(values: readonly T[]) {
  const state = { pulled: 0, closed: false };
  async function* gen() {
    try {
      for (const v of values) {
        state.pulled++;
        yield v;
      }
    } finally {
      state.closed = true;
    }
  }
  return { state, input: gen() };
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const v of it) out.push(v);
  return out;
}

// A rejection nobody handles fails the test that caused it, not a later one.
let unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => unhandled.push(e);
beforeEach(() => {
  unhandled = [];
  process.on("unhandledRejection", onUnhandled);
});
afterEach(async () => {
  await sleep(5);
  process.off("unhandledRejection", onUnhandled);
  expect(unhandled).toEqual([]);
});

describe("orderedMap", () => {
  it("yields results in input order whatever the task delays", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 30 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 12 }),
        async (delays, concurrency, readAhead) => {
          const out = await collect(
            orderedMap(
              delays,
              async (d, seq) => {
                if (d > 0) await sleep(d);
                return { seq, d };
              },
              { concurrency, readAhead },
            ),
          );
          expect(out).toEqual(delays.map((d, seq) => ({ seq, d })));
        },
      ),
      { numRuns: 40 },
    );
  });

  it("never has more weight in flight than the budget (an overweight input runs alone)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({ w: fc.integer({ min: 0, max: 6 }), d: fc.integer({ min: 0, max: 3 }) }),
          { maxLength: 30 },
        ),
        fc.integer({ min: 1, max: 8 }),
        fc.constantFrom("done" as const, "yielded" as const),
        async (inputs, concurrency, release) => {
          // The weight counted from a task's start until its task ends or its result is taken.
          let weight = 0;
          const out: number[] = [];
          for await (const w of orderedMap(
            counted(inputs).input,
            async (x) => {
              // An input starts only if it fits beside the others, or when they weigh nothing.
              if (weight > 0) expect(weight + x.w).toBeLessThanOrEqual(concurrency);
              weight += x.w;
              await sleep(x.d);
              if (release === "done") weight -= x.w;
              return x.w;
            },
            { concurrency, weight: (x) => x.w, readAhead: 16, release },
          )) {
            if (release === "yielded") weight -= w;
            out.push(w);
            if (w % 2 === 1) await sleep(1);
          }
          expect(out).toEqual(inputs.map((x) => x.w));
        },
      ),
      { numRuns: 40 },
    );
  });

  it("runs tasks concurrently up to the budget", async () => {
    let active = 0;
    let peak = 0;
    const out = await collect(
      orderedMap(
        Array.from({ length: 20 }, (_, i) => i),
        async (i) => {
          peak = Math.max(peak, ++active);
          await sleep(5);
          active--;
          return i * 2;
        },
        { concurrency: 4 },
      ),
    );
    expect(out).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
    expect(peak).toBe(4);
  });

  it("stops pulling when the consumer stops, and closes the input on break", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 6 }),
        async (take, concurrency, readAhead) => {
          const src = counted(Array.from({ length: 100 }, (_, i) => i));
          const started: number[] = [];
          const it = orderedMap(
            src.input,
            async (i) => {
              started.push(i);
              await sleep(1);
              return i;
            },
            { concurrency, readAhead },
          );
          for (let k = 0; k < take; k++) expect((await it.next()).value).toBe(k);
          // The consumer pauses: the map fills its window and stops pulling.
          await sleep(15);
          const bound = take + readAhead + 1;
          expect(src.state.pulled).toBeLessThanOrEqual(bound);
          expect(started.length).toBeLessThanOrEqual(take + readAhead);
          await it.return(undefined);
          // A map never pulled from never starts: it neither reads nor has to close its input.
          expect(src.state.closed).toBe(take > 0);
          if (take === 0) expect(src.state.pulled).toBe(0);
          const pulled = src.state.pulled;
          await sleep(5);
          expect(src.state.pulled).toBe(pulled);
        },
      ),
      { numRuns: 15 },
    );
  });

  it("aborting rejects a waiting consumer promptly and aborts running tasks", async () => {
    const ac = new AbortController();
    const aborted: number[] = [];
    const src = counted(Array.from({ length: 10 }, (_, i) => i));
    const it = orderedMap(
      src.input,
      (i, _seq, signal) =>
        new Promise<number>((_resolve, reject) => {
          // Never resolves by itself: only the abort ends it.
          signal.addEventListener("abort", () => {
            aborted.push(i);
            reject(new Error(`task ${i} gave up`));
          });
        }),
      { concurrency: 3, signal: ac.signal },
    );
    const next = it.next();
    await sleep(5);
    ac.abort(new Error("stop now"));
    await expect(next).rejects.toThrow("stop now");
    expect(aborted.sort()).toEqual([0, 1, 2]);
    expect(src.state.closed).toBe(true);
    await expect(it.next()).resolves.toEqual({ done: true, value: undefined });
  });

  it("an already aborted signal fails at the first pull", async () => {
    const ac = new AbortController();
    ac.abort(new Error("too late"));
    await expect(
      collect(orderedMap([1], (x) => x, { concurrency: 1, signal: ac.signal })),
    ).rejects.toThrow("too late");
  });

  it("the first error fails the stream promptly and starts nothing after it", async () => {
    const started: number[] = [];
    const seen: number[] = [];
    const run = async () => {
      for await (const v of orderedMap(
        Array.from({ length: 50 }, (_, i) => i),
        async (i, _seq, signal) => {
          started.push(i);
          // The head ends only when the map aborts it: the failure of input 2 must not wait.
          if (i === 0)
            return new Promise<number>((r) => signal.addEventListener("abort", () => r(-1)));
          await sleep(2);
          if (i === 2) throw new Error("input 2 is bad");
          return i;
        },
        { concurrency: 3 },
      )) {
        seen.push(v);
      }
    };
    await expect(run()).rejects.toThrow("input 2 is bad");
    expect(seen).toEqual([]);
    expect(Math.max(...started)).toBeLessThan(6);
  });

  it("a task that throws synchronously or rejects later fails the stream; onError can replace it", async () => {
    const inputs = [1, 2, 3, 4, 5, 6];
    const task = (x: number) => {
      if (x === 3) throw new Error("three");
      if (x === 5) return sleep(1).then(() => Promise.reject(new Error("five")));
      return x % 2 === 0 ? sleep(1).then(() => x * 10) : x * 10;
    };
    await expect(collect(orderedMap(inputs, task, { concurrency: 2 }))).rejects.toThrow("three");
    const out = await collect(
      orderedMap(inputs, task, {
        concurrency: 2,
        onError: (e, x, seq) =>
          x === 5 ? sleep(1).then(() => -seq) : -(e as Error).message.length,
      }),
    );
    expect(out).toEqual([10, 20, -5, 40, -4, 60]);
    const policy = orderedMap(inputs, task, {
      concurrency: 2,
      onError: (e) => {
        throw new Error(`policy: ${(e as Error).message}`);
      },
    });
    await expect(collect(policy)).rejects.toThrow("policy: three");
  });

  it("an input that throws fails the stream", async () => {
    async function* bad() {
      yield 1;
      throw new Error("input broke");
    }
    await expect(collect(orderedMap(bad(), (x) => x, { concurrency: 2 }))).rejects.toThrow(
      "input broke",
    );
  });

  it("rejects a bad budget or weight naming it", async () => {
    await expect(collect(orderedMap([1], (x) => x, { concurrency: 0 }))).rejects.toThrow(
      "concurrency must be an integer >= 1",
    );
    await expect(
      collect(orderedMap([1, 2], (x) => x, { concurrency: 1, weight: () => Number.NaN })),
    ).rejects.toThrow("input 0 weighs NaN");
  });
});
