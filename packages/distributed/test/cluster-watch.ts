// What a fault test watches on a running cluster: the runner's progress and which workers
// hold a task right now.
import type { RedisRunner } from "@deft/distributed";
import { Queue } from "bullmq";
import { Redis } from "ioredis";

/** Resolves once the runner's current stage has `done` tasks done. */
export function afterDone(r: RedisRunner, done: number): Promise<void> {
  return new Promise((resolve) => {
    const on = (p: { done: number }) => {
      if (p.done >= done) {
        r.off("progress", on);
        resolve();
      }
    };
    r.on("progress", on);
  });
}

/** The names of the workers running a task now (BullMQ records who took each job). */
export async function busyWorkers(url: string): Promise<string[]> {
  const connection = new Redis(url, { maxRetriesPerRequest: null });
  connection.on("error", () => {});
  const q = new Queue("deft-tasks", { connection });
  try {
    return (await q.getActive()).map((j) => j.processedBy ?? "").filter((w) => w !== "");
  } finally {
    await q.close();
    connection.disconnect();
  }
}
