// Real HTTP for the API-call benchmark: a local node:http server that answers every request
// after a fixed delay, and an async GET over a keep-alive agent. The server runs in a worker
// thread of its own, so its timers never wait on the measured event loop (and a case that
// blocks the main thread could not deadlock it).
import { Agent, get } from "node:http";
import { Worker } from "node:worker_threads";

// Plain CommonJS, evaluated in the server thread (no TypeScript loader needed there).
const SERVER_SOURCE = `
const http = require("node:http");
const { parentPort, workerData } = require("node:worker_threads");
const server = http.createServer((req, res) => {
  setTimeout(() => {
    res.setHeader("content-type", "text/plain");
    res.end("page " + req.url);
  }, workerData.delayMs);
});
server.keepAliveTimeout = 60000;
server.listen(0, "127.0.0.1", () => parentPort.postMessage(server.address().port));
`;

export interface SlowServer {
  /** "http://127.0.0.1:<port>" */
  base: string;
  close(): Promise<void>;
}

/** Starts a server (on 127.0.0.1, a free port) that answers `page <url>` after `delayMs`. */
export async function startSlowServer(delayMs: number): Promise<SlowServer> {
  const worker = new Worker(SERVER_SOURCE, { eval: true, workerData: { delayMs } });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`the HTTP server thread exited (${code})`)));
  });
  return {
    base: `http://127.0.0.1:${port}`,
    close: async () => {
      await worker.terminate();
    },
  };
}

/** A keep-alive agent, so no case pays a TCP handshake per call that another does not. */
export function keepAliveAgent(maxSockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets });
}

/** GET `url` and resolve to the body text; rejects on a non-200 answer. */
export function getText(url: string, agent: Agent): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, { agent }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`GET ${url}: HTTP ${res.statusCode}`));
        return;
      }
      res.setEncoding("utf8");
      let body = "";
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => resolve(body));
      res.on("error", reject);
    }).on("error", reject);
  });
}
