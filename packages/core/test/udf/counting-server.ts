// A local HTTP server that counts the requests open at once (for clusterMaxConcurrency tests):
// `GET /?x=7&pid=123` answers "14" after `delayMs`; a request counts as open from its arrival
// until its answer is sent or its connection drops (a killed client).
import { createServer, type Server } from "node:http";

export interface CountingServer {
  /** The base URL, e.g. http://127.0.0.1:4567/ */
  url: string;
  /** Requests open right now. */
  open(): number;
  /** The most requests ever open at once since the last `reset`. */
  peak(): number;
  /** Requests open right now, by the `pid` they sent. */
  openByPid(): Map<number, number>;
  /** Requests answered since the last `reset`. */
  answered(): number;
  reset(): void;
  close(): Promise<void>;
}

export async function startCountingServer(delayMs: number): Promise<CountingServer> {
  let open = 0;
  let peak = 0;
  let answered = 0;
  const byPid = new Map<number, number>();
  const server: Server = createServer((req, res) => {
    const q = new URL(req.url ?? "/", "http://localhost").searchParams;
    const pid = Number(q.get("pid") ?? 0);
    open++;
    peak = Math.max(peak, open);
    byPid.set(pid, (byPid.get(pid) ?? 0) + 1);
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      open--;
      const left = (byPid.get(pid) ?? 1) - 1;
      if (left === 0) byPid.delete(pid);
      else byPid.set(pid, left);
    };
    res.on("close", end);
    setTimeout(() => {
      if (ended) return;
      end();
      answered++;
      res.end(String(Number(q.get("x")) * 2));
    }, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    open: () => open,
    peak: () => peak,
    openByPid: () => new Map(byPid),
    answered: () => answered,
    reset() {
      peak = open;
      answered = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
