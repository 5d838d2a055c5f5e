import type { Data, RecordBatch, Schema } from "apache-arrow";
import { formatExpr } from "../expr/expr.js";
import { compile, type Program } from "../kernels/evaluate.js";
import { makeBatch } from "../kernels/take-concat.js";
import type { PlanNode } from "../plan/nodes.js";
import { UdfError, UdfSetupError } from "../udf/errors.js";
import { loadLocal } from "../udf/load.js";
import { LaneScheduler } from "../udf/scheduler.js";
import { abortError, type ExecContext, throwIfAborted } from "./context.js";
import type { Operator } from "./operator.js";
import {
  announcingCalls,
  batchMode,
  rowMode,
  type UdfJob,
  type UdfMode,
  workerMode,
} from "./udf-modes.js";
import { rechunk } from "./udf-rechunk.js";

type UdfProjectNode = Extract<PlanNode, { kind: "udfProject" }>;

const noop = () => {};

/**
 * Runs one UDF over its input stream: output = the input columns + the UDF's column.
 *
 * Input batches become jobs whose units (rows, batches or worker chunks) run on a
 * LaneScheduler shared by all batches, so the in-flight budget spans batch boundaries and a
 * slow row never holds a whole batch hostage. Results land by index; batches are emitted in
 * input order as soon as the oldest is complete. Input is pulled ahead only while the lanes
 * would otherwise run dry, and only a bounded number of batches, so memory stays bounded.
 */
export class UdfProjectOperator implements Operator {
  readonly name: string;
  readonly schema: Schema;
  readonly children: readonly Operator[];
  private readonly programs: Program[];
  private readonly passThrough: number[];

  constructor(
    private readonly node: UdfProjectNode,
    private readonly input: Operator,
    _ctx?: ExecContext,
  ) {
    const def = node.udf.udf;
    this.name = `Udf[${def.name}]`;
    this.schema = node.schema;
    this.children = [input];
    this.programs = node.udf.args.map((a) => compile(a, input.schema));
    const fields = node.schema.fields;
    this.passThrough = fields.slice(0, -1).map((f) => {
      const k = input.schema.fields.findIndex((g) => g.name === f.name);
      if (k < 0) throw new Error(`internal: UdfProject column "${f.name}" is not in its input`);
      return k;
    });
  }

  describe(): string {
    const def = this.node.udf.udf;
    const rt = def.runtime;
    const how = rt.workers > 0 ? `workers=${rt.workers}` : `maxConcurrency=${rt.maxConcurrency}`;
    const extra = [
      rt.batchSize ? `batchSize=${rt.batchSize}` : "",
      rt.retries ? `retries=${rt.retries}` : "",
      rt.timeoutMs ? `timeoutMs=${rt.timeoutMs}` : "",
      rt.onError === "null" ? "onError=null" : "",
    ].filter((s) => s !== "");
    return `${this.node.name}=${formatExpr(this.node.udf)} [${def.kind}, ${[how, ...extra].join(", ")}]`;
  }

  execute(ctx: ExecContext): AsyncIterable<RecordBatch> {
    return this.run(ctx);
  }

  private async mode(ctx: ExecContext, opId: number, raise: (e: Error) => void): Promise<UdfMode> {
    const def = this.node.udf.udf;
    const env = { def, column: this.node.name, ctx, opId, raise };
    const mode =
      def.runtime.workers > 0
        ? workerMode(env)
        : def.kind === "batch"
          ? batchMode(env, await loadLocal(def))
          : rowMode(env, await loadLocal(def));
    // Per-unit events cost a closure call per row: only when someone listens.
    return ctx.listening ? announcingCalls(mode, ctx, opId, def.name) : mode;
  }

  private async *run(ctx: ExecContext): AsyncGenerator<RecordBatch> {
    throwIfAborted(ctx.signal);
    const def = this.node.udf.udf;
    const opId = ctx.nextOperatorId();
    ctx.emit({ type: "operator:start", id: opId, name: this.name });

    const window: UdfJob[] = [];
    let windowLoad = 0;
    let fatal: Error | null = null;
    let inputDone = false;
    let stopped = false;
    let wakeFeeder: (() => void) | null = null;
    let wakeConsumer: (() => void) | null = null;
    const poke = (which: "feeder" | "consumer") => {
      const w = which === "feeder" ? wakeFeeder : wakeConsumer;
      if (which === "feeder") wakeFeeder = null;
      else wakeConsumer = null;
      w?.();
    };
    let scheduler: LaneScheduler<UdfJob> | null = null;
    const raise = (e: Error) => {
      if (fatal) return;
      fatal = e;
      scheduler?.stop();
      for (const job of window) {
        if (!job.settled) {
          job.settled = true;
          job.reject(e);
        }
      }
      poke("consumer");
      poke("feeder");
    };
    const onAbort = () => raise(abortError(ctx.signal));
    ctx.signal.addEventListener("abort", onAbort, { once: true });

    const source =
      def.kind === "batch" && def.runtime.batchSize
        ? rechunk(this.input.execute(ctx), def.runtime.batchSize)
        : this.input.execute(ctx);
    const it = source[Symbol.asyncIterator]();
    let pulling = false;
    let rowBase = 0;
    try {
      const mode = await this.mode(ctx, opId, raise);
      const sched = new LaneScheduler<UdfJob>(
        mode.lanes,
        def.runtime.retries,
        def.runtime.timeoutMs,
        def.name,
        {
          ...mode.hooks,
          fatal: (e) => {
            if (!(e instanceof UdfError || e instanceof UdfSetupError)) return false;
            raise(e);
            return true;
          },
          room: () => poke("feeder"),
        },
      );
      scheduler = sched;
      // Keep the lanes fed, pulling at most a bounded window of batches ahead of the consumer.
      const maxLoad = Math.max(4 * mode.lanes, 1);
      const hasRoom = () =>
        window.length < 2 ||
        (sched.unstarted < mode.lanes &&
          windowLoad < maxLoad &&
          window.length < 2 + 2 * mode.lanes);
      const feed = async () => {
        try {
          while (!stopped && !fatal) {
            if (!hasRoom()) {
              await new Promise<void>((r) => (wakeFeeder = r));
              continue;
            }
            pulling = true;
            const step = await it.next();
            pulling = false;
            if (step.done || stopped || fatal) break;
            const batch = step.value;
            const argData: Data[] = this.programs.map((p) => p(batch));
            let resolve!: () => void;
            let reject!: (e: Error) => void;
            const promise = new Promise<void>((res, rej) => {
              resolve = res;
              reject = rej;
            });
            promise.catch(noop);
            const partial = {
              batch,
              rowBase,
              argData,
              args: [],
              chunk: 0,
              failures: [],
              next: 0,
              pending: 0,
              out: [] as unknown[],
              settled: false,
              resolve,
              reject,
              promise,
            };
            const n = mode.prepare(partial);
            const job: UdfJob = Object.assign(partial, {
              n,
              pending: n,
              out: new Array<unknown>(n),
            });
            rowBase += batch.numRows;
            windowLoad += mode.weight(job);
            window.push(job);
            sched.add(job);
            poke("consumer");
          }
        } catch (e) {
          raise(e as Error);
        } finally {
          pulling = false;
          inputDone = true;
          poke("consumer");
        }
      };
      void feed();

      for (;;) {
        if (fatal) throw fatal;
        const job = window[0];
        if (!job) {
          if (inputDone) break;
          await new Promise<void>((r) => (wakeConsumer = r));
          continue;
        }
        await job.promise;
        if (fatal) throw fatal;
        window.shift();
        windowLoad -= mode.weight(job);
        poke("feeder");
        const column = mode.assemble(job);
        if (job.failures.length > 0) {
          job.failures.sort((a, b) => a.row - b.row);
          for (const f of job.failures) ctx.failures.push(f);
        }
        const cols = this.passThrough.map((k) => job.batch.data.children[k]!);
        cols.push(column);
        const n = job.batch.numRows;
        ctx.emit({ type: "udf:done", id: opId, udf: def.name, rows: n });
        ctx.emit({ type: "operator:rows", id: opId, name: this.name, rowsIn: n, rowsOut: n });
        yield makeBatch(this.schema, cols, n);
      }
    } finally {
      stopped = true;
      scheduler?.stop();
      ctx.signal.removeEventListener("abort", onAbort);
      poke("feeder");
      // Stop the input; if a pull is in flight, the generator closes after it settles.
      const closing = it.return?.(undefined);
      if (closing && !pulling) await closing.catch(noop);
      else void closing?.catch(noop);
      ctx.emit({ type: "operator:end", id: opId, name: this.name });
    }
  }
}
