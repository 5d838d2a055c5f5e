// One pipeline node -> the UDF expression(s) of a `withColumn` projection. Nodes that run on
// the main thread call back into the shared Runner (cache, callbacks, retries, errors exactly
// as the other engines); nodes on workers are shipped by generated, self-contained source.
import { col, type Expr, typeName, udf } from "@deft/core";
import type { ClassNode, FunctionNode, Node } from "../node.js";
import type { Pipeline, Values } from "../pipeline.js";
import { type Codec, fromColumnValue, toColumnValue, tupleType } from "./dataframe-values.js";
import type { Runner, RunState } from "./runner.js";

/** The hidden column carrying each row's item index (callbacks and errors name items by it). */
export const ITEM = "__deft_item";

export interface CompileEnv {
  readonly pipeline: Pipeline;
  readonly runner: Runner;
  readonly state: RunState;
  /** Engine-wide worker count for sync nodes that set none (0: main thread). */
  readonly workers: number;
  readonly batchSize: number | undefined;
  /** Codecs of the columns present in the stage's frame. */
  readonly columns: ReadonlyMap<string, Codec | undefined>;
  /** False when the caller retries failed calls itself (the pool engine's runner does). */
  readonly udfRetries?: boolean;
}

type ValueNode = FunctionNode | ClassNode;

/** Whether the node runs on a worker pool under this engine. */
export function workersFor(n: ValueNode, engineWorkers: number): number {
  const w = n.options.workers ?? engineWorkers;
  if (!w) return 0;
  // Async functions wait on I/O: they stay on the event loop, where they run concurrently.
  if (n.kind === "function" && n.fn.constructor.name === "AsyncFunction") return 0;
  return w;
}

/** `[column, expression]` pairs that compute the node's outputs, in order. */
export function compileNode(
  n: ValueNode,
  out: readonly Codec[],
  env: CompileEnv,
): [string, Expr][] {
  const present = n.inputs.filter((i) => env.columns.has(i));
  const returns = n.tuple ? tupleType(out) : out[0]!.type;
  const hidden = `__deft_tuple_${n.outputs.join("_")}`;
  const target = n.tuple ? hidden : n.outputs[0]!;
  const workers = workersFor(n, env.workers);
  let expr: Expr;
  if (workers === 0) {
    expr = mainThreadUdf(n, present, returns, env)(col(ITEM), ...present.map((p) => col(p)));
  } else if (n.kind === "class" && typeof n.cls !== "function") {
    if (n.tuple || n.objectParam || present.length !== n.inputs.length) {
      throw new Error(
        `Node "${n.name}": a fromModule() class on workers is called with its inputs as they are, so it cannot have a tuple output, an object parameter or a missing input. Export a class that returns one value, or give the class itself.`,
      );
    }
    const opts = {
      returns,
      workers,
      retries: env.udfRetries === false ? 0 : (n.options.retries ?? 0),
      batchSize: env.batchSize,
      name: n.name,
    };
    expr = udf.cls(
      { kind: "module", ...n.cls },
      { ...opts, args: [...n.args] },
    )(...present.map((p) => col(p)));
  } else {
    const opts = {
      returns,
      workers,
      retries: env.udfRetries === false ? 0 : (n.options.retries ?? 0),
      batchSize: env.batchSize,
      name: n.name,
    };
    const source = shippedSource(n, present, env.columns);
    expr =
      n.kind === "function"
        ? udf(source as (...a: never[]) => unknown, opts)(col(ITEM), ...present.map((p) => col(p)))
        : udf.cls(source as new () => object, { ...opts, args: [...n.args] })(
            col(ITEM),
            ...present.map((p) => col(p)),
          );
  }
  const pairs: [string, Expr][] = [[target, expr]];
  if (n.tuple) {
    n.outputs.forEach((o, i) => {
      const field = `o${i}`;
      const pick = udf((t: Record<string, unknown> | null) => (t === null ? null : t[field]), {
        returns: out[i]!.type,
        name: `${n.name}.${o}`,
      });
      pairs.push([o, pick(col(hidden))]);
    });
  }
  return pairs;
}

/**
 * Worker UDF expressions per node and shape, kept across runs. Reusing one keeps one UDF
 * identity, so each worker thread compiles the shipped source (and builds a stateful node's
 * instance) once, not once per run — with 16 threads on 2 cores that setup cost ~3 ms a node
 * a run — and the threads' per-UDF caches stop growing with every run.
 */
export class WorkerExprs {
  private readonly byNode = new WeakMap<Node, Map<string, [string, Expr][]>>();

  /** Like `compileNode`, reusing the expressions of a worker node compiled for the same shape. */
  compile(n: ValueNode, out: readonly Codec[], env: CompileEnv): [string, Expr][] {
    if (workersFor(n, env.workers) === 0) return compileNode(n, out, env);
    const codec = (c: Codec | undefined) => (c ? [typeName(c.type), c.typedArray ?? ""] : null);
    const key = JSON.stringify([
      n.inputs.map((i) => (env.columns.has(i) ? codec(env.columns.get(i)) : 0)),
      out.map(codec),
      env.workers,
      env.batchSize ?? 0,
      env.udfRetries ?? true,
    ]);
    let shapes = this.byNode.get(n);
    if (!shapes) this.byNode.set(n, (shapes = new Map()));
    let pairs = shapes.get(key);
    if (!pairs) shapes.set(key, (pairs = compileNode(n, out, env)));
    return pairs;
  }
}

function mainThreadUdf(
  n: ValueNode,
  present: readonly string[],
  returns: unknown,
  env: CompileEnv,
) {
  const call = async (item: number, ...vals: unknown[]): Promise<unknown> => {
    const args: Values = {};
    present.forEach((name, k) => {
      args[name] = fromColumnValue(vals[k], env.columns.get(name));
    });
    const outs = await env.runner.runNode(env.pipeline, n, args, item, env.state);
    if (!n.tuple) return toColumnValue(outs[0]);
    const struct: Values = {};
    outs.forEach((o, i) => {
      struct[`o${i}`] = toColumnValue(o);
    });
    return struct;
  };
  return udf(call, {
    returns: returns as string,
    maxConcurrency: n.options.maxConcurrency ?? 64,
    name: n.name,
  });
}

/**
 * A self-contained function (or class) wrapping the node's code for a worker thread: it drops
 * the item index, rebuilds typed arrays, calls the node, checks and packs a tuple, and turns
 * typed-array results into plain arrays for Arrow. Its source text is all a worker receives.
 */
function shippedSource(
  n: ValueNode,
  present: readonly string[],
  columns: CompileEnv["columns"],
): unknown {
  const params = present.map((_, k) => `a${k}`);
  const arg = (name: string) => {
    const k = present.indexOf(name);
    if (k < 0) return "undefined";
    const typed = columns.get(name)?.typedArray;
    return typed ? `R(a${k}, ${JSON.stringify(typed)})` : `a${k}`;
  };
  const callArgs = n.objectParam
    ? `{ ${present.map((p) => `${JSON.stringify(p)}: ${arg(p)}`).join(", ")} }`
    : n.inputs.map(arg).join(", ");
  const tupleCheck = n.tuple
    ? `if (!Array.isArray(r) || r.length !== ${n.outputs.length}) throw new Error(${JSON.stringify(
        `node "${n.name}" has output [${n.outputs.join(", ")}] so it must return an array of ${n.outputs.length} values`,
      )} + "; it returned " + (Array.isArray(r) ? "an array of " + r.length : typeof r) + ".");
      return { ${n.outputs.map((_, i) => `o${i}: C(r[${i}])`).join(", ")} };`
    : "return C(r);";
  const helpers = `const R = (v, t) => (Array.isArray(v) ? globalThis[t].from(v) : v);
      const C = (v) => (ArrayBuffer.isView(v) && !(v instanceof Uint8Array) ? Array.from(v) : v);
      const done = (r) => { ${tupleCheck} };`;
  const ident = n.name.replace(/[^\w$]/g, "_");
  let src: string;
  if (n.kind === "function") {
    src = `function ${ident}(__item${params.map((p) => `, ${p}`).join("")}) {
      "use strict";
      const f = (${expressionSource(n.fn, n.name)});
      ${helpers}
      const r = f(${callArgs});
      return r !== null && typeof r === "object" && typeof r.then === "function" ? r.then(done) : done(r);
    }`;
  } else {
    src = `class ${ident} {
      constructor(...args) { const Cls = (${Function.prototype.toString.call(n.cls)}); this.inner = new Cls(...args); }
      call(__item${params.map((p) => `, ${p}`).join("")}) {
        ${helpers}
        const r = this.inner.call(${callArgs});
        return r !== null && typeof r === "object" && typeof r.then === "function" ? r.then(done) : done(r);
      }
    }`;
  }
  return new Function(`return (${src});`)();
}

/** A function's source as an expression (method shorthand `name(x) {…}` is not one). */
function expressionSource(fn: (...a: never[]) => unknown, name: string): string {
  const code = Function.prototype.toString.call(fn);
  try {
    new Function(`return (${code});`);
    return code;
  } catch {
    return `({${code}})[${JSON.stringify(fn.name || name)}]`;
  }
}
