import type { RecordBatch, Schema } from "apache-arrow";
import { formatExpr } from "../expr/expr.js";
import { compile, type Program } from "../kernels/evaluate.js";
import { makeBatch } from "../kernels/take-concat.js";
import type { PlanNode } from "../plan/nodes.js";
import { UdfError, UdfSetupError } from "../udf/errors.js";
import { loadLocal } from "../udf/load.js";
import type { GivePermit } from "../udf/permits.js";
import { LaneScheduler } from "../udf/scheduler.js";
import { abortError, type ExecContext, throwIfAborted } from "./context.js";
import type { Operator } from "./operator.js";
import { orderedMap } from "./ordered-map.js";
import { rechunk } from "./rechunk.js";
import {
  announcingCalls,
  batchMode,
  rowMode,
  type UdfJob,
  type UdfMode,
  workerMode,
} from "./udf-modes.js";

type UdfProjectNode = Extract<PlanNode, { kind: "udfProject" }>;

/**
 * Runs one UDF over its input stream: output = the input columns + the UDF's column.
 *
 * Input batches become jobs whose units (rows, batches or worker chunks) run on a
 * LaneScheduler shared by all batches, so the in-flight budget spans batch boundaries and a
 * slow row never holds a whole batch hostage. Results land by index. The jobs go through the
 * ordered parallel map: batches are emitted in input order as soon as the oldest is
 * complete, and input is pulled ahead only within a bounded budget, so memory stays bounded.
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
      rt.clusterMaxConcurrency ? `clusterMaxConcurrency=${rt.clusterMaxConcurrency}` : "",
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

  private async mode(
    ctx: ExecContext,
    opId: number,
    raise: (job: UdfJob, e: Error) => void,
  ): Promise<UdfMode> {
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
    const started = performance.now();
    let rowsOut = 0;
    let batchesOut = 0;
    let lanes: LaneScheduler<UdfJob> | null = null;
    // A row failing under onError "raise", or a UDF that cannot run: the batch's job fails,
    // which fails the ordered map and with it the run.
    let stopMode: ((reason: unknown) => void) | undefined;
    const raise = (job: UdfJob, e: Error) => {
      lanes?.stop();
      stopMode?.(e);
      if (!job.settled) {
        job.settled = true;
        job.reject(e);
      }
    };
    try {
      const mode = await this.mode(ctx, opId, raise);
      stopMode = mode.stop;
      const sched = new LaneScheduler<UdfJob>(
        mode.lanes,
        {
          retries: def.runtime.retries,
          // On workers the time limit is per call, kept by the thread; a task (a chunk of
          // rows, maybe behind a thread's cold start) is not timed as a whole.
          timeoutMs: def.runtime.workers > 0 ? 0 : def.runtime.timeoutMs,
          name: def.name,
        },
        {
          ...mode.hooks,
          fatal: (job, e) => {
            if (!(e instanceof UdfError || e instanceof UdfSetupError)) return false;
            raise(job, e);
            return true;
          },
        },
        this.permit(ctx),
      );
      lanes = sched;
      const budget = Math.max(4 * mode.lanes, 2);
      let watching = false;
      const jobs = orderedMap(
        this.jobs(ctx, mode),
        (job, _seq, signal) => {
          if (!watching) {
            // The map aborts its tasks' signal when it fails or stops: no call starts after.
            watching = true;
            signal.addEventListener(
              "abort",
              () => {
                const reason = ctx.signal.aborted ? ctx.signal.reason : undefined;
                sched.stop(reason);
                mode.stop?.(reason);
              },
              { once: true },
            );
          }
          sched.add(job);
          return job.promise;
        },
        {
          concurrency: budget,
          // A batch weighs at most half the budget, so the next one is always queued behind
          // the oldest: lanes freed by its last rows find work at once.
          weight: (job) => Math.min(mode.weight(job), budget / 2),
          // The budget bounds the batches held, running or done and waiting for the oldest.
          release: "yielded",
          readAhead: 2 + 2 * mode.lanes,
          signal: ctx.signal,
        },
      );
      for await (const job of jobs) {
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
        rowsOut += n;
        batchesOut++;
        yield makeBatch(this.schema, cols, n);
      }
    } catch (e) {
      throw ctx.signal.aborted ? abortError(ctx.signal) : e;
    } finally {
      const reason = ctx.signal.aborted ? ctx.signal.reason : undefined;
      lanes?.stop(reason);
      stopMode?.(reason);
      ctx.emit({
        type: "operator:end",
        id: opId,
        name: this.name,
        rows: rowsOut,
        batches: batchesOut,
        ms: performance.now() - started,
      });
    }
  }

  /**
   * The permit each call takes on this thread: from the run's budget when the UDF has a
   * `clusterMaxConcurrency` and the run has one (a distributed worker's task). Worker-thread
   * UDFs take theirs on the threads (see workerMode).
   */
  private permit(ctx: ExecContext): ((signal: AbortSignal) => Promise<GivePermit>) | undefined {
    const def = this.node.udf.udf;
    const cap = def.runtime.clusterMaxConcurrency;
    const permits = ctx.permits;
    if (cap === undefined || !permits || def.runtime.workers > 0) return undefined;
    return (signal) => permits.take(def.name, cap, signal);
  }

  /** The input batches as jobs: argument columns evaluated, units laid out by the mode. */
  private async *jobs(ctx: ExecContext, mode: UdfMode): AsyncGenerator<UdfJob> {
    const def = this.node.udf.udf;
    const source =
      def.kind === "batch" && def.runtime.batchSize
        ? rechunk(this.input.execute(ctx), def.runtime.batchSize)
        : this.input.execute(ctx);
    let rowBase = 0;
    for await (const batch of source) {
      yield newJob(batch, rowBase, this.programs, mode);
      rowBase += batch.numRows;
    }
  }
}

function newJob(batch: RecordBatch, rowBase: number, programs: Program[], mode: UdfMode): UdfJob {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<UdfJob>((res, rej) => {
    resolve = () => res(job);
    reject = rej;
  });
  const partial = {
    batch,
    rowBase,
    argData: programs.map((p) => p(batch)),
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
  const job: UdfJob = Object.assign(partial, { n, pending: n, out: new Array<unknown>(n) });
  return job;
}
