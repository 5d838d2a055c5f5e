// A pipeline node as plain data for a worker thread: its own code (source text or a module
// export), its name, inputs and outputs. The worker side (worker-node.ts) is loaded by its
// module URL; nothing of the node travels as generated code.
import type { ClassNode, FunctionNode } from "../node.js";

/** Where a shipped node's code comes from: its own source text, or a module's export. */
export type NodeCode =
  | { readonly kind: "source"; readonly code: string; readonly fnName: string }
  | { readonly kind: "module"; readonly url: string; readonly exportName: string };

/** One node as a worker receives it. */
export interface ShippedNode {
  /** The node's name: errors on the worker are reported under it. */
  readonly name: string;
  readonly code: NodeCode;
  /** A class: constructed once per thread with `args`, its `call` used per item. */
  readonly cls: boolean;
  readonly args: readonly unknown[];
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly tuple: boolean;
  readonly objectParam: boolean;
}

/** What a DataFrameEngine worker UDF is built with (the `args` of its `udf.cls`). */
export interface FrameNodeSpec {
  /** One node, or a fused chain called in turn. */
  readonly nodes: readonly ShippedNode[];
  /** The name of each argument column, in call order. */
  readonly present: readonly string[];
  /**
   * Per argument: "v8" for node:v8 bytes to deserialize, else the typed array it is rebuilt
   * as (Arrow gives lists back as arrays), or null.
   */
  readonly decode: readonly (string | null)[];
  /** Outputs answered as node:v8 bytes (their column is binary: no type was declared). */
  readonly encode: readonly string[];
  /** "value": the one output as it is; "struct": an object of the outputs, by name. */
  readonly shape: "value" | "struct";
  /**
   * For a chain: the struct field a failure is written to, `{ node, name, message, stack }`
   * with `node` the index of the node that failed; null to throw instead.
   */
  readonly failure: string | null;
  /** For a chain: each output's column type name, checked on the worker against its node. */
  readonly types: Readonly<Record<string, string>>;
}

/** A PoolEngine call: one node with one item's inputs. */
export interface PoolNodeTask {
  /** Identifies the node on a thread (its code compiles and its class is built once). */
  readonly key: string;
  readonly node: ShippedNode;
  readonly values: Readonly<Record<string, unknown>>;
}

/** A thrown error as data (any name crosses threads, not only the built-in ones). */
export interface ErrorData {
  readonly name: string;
  readonly message: string;
  readonly stack: string | undefined;
}

/** What a PoolEngine call answers. */
export type PoolNodeReply =
  | { readonly ok: true; readonly outputs: unknown[] }
  | { readonly ok: false; readonly error: ErrorData };

/** The worker module: `.ts` beside this file when running from source, else the built `.js`. */
export const WORKER_MODULE = new URL(
  import.meta.url.endsWith(".ts") ? "./worker-node.ts" : "./worker-node.js",
  import.meta.url,
);

/** The node as data for a worker thread. */
export function shipNode(n: FunctionNode | ClassNode): ShippedNode {
  const base = {
    name: n.name,
    inputs: [...n.inputs],
    outputs: [...n.outputs],
    tuple: n.tuple,
    objectParam: n.objectParam,
  };
  if (n.kind === "function") {
    const code = Function.prototype.toString.call(n.fn);
    return {
      ...base,
      code: { kind: "source", code, fnName: n.fn.name || n.name },
      cls: false,
      args: [],
    };
  }
  const code: NodeCode =
    typeof n.cls === "function"
      ? { kind: "source", code: Function.prototype.toString.call(n.cls), fnName: n.cls.name }
      : { kind: "module", url: n.cls.url, exportName: n.cls.exportName };
  return { ...base, code, cls: true, args: [...n.args] };
}

/** A name not in `taken`: `base`, else `base_1`, `base_2`, … */
export function freeName(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let i = 1; ; i++) if (!taken.has(`${base}_${i}`)) return `${base}_${i}`;
}
