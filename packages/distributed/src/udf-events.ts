import { MessageChannel, type MessagePort } from "node:worker_threads";
import type { UdfEvent } from "@deft/core";
import type { Job } from "bullmq";
import type { TaskProgress, WireUdfEvent } from "./task.js";

/**
 * How often a worker sends a running task's UDF events to the runner: one BullMQ progress
 * update (one Redis call) per task per interval at most, whatever the rows.
 */
export const UDF_EVENTS_MS = 250;

/**
 * A task's UDF events, from its compute thread (over `port`, transferred with the task) to
 * the runner (as the job's progress, which reaches the runner's QueueEvents in order, before
 * the job's completion).
 */
export class UdfEventForwarder {
  /** The end the compute thread posts to. */
  readonly port: MessagePort;
  private readonly local: MessagePort;
  private pending: WireUdfEvent[] = [];
  private sending: Promise<void> = Promise.resolve();
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly ended: Promise<void>;

  constructor(
    private readonly job: Job,
    private readonly worker: string,
  ) {
    const { port1, port2 } = new MessageChannel();
    this.port = port2;
    this.local = port1;
    this.ended = new Promise<void>((resolve) => {
      port1.on("message", (batch: UdfEvent[] | null) => {
        if (batch === null) resolve();
        else for (const e of batch) this.pending.push(toWire(e));
      });
      port1.once("close", () => resolve());
    });
    this.timer = setInterval(() => void this.flush(), UDF_EVENTS_MS);
  }

  private flush(): Promise<void> {
    this.sending = this.sending.then(async () => {
      if (this.pending.length === 0) return;
      const progress: TaskProgress = { worker: this.worker, udf: this.pending };
      this.pending = [];
      // Progress is best effort: a Redis hiccup loses these events, never the task.
      await this.job.updateProgress(progress).catch(() => {});
    });
    return this.sending;
  }

  /** The task replied: its thread's last events are awaited, then sent. */
  async finish(): Promise<void> {
    await this.ended;
    this.close();
    await this.flush();
  }

  /** Stops listening (the task failed or was stopped); events not sent yet are dropped. */
  close(): void {
    clearInterval(this.timer);
    this.local.close();
  }
}

function toWire(e: UdfEvent): WireUdfEvent {
  if (!("error" in e)) return e;
  const err = e.error;
  return {
    ...e,
    error: {
      name: err?.name ?? "Error",
      message: err?.message ?? String(err),
      ...(err?.stack ? { stack: err.stack } : {}),
    },
  };
}

/** A UDF event back from Redis, its error an Error again. */
export function fromWire(e: WireUdfEvent): UdfEvent {
  if (!("error" in e)) return e;
  const err = new Error(e.error.message);
  err.name = e.error.name;
  if (e.error.stack) err.stack = e.error.stack;
  return { ...e, error: err } as UdfEvent;
}
