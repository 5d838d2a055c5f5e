// progress: one cli-progress bar per node, drawn only on a TTY stream.
import { PassThrough } from "node:stream";
import { node, Pipeline } from "@deft/pipeline";
import { describe, expect, it } from "vitest";
import { engines } from "./engines.js";

/** A stream that says it is (or is not) a terminal, and keeps what was written to it. */
function terminal(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  const s = Object.assign(new PassThrough(), { isTTY, columns: 120 });
  let text = "";
  s.on("data", (c: Buffer) => {
    text += c.toString();
  });
  return { stream: s as unknown as NodeJS.WriteStream, text: () => text };
}

describe.each(engines)("progress on the %s engine", (_name, makeEngine) => {
  const double = node({ output: "doubled" }, async (x: number) => x * 2);
  const inc = node({ output: "plus" }, (doubled: number) => doubled + 1);

  it("draws a bar per node that reaches the item count on a TTY", async () => {
    const tty = terminal(true);
    const p = new Pipeline([double, inc], {
      engine: makeEngine({ progress: { stream: tty.stream } }),
      name: "math",
    });
    const out = await p.map({ x: [1, 2, 3, 4, 5] }, { mapOver: ["x"] });
    expect(out.map((r) => r.plus)).toEqual([3, 5, 7, 9, 11]);
    // cli-progress redraws in place; the final frame shows each node at 5/5.
    expect(tty.text()).toMatch(/5\/5 \| doubled/);
    expect(tty.text()).toMatch(/5\/5 \| plus/);
  });

  it("writes nothing when the stream is not a TTY", async () => {
    const pipe = terminal(false);
    const p = new Pipeline([double, inc], {
      engine: makeEngine({ progress: { stream: pipe.stream } }),
    });
    await p.map({ x: [1, 2] }, { mapOver: ["x"] });
    expect(pipe.text()).toBe("");
  });
});
