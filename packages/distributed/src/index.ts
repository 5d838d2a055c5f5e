export { CONNECT_TIMEOUT_MS } from "./connection.js";
export { PERMIT_LEASE_MS, PERMIT_RENEW_MS } from "./permits.js";
export { type RedisRunner, type RedisRunnerOptions, redisRunner } from "./runner.js";
export type { RunnerProgress, RunnerStatus, StageStatus, WorkerStatus } from "./status.js";
export { INLINE_MAX_BYTES } from "./task.js";
export { UDF_EVENTS_MS } from "./udf-events.js";
export {
  type DeftWorker,
  LOCK_MS,
  MAX_STALLED,
  PREFETCH,
  STALLED_INTERVAL_MS,
  type StartWorkerOptions,
  startWorker,
} from "./worker.js";
