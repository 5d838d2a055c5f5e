// Constructing a stateful node's class on the main thread (engines construct it once per run).
import type { ClassNode, StatefulClass } from "../node.js";

export interface Instance {
  call(...args: unknown[]): unknown;
}

/** Loads (for fromModule) and constructs the node's class with its args. */
export async function instantiate(n: ClassNode): Promise<Instance> {
  let cls: unknown = n.cls;
  if (typeof cls !== "function") {
    const ref = n.cls as { url: string; exportName: string };
    const mod = (await import(ref.url)) as Record<string, unknown>;
    cls = mod[ref.exportName];
    if (typeof cls !== "function") {
      throw new Error(
        `Node "${n.name}": ${ref.url} has no class export "${ref.exportName}" (exports: ${Object.keys(mod).join(", ")}).`,
      );
    }
  }
  const instance = new (cls as StatefulClass)(...(n.args as never[])) as unknown as Instance;
  if (typeof instance.call !== "function") {
    throw new Error(`Node "${n.name}": the class has no call() method; define call(...inputs).`);
  }
  return instance;
}
