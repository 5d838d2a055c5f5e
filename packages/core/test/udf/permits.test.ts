import { MessageChannel } from "node:worker_threads";
import { LocalPermits, portPermits, servePermits } from "@deft/core/internal";
import { describe, expect, it } from "vitest";

const never = new AbortController().signal;
const tick = () => new Promise((r) => setTimeout(r, 10));

describe("LocalPermits", () => {
  it("lets n out per UDF, serves waiters in order, and an aborted wait gives up", async () => {
    const p = new LocalPermits();
    const a = await p.take("f", 2, never);
    await p.take("f", 2, never);
    // Another UDF has its own budget.
    await p.take("g", 1, never);
    const order: string[] = [];
    const stop = new AbortController();
    const c = p.take("f", 2, stop.signal);
    c.catch(() => order.push("c aborted"));
    const d = p.take("f", 2, never).then(() => order.push("d"));
    await tick();
    expect(order).toEqual([]);
    stop.abort();
    a();
    a(); // giving back twice returns one permit
    await d;
    expect(order).toEqual(["c aborted", "d"]);
    let e = false;
    void p.take("f", 2, never).then(() => {
      e = true;
    });
    await tick();
    expect(e).toBe(false);
  });
});

describe("permits over a MessagePort", () => {
  it("a port that closes gives back every permit taken through it", async () => {
    const local = new LocalPermits();
    const first = new MessageChannel();
    const second = new MessageChannel();
    servePermits(first.port1, local);
    servePermits(second.port1, local);
    const client = portPermits(first.port2);
    const other = portPermits(second.port2);
    await client.take("f", 2, never);
    await client.take("f", 2, never);
    let granted = false;
    const waiting = other.take("f", 2, never).then((give) => {
      granted = true;
      return give;
    });
    await tick();
    expect(granted).toBe(false);
    // The thread on the other side ends without giving its permits back.
    first.port2.close();
    const give = await waiting;
    expect(granted).toBe(true);
    give();
    second.port2.close();
  });

  it("a cancelled wait takes nothing", async () => {
    const local = new LocalPermits();
    const ch = new MessageChannel();
    servePermits(ch.port1, local);
    const client = portPermits(ch.port2);
    const give = await client.take("f", 1, never);
    const stop = new AbortController();
    const waiting = client.take("f", 1, stop.signal);
    stop.abort();
    await expect(waiting).rejects.toMatchObject({ name: "AbortError" });
    give();
    // The one permit is free: the cancelled wait did not keep it.
    const again = await client.take("f", 1, AbortSignal.timeout(2000));
    again();
    ch.port2.close();
  });
});
