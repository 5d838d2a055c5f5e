import type { ExecContext } from "./context.js";
import type { UdfEvent } from "./events.js";
import type { UdfEventListener } from "./runner.js";

/**
 * The UDF events of a stage run by a runner, passed on to the run's subscribers as a local
 * run emits them: each UDF operator of the stage's fragment gets an id of this run, an
 * `operator:start` before its first event (so `progress: true` draws its bar) and an
 * `operator:end` when the stage ends; the events keep their worker and task.
 */
export class RemoteUdfEvents {
  private readonly ops = new Map<
    number,
    { id: number; name: string; rows: number; batches: number }
  >();
  private readonly started = performance.now();
  constructor(private readonly ctx: ExecContext) {}

  /** The listener to hand the runner, or undefined when nobody subscribes. */
  listener(): UdfEventListener | undefined {
    return this.ctx.listening ? (e) => this.pass(e) : undefined;
  }

  private pass(e: UdfEvent): void {
    let op = this.ops.get(e.id);
    if (!op) {
      op = { id: this.ctx.nextOperatorId(), name: `Udf[${e.udf}]`, rows: 0, batches: 0 };
      this.ops.set(e.id, op);
      this.ctx.emit({ type: "operator:start", id: op.id, name: op.name });
    }
    if (e.type === "udf:done") {
      op.rows += e.rows;
      op.batches++;
    }
    this.ctx.emit({ ...e, id: op.id });
  }

  /** The stage ended (done, failed or stopped): each UDF operator's `operator:end`. */
  end(): void {
    const ms = performance.now() - this.started;
    for (const op of this.ops.values()) {
      this.ctx.emit({
        type: "operator:end",
        id: op.id,
        name: op.name,
        rows: op.rows,
        batches: op.batches,
        ms,
      });
    }
    this.ops.clear();
  }
}
