import { Redis } from "ioredis";

/** How long a runner or worker waits for Redis before failing (a wrong URL fails in seconds). */
export const CONNECT_TIMEOUT_MS = 3000;

/**
 * A Redis connection for BullMQ (`maxRetriesPerRequest: null`, so commands wait through a
 * Redis restart instead of failing). `lazyConnect`: `connected` opens it.
 */
export function redisConnection(url: string): Redis {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`"${url}" is not a Redis URL: write it as redis://host:6379`);
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:")
    throw new Error(`"${url}" is not a Redis URL: write it as redis://host:6379`);
  const conn = new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    lazyConnect: true,
    // Reconnect soon after Redis comes back (a restart), never give up while running.
    retryStrategy: (times) => Math.min(100 * times, 1000),
  });
  // Connection errors surface through `connected` and the commands that wait on them; the
  // client reconnects by itself, so its error events are not the process's to crash on.
  conn.on("error", () => {});
  return conn;
}

/**
 * Opens `conn` and checks Redis answers, failing after `CONNECT_TIMEOUT_MS` with an error
 * naming the URL (ioredis alone would retry forever).
 */
export async function connected(conn: Redis, url: string, who: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `${who} could not reach Redis at ${url} within ${CONNECT_TIMEOUT_MS / 1000} s: start redis-server there (or fix the URL)`,
          ),
        ),
      CONNECT_TIMEOUT_MS,
    );
  });
  try {
    // A refused connection rejects connect() at once; the client keeps retrying, and the
    // ping (queued until a connection is ready) answers once Redis does.
    conn.connect().catch(() => {});
    await Promise.race([conn.ping(), timeout]);
  } catch (err) {
    conn.disconnect();
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
