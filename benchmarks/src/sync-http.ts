// A blocking HTTP client, the kind of thing a sync SDK is: `call(path)` returns the body and
// holds its thread until then. It is how the API benchmark measures "sync calls on worker
// threads" honestly: each instance owns one helper thread (with one keep-alive socket) that
// does the real request, while the calling thread sleeps in Atomics.wait, exactly as a thread
// stuck in a blocking socket read would. Loaded by worker threads through fromModule(); never
// use it on a thread whose event loop the answer depends on.
import {
  MessageChannel,
  type MessagePort,
  receiveMessageOnPort,
  Worker,
} from "node:worker_threads";

// Plain CommonJS for the helper thread: requests arrive on `port`; each answer is posted back,
// then the flag is raised so the blocked caller wakes and reads it synchronously.
const HELPER_SOURCE = `
const http = require("node:http");
const { workerData } = require("node:worker_threads");
const { port, flag, base } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
function reply(message) {
  port.postMessage(message);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}
port.on("message", (path) => {
  http.get(base + path, { agent }, (res) => {
    res.setEncoding("utf8");
    let body = "";
    res.on("data", (c) => { body += c; });
    res.on("end", () => reply(res.statusCode === 200
      ? { body }
      : { error: "GET " + path + ": HTTP " + res.statusCode }));
    res.on("error", (e) => reply({ error: String(e) }));
  }).on("error", (e) => reply({ error: String(e) }));
});
`;

type Reply = { body: string } | { error: string };

export class SyncHttpClient {
  private readonly port: MessagePort;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private readonly timeoutMs: number;

  /** `base` is the server's origin ("http://127.0.0.1:8080"); every call GETs base + path. */
  constructor(base: string, timeoutMs = 10_000) {
    const { port1, port2 } = new MessageChannel();
    const helper = new Worker(HELPER_SOURCE, {
      eval: true,
      workerData: { port: port2, flag: this.flag, base },
      transferList: [port2],
    });
    // Neither the helper nor the port may keep a finished thread or process alive.
    helper.unref();
    port1.unref();
    this.port = port1;
    this.timeoutMs = timeoutMs;
  }

  /** GET base + path, blocking this thread until the body is here. */
  call(path: string): string {
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage(path);
    if (Atomics.wait(this.flag, 0, 0, this.timeoutMs) === "timed-out") {
      throw new Error(`SyncHttpClient: GET ${path} got no answer within ${this.timeoutMs} ms`);
    }
    const received = receiveMessageOnPort(this.port);
    if (!received) throw new Error(`SyncHttpClient: GET ${path} woke with no answer`);
    const reply = received.message as Reply;
    if ("error" in reply) throw new Error(reply.error);
    return reply.body;
  }
}
