// The worker-thread side of pipeline nodes, loaded by module URL: `NodeCall` is the class a
// DataFrameEngine worker UDF constructs (once per thread) from a FrameNodeSpec, and the
// default export answers one PoolEngine call. A node's code is compiled from its own source
// text by the core's shipped-UDF loader, or imported from its module.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { deserialize, serialize } from "node:v8";
import { compileSource, fitsType, shippedSourceError, toDataType } from "@deft/core/shipping";
import { callArgs, splitOutputs } from "./node-args.js";
import type {
  ErrorData,
  FrameNodeSpec,
  PoolNodeReply,
  PoolNodeTask,
  ShippedNode,
} from "./node-spec.js";

type Call = (...args: unknown[]) => unknown;
type Values = Record<string, unknown>;

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (
    v !== null && typeof v === "object" && typeof (v as { then?: unknown }).then === "function"
  );
}

/** Node 20 runs tsx's ESM hooks only on the main thread: .ts modules are required here. */
async function importModule(url: string): Promise<Record<string, unknown>> {
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code !== "ERR_UNKNOWN_FILE_EXTENSION" || !/\.(ts|mts|cts)$/.test(url)) throw e;
    return createRequire(import.meta.url)(fileURLToPath(url)) as Record<string, unknown>;
  }
}

function bindCall(n: ShippedNode, value: unknown): Call {
  if (!n.cls) {
    if (typeof value !== "function") {
      throw new TypeError(`Node "${n.name}": its code is not a function (got ${typeof value}).`);
    }
    return value as Call;
  }
  if (typeof value !== "function") {
    throw new TypeError(`Node "${n.name}": expected a class, got ${typeof value}.`);
  }
  const instance = new (value as new (...a: unknown[]) => { call?: unknown })(...n.args);
  if (typeof instance.call !== "function") {
    throw new TypeError(
      `Node "${n.name}": the class has no call() method; define call(...inputs).`,
    );
  }
  return (instance.call as Call).bind(instance);
}

/** The node's call: compiled at once from source, or a promise of it from a module. */
function load(n: ShippedNode): Call | Promise<Call> {
  const code = n.code;
  if (code.kind === "source") return bindCall(n, compileSource(code.code, code.fnName, n.name));
  return importModule(code.url).then((mod) => {
    if (!(code.exportName in mod)) {
      throw new Error(
        `Node "${n.name}": ${code.url} has no export "${code.exportName}" (exports: ${Object.keys(mod).join(", ")}).`,
      );
    }
    return bindCall(n, mod[code.exportName]);
  });
}

/** A value that cannot leave the thread (a function or a symbol), named by its output. */
function unsendable(output: string, v: unknown): TypeError | undefined {
  if (typeof v !== "function" && typeof v !== "symbol") return undefined;
  return new TypeError(
    `output "${output}" cannot be sent back from a worker thread (it is a ${typeof v}); return plain data (no functions or symbols).`,
  );
}

/** A value as an Arrow column takes it: typed arrays (but bytes) as plain arrays. */
function toColumn(v: unknown): unknown {
  return ArrayBuffer.isView(v) && !(v instanceof Uint8Array) && !(v instanceof DataView)
    ? Array.from(v as unknown as ArrayLike<unknown>)
    : v;
}

/** An argument as its node receives it: v8 bytes deserialized, typed arrays rebuilt. */
function decode(v: unknown, how: string | null): unknown {
  if (how === "v8") return v instanceof Uint8Array ? deserialize(v) : v;
  if (how === null || !Array.isArray(v)) return v;
  return (globalThis as unknown as Record<string, { from(a: unknown[]): unknown }>)[how]!.from(v);
}

/** An output as node:v8 bytes; an error naming the output when it cannot be copied. */
function encode(output: string, v: unknown): Uint8Array | null {
  if (v === null || v === undefined) return null;
  try {
    return serialize(v);
  } catch (e) {
    throw new TypeError(
      `output "${output}" cannot be sent back from a worker thread (${(e as Error).message}); return plain data (no functions or symbols).`,
    );
  }
}

/** One row's values by name, and the outputs already encoded as v8 bytes. */
interface Row {
  v: Values;
  bytes: Values;
}

function errorData(e: unknown, node: string): ErrorData {
  const err = e instanceof ReferenceError ? shippedSourceError(node, e) : e;
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack };
  return { name: "Error", message: String(err), stack: undefined };
}

/**
 * The class behind a DataFrameEngine worker UDF: constructed once per thread with the spec,
 * `call(...columns, context)` per row. One node answers its output (or a struct of its
 * outputs); a chain calls its nodes in turn, handing values on inside the thread, and answers a
 * struct of all their outputs, with a failure written to the spec's failure field as data.
 */
export class NodeCall {
  private calls: Call[] | Promise<Call[]>;
  private readonly checks: ((v: unknown) => boolean)[][];
  private readonly encoded: ReadonlySet<string>;

  constructor(private readonly spec: FrameNodeSpec) {
    this.encoded = new Set(spec.encode);
    const loaded = spec.nodes.map(load);
    this.calls = loaded.some(isThenable)
      ? Promise.all(loaded).then((calls) => {
          this.calls = calls;
          return calls;
        })
      : (loaded as Call[]);
    this.checks = spec.nodes.map((n) =>
      n.outputs.map((o) => {
        const t = spec.types[o];
        return t === undefined || this.encoded.has(o) ? () => true : fitsType(toDataType(t));
      }),
    );
  }

  /** One row: the argument columns' values, then the core's call context (unused). */
  call(...args: unknown[]): unknown {
    const row: Row = { v: {}, bytes: {} };
    this.spec.present.forEach((name, k) => {
      row.v[name] = decode(args[k], this.spec.decode[k] ?? null);
    });
    const calls = this.calls;
    if (isThenable(calls)) return calls.then((c) => this.step(c, row, 0));
    return this.step(calls, row, 0);
  }

  private step(calls: Call[], row: Row, from: number): unknown {
    const { v } = row;
    const { nodes } = this.spec;
    for (let k = from; k < nodes.length; k++) {
      let r: unknown;
      try {
        r = calls[k]!(...callArgs(nodes[k]!, v));
      } catch (e) {
        return this.failed(row, k, e);
      }
      if (isThenable(r)) {
        const at = k;
        return Promise.resolve(r).then(
          (x) => this.store(row, at, x) ?? this.step(calls, row, at + 1),
          (e: unknown) => this.failed(row, at, e),
        );
      }
      const stop = this.store(row, k, r);
      if (stop !== undefined) return stop;
    }
    return this.answer(row);
  }

  /** Stores node k's outputs; returns the row's answer when that failed. */
  private store(row: Row, k: number, r: unknown): unknown {
    const n = this.spec.nodes[k]!;
    const { v } = row;
    let outs: unknown[];
    try {
      outs = splitOutputs(n, r);
      n.outputs.forEach((o, i) => {
        if (this.encoded.has(o)) row.bytes[o] = encode(o, outs[i]);
      });
    } catch (e) {
      return this.failed(row, k, e);
    }
    for (let i = 0; i < n.outputs.length; i++) {
      const o = n.outputs[i]!;
      if (this.spec.failure !== null) {
        const bad = unsendable(o, outs[i]);
        if (bad) return this.failed(row, k, bad);
        if (!this.checks[k]![i]!(toColumn(outs[i]))) {
          return this.failed(
            row,
            k,
            new TypeError(
              `output "${o}" got ${describe(outs[i])}, which is not a ${this.spec.types[o]} (the node's returns type). Return a ${this.spec.types[o]} or null, or change returns.`,
            ),
          );
        }
      }
      v[o] = outs[i];
    }
    return undefined;
  }

  private failed(row: Row, k: number, e: unknown): unknown {
    const node = this.spec.nodes[k]!.name;
    if (this.spec.failure === null) {
      throw e instanceof ReferenceError ? shippedSourceError(node, e) : e;
    }
    return {
      ...(this.answer(row) as Values),
      [this.spec.failure]: { node: k, ...errorData(e, node) },
    };
  }

  /** The row's answer: an output (or a struct of them) as its column takes it. */
  private answer(row: Row): unknown {
    const { nodes, shape } = this.spec;
    const value = (o: string) => (o in row.bytes ? row.bytes[o] : toColumn(row.v[o]));
    if (shape === "value") return value(nodes[0]!.outputs[0]!);
    const out: Values = {};
    for (const n of nodes) for (const o of n.outputs) if (o in row.v) out[o] = value(o);
    return out;
  }
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return "an array";
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  return v === null ? "null" : `a ${typeof v}`;
}

/** Per thread: each node's call, by the key its engine gave it (bounded, oldest out). */
const loaded = new Map<string, Call | Promise<Call>>();
const LOADED_LIMIT = 32;

function callOf(task: PoolNodeTask): Call | Promise<Call> {
  let c = loaded.get(task.key);
  if (c === undefined) {
    c = load(task.node);
    if (isThenable(c)) c.catch(() => loaded.delete(task.key));
    loaded.set(task.key, c);
    while (loaded.size > LOADED_LIMIT) loaded.delete(loaded.keys().next().value!);
  }
  return c;
}

/** One PoolEngine call: the node with one item's inputs, its outputs (or its error) as data. */
export default async function runNodeTask(task: PoolNodeTask): Promise<PoolNodeReply> {
  const n = task.node;
  try {
    const call = await callOf(task);
    const outputs = splitOutputs(n, await call(...callArgs(n, { ...task.values })));
    outputs.forEach((value, i) => {
      const bad = unsendable(n.outputs[i]!, value);
      if (bad) throw bad;
    });
    return { ok: true, outputs };
  } catch (e) {
    return { ok: false, error: errorData(e, n.name) };
  }
}
