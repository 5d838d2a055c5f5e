import { PassThrough } from "node:stream";
import {
  col,
  DataFrame,
  type DeftEvent,
  fromModule,
  lit,
  RetryAfterError,
  type Udf,
  udf,
} from "@deft/core";
import { LOADED_UDF_LIMIT, loadedUdfCount, progressSubscriber } from "@deft/core/internal";
import type { Vector } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { range, sleep } from "./helpers.js";

describe("UDFs through the DataFrame", () => {
  it("adds a column with an async UDF, in order", async () => {
    const shout = udf(
      async (s: string, n: number) => {
        await sleep(Math.random() * 5);
        return `${s.toUpperCase()}${"!".repeat(n)}`;
      },
      { returns: "utf8" },
    );
    const df = DataFrame.fromColumns({ s: ["a", "b", "c"], n: Float64Array.from([1, 2, 3]) });
    const out = await df.withColumn("y", shout(col("s"), col("n"))).toRecords();
    expect(out.map((r) => r.y)).toEqual(["A!", "B!!", "C!!!"]);
  });

  it("passes a string argument as a literal", async () => {
    const prefix = udf((p: string, x: number) => `${p}${x}`, { returns: "utf8" });
    const out = await DataFrame.fromColumns({ x: Float64Array.from([1, 2]) })
      .withColumn("y", prefix("id-", col("x")))
      .toRecords();
    expect(out.map((r) => r.y)).toEqual(["id-1", "id-2"]);
  });

  it("returns failures from collectWithFailures under onError null", async () => {
    const parse = udf(
      (s: string) => {
        const n = Number(s);
        if (Number.isNaN(n)) throw new Error(`not a number: ${s}`);
        return n;
      },
      { returns: "float64", onError: "null", name: "parse" },
    );
    const { data, failures } = await DataFrame.fromColumns({ s: ["1", "x", "3", "y"] })
      .withColumn("n", parse(col("s")))
      .collectWithFailures();
    expect((await data.toRecords()).map((r) => r.n)).toEqual([1, null, 3, null]);
    expect(failures.map((f) => [f.udf, f.column, f.row, f.inputs])).toEqual([
      ["parse", "n", 1, ["x"]],
      ["parse", "n", 3, ["y"]],
    ]);
  });

  it("rejects the run under onError raise with the row and inputs", async () => {
    const f = udf(
      (x: number) => {
        if (x === 7) throw new RetryAfterError(1, "still busy");
        return x;
      },
      { returns: "float64", retries: 2, name: "busy" },
    );
    const df = DataFrame.fromColumns({ x: Float64Array.from(range(10)) }).withColumn(
      "y",
      f(col("x")),
    );
    await expect(df.collect()).rejects.toThrow(
      /UDF "busy" failed for column "y" at row 7 with inputs \(7\) after 3 attempts/,
    );
  });

  it("a downstream limit stops upstream UDF calls", async () => {
    let calls = 0;
    const f = udf(
      async (x: number) => {
        calls++;
        await sleep(1);
        return x;
      },
      { returns: "float64", maxConcurrency: 4 },
    );
    const df = DataFrame.fromColumns({ x: Float64Array.from(range(100_000)) })
      .intoBatches(100)
      .withColumn("y", f(col("x")))
      .limit(5);
    const out = await df.toRecords();
    expect(out.map((r) => r.y)).toEqual([0, 1, 2, 3, 4]);
    expect(calls).toBeLessThan(1000);
  });

  it("rejects with AbortError when the signal fires", async () => {
    const f = udf(
      async (x: number) => {
        await sleep(50);
        return x;
      },
      { returns: "float64", maxConcurrency: 2 },
    );
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 60);
    const df = DataFrame.fromColumns({ x: Float64Array.from(range(100)) }).withColumn(
      "y",
      f(col("x")),
    );
    await expect(df.collect({ signal: ac.signal })).rejects.toMatchObject({ name: "AbortError" });
  });

  it("runs a fromModule worker UDF and a batch UDF end to end", async () => {
    const where = udf(fromModule(new URL("./fixtures/udfs.ts", import.meta.url), "whereAmI"), {
      returns: "utf8",
      workers: 2,
    });
    const sum = udf.batch(
      (a: Vector, b: Vector) => Float64Array.from(a, (v, i) => Number(v) + Number(b.get(i))),
      {
        returns: "float64",
        batchSize: 3,
      },
    );
    const out = await DataFrame.fromColumns({ x: Float64Array.from(range(8)) })
      .withColumn("w", where(col("x")))
      .withColumn("s", sum(col("x"), lit(10)))
      .toRecords();
    expect(out.map((r) => Number(String(r.w).split(":")[1]))).toEqual(range(8));
    expect(out.map((r) => r.s)).toEqual(range(8).map((x) => x + 10));
  });

  it("overlaps async batch calls up to maxConcurrency", async () => {
    let inFlight = 0;
    let peak = 0;
    const bulk = udf.batch(
      async (xs: { length: number }) => {
        peak = Math.max(peak, ++inFlight);
        await new Promise((r) => setTimeout(r, 30));
        inFlight--;
        return new Float64Array(xs.length).fill(1);
      },
      { returns: "float64", batchSize: 500, maxConcurrency: 8 },
    );
    const out = await DataFrame.fromColumns({ x: Float64Array.from(range(3600)) })
      .withColumn("y", bulk(col("x")))
      .toColumns();
    expect(out.y).toEqual(new Array(3600).fill(1));
    // 8 batches of 500 rows (the last 100): all in flight together, not two at a time.
    expect(peak).toBe(8);
  });

  it("emits UDF events to a progress subscriber and draws bars on a TTY", async () => {
    const events: DeftEvent[] = [];
    const f = udf(async (x: number) => x + 1, { returns: "float64" });
    const df = DataFrame.fromColumns({ x: Float64Array.from(range(50)) })
      .intoBatches(10)
      .withColumn("y", f(col("x")));
    await df.collect({ progress: (e) => events.push(e) });
    const done = events.filter((e) => e.type === "udf:done");
    expect(done.reduce((n, e) => n + (e.type === "udf:done" ? e.rows : 0), 0)).toBe(50);
    // One udf:call per row (a row UDF on the main thread), every row once.
    const calls = events.flatMap((e) => (e.type === "udf:call" ? [[e.row, e.rows]] : []));
    expect(calls.sort((a, b) => a[0]! - b[0]!)).toEqual(range(50).map((r) => [r, 1]));
    expect(events.some((e) => e.type === "operator:start" && e.name.startsWith("Udf["))).toBe(true);

    const tty = Object.assign(new PassThrough(), {
      isTTY: true,
      columns: 100,
    }) as unknown as NodeJS.WriteStream & PassThrough;
    let drawn = "";
    tty.on("data", (c: Buffer) => (drawn += c.toString()));
    const bars = progressSubscriber(tty);
    for (const e of events) bars(e);
    expect(drawn).toContain("Udf[anonymous]");
    expect(drawn).toContain("50 rows");

    const pipe = Object.assign(new PassThrough(), {
      isTTY: false,
    }) as unknown as NodeJS.WriteStream & PassThrough;
    let piped = "";
    pipe.on("data", (c: Buffer) => (piped += c.toString()));
    const none = progressSubscriber(pipe);
    for (const e of events) none(e);
    expect(piped).toBe("");
  });
});

describe("udf() options", () => {
  it("rejects bad options with clear errors", () => {
    const fn = (x: number) => x;
    expect(() => udf(fn, {} as never)).toThrow(/returns/);
    expect(() => udf(fn, { returns: "nope" })).toThrow(/Unknown type "nope"/);
    expect(() => udf(fn, { returns: "int32", maxConcurrency: 0 })).toThrow(
      /maxConcurrency must be an integer >= 1/,
    );
    expect(() => udf(fn, { returns: "int32", retries: -1 })).toThrow(/retries/);
    expect(() => udf(fn, { returns: "int32", onError: "skip" as never })).toThrow(
      /onError must be "raise" or "null"/,
    );
    expect(() => udf(fn, { returns: "int32", concurrency: 3 } as never)).toThrow(
      /unknown option "concurrency"/,
    );
    expect(() => udf(fn, { returns: "int32", batchSize: 10 })).toThrow(/batchSize/);
    expect(() => udf("x" as never, { returns: "int32" })).toThrow(/takes a function or fromModule/);
    expect(() => fromModule("./relative.ts", "x")).toThrow(/import\.meta\.url/);
    expect(() => new RetryAfterError(-1)).toThrow(/RetryAfterError/);
  });

  it("builds an expression that names the UDF", () => {
    const f = udf(
      function titleOf(u: string) {
        return u;
      },
      { returns: "utf8" },
    );
    expect(f(col("url")).toString()).toBe("titleOf(col(url))");
    expect(f.def.kind).toBe("row");
    expect(udf.batch((v) => v, { returns: "utf8", name: "b" }).def.kind).toBe("batch");
  });

  it("constructs a main-thread udf.cls instance once and reuses it across runs", async () => {
    let made = 0;
    class Counter {
      n = 0;
      constructor(readonly step: number) {
        made++;
      }
      async call(x: number) {
        this.n += this.step;
        return x + this.n * 0;
      }
    }
    const c = udf.cls(Counter, { args: [2], returns: "float64" });
    const df = DataFrame.fromColumns({ x: Float64Array.from([1, 2, 3]) }).withColumn(
      "y",
      c(col("x")),
    );
    expect((await df.toRecords()).map((r) => r.y)).toEqual([1, 2, 3]);
    await df.collect();
    expect(made).toBe(1);
  });

  it("keeps at most a few loaded udf.cls instances per thread (least recently used go)", async () => {
    class Plus {
      constructor(readonly k: number) {}
      call(x: number) {
        return x + this.k;
      }
    }
    const first = udf.cls(Plus, { args: [0], returns: "float64" });
    const frame = (u: Udf) =>
      DataFrame.fromColumns({ x: Float64Array.from([1]) }).withColumn("y", u(col("x")));
    await frame(first).collect();
    for (let k = 1; k <= LOADED_UDF_LIMIT + 4; k++) {
      await frame(udf.cls(Plus, { args: [k], returns: "float64" })).collect();
      expect(loadedUdfCount()).toBeLessThanOrEqual(LOADED_UDF_LIMIT);
    }
    // An evicted UDF still runs: it is constructed again.
    expect((await frame(first).toColumns()).y).toEqual([1]);
  });
});
