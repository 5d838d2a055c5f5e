// Nodes: named functions (or stateful classes, or nested pipelines) whose parameter names are
// the names of the values they consume and whose `output` names the values they produce.
import type { TypeLike } from "@deft/core";
import { parseParams } from "./params.js";
import type { Pipeline } from "./pipeline.js";

/** Any function: `never[]` parameters accept every parameter list without `any`. */
export type AnyFunction = (...args: never[]) => unknown;

/** Options shared by `node()` and `node.cls()`. */
export interface NodeOptions {
  /** The produced name, or a list of names when the function returns a tuple (an array). */
  output: string | readonly string[];
  /** Input names; by default the function's parameter names. */
  inputs?: readonly string[];
  /** Shown in errors, callbacks and progress; by default the function name or the output. */
  name?: string;
  /** Calls of this node in flight at once, across items (PoolEngine, DataFrameEngine). */
  maxConcurrency?: number;
  /** Run this (sync) node on a worker pool of this many threads (PoolEngine, DataFrameEngine). */
  workers?: number;
  /** Retries per item after a failure (exponential backoff with jitter). */
  retries?: number;
  /** Set to false to never cache this node, even when the engine has a cache. */
  cache?: boolean;
  /**
   * Column type of the output (DataFrameEngine); with a tuple output, one type per output in
   * order or an object keyed by output name. Undeclared types are inferred from the first item.
   */
  returns?: TypeLike | readonly TypeLike[] | Readonly<Record<string, TypeLike>>;
}

interface NodeBase {
  /** Shown in errors, callbacks, progress: `opts.name`, else the function name, else the output. */
  readonly name: string;
  /** The names of the values the node consumes, in call order. */
  readonly inputs: readonly string[];
  /** The names of the values the node produces (one, or several for a tuple output). */
  readonly outputs: readonly string[];
  /** Inputs with a default value: they may be left unprovided. */
  readonly optional: ReadonlySet<string>;
  /** True when the output is a tuple (`output: [...]`), even of one name. */
  readonly tuple: boolean;
  /** The remaining node options (retries, workers, maxConcurrency, cache, returns). */
  readonly options: Omit<NodeOptions, "output" | "inputs" | "name">;
}

/** A node made by `node(opts, fn)`. */
export interface FunctionNode extends NodeBase {
  /** Always "function". */
  readonly kind: "function";
  /** The function called per item (sync or async). */
  readonly fn: AnyFunction;
  /** Called with one object of all inputs (`({ a, b }) => …`) rather than positionally. */
  readonly objectParam: boolean;
  /**
   * A dual node's batch implementation (`node.dual`): called once per map call with one array
   * per input (all the items' values, in item order), returning one result per item.
   */
  readonly batch?: AnyFunction;
}

/** A class with a `call` method, constructed once per engine worker (or once per run). */
export interface StatefulClass {
  new (
    ...args: never[]
  ): {
    /** Called once per item with the node's inputs; may return a promise. */
    call(...args: never[]): unknown;
  };
}

/** `fromModule(url, exportName)`: a class loaded from a module (needed to ship it to workers). */
export interface ModuleClassRef {
  /** The module's URL (`fromModule` turns a URL object into its href). */
  readonly url: string;
  /** The name of the module's export holding the class. */
  readonly exportName: string;
}

/** A stateful node made by `node.cls(opts, cls, { args })`. */
export interface ClassNode extends NodeBase {
  /** Always "class". */
  readonly kind: "class";
  /** The class itself, or where to load it from (`fromModule`). */
  readonly cls: StatefulClass | ModuleClassRef;
  /** Constructor arguments (default none). */
  readonly args: readonly unknown[];
  /** `call` takes one object of all inputs (`call({ a, b })`) rather than positionally. */
  readonly objectParam: boolean;
}

/** A whole pipeline used as one node, made by `pipeline.asNode(opts)`. */
export interface NestedPipelineNode extends NodeBase {
  /** Always "pipeline". */
  readonly kind: "pipeline";
  /** The inner pipeline; it runs on the outer pipeline's engine, not its own. */
  readonly pipeline: Pipeline;
  /** outer input name -> inner input name. */
  readonly inputMap: Readonly<Record<string, string>>;
  /** inner output name -> outer output name, for every output the node exposes. */
  readonly outputMap: Readonly<Record<string, string>>;
  /** Outer input names whose values are lists, zipped: the inner pipeline runs per element. */
  readonly mapOver: readonly string[];
  /** The inner pipeline's bound values when `asNode` was called (inner names): they feed it. */
  readonly boundInputs: Readonly<Record<string, unknown>>;
  /** What the outer pipeline must provide (outer names): the inner unbound inputs, mapped. */
  readonly unfulfilledInputs: readonly string[];
}

/** Any pipeline node; `kind` tells which. */
export type Node = FunctionNode | ClassNode | NestedPipelineNode;

function outputsOf(output: string | readonly string[], label: string): string[] {
  const outputs = typeof output === "string" ? [output] : [...output];
  if (outputs.length === 0 || outputs.some((o) => typeof o !== "string" || o === "")) {
    throw new Error(`Node "${label}": output must be a name or a non-empty list of names.`);
  }
  if (new Set(outputs).size !== outputs.length) {
    throw new Error(`Node "${label}": output lists a name twice (${outputs.join(", ")}).`);
  }
  return outputs;
}

function checkOptions(opts: NodeOptions, label: string): void {
  for (const key of ["maxConcurrency", "workers"] as const) {
    const v = opts[key];
    if (v !== undefined && !(Number.isInteger(v) && v >= 1)) {
      throw new Error(`Node "${label}": ${key} must be an integer >= 1 (got ${String(v)}).`);
    }
  }
  if (opts.retries !== undefined && !(Number.isInteger(opts.retries) && opts.retries >= 0)) {
    throw new Error(`Node "${label}": retries must be an integer >= 0 (got ${opts.retries}).`);
  }
}

function baseOf(opts: NodeOptions, label: string, parsed: { names: string[]; optional: string[] }) {
  checkOptions(opts, label);
  const { output, inputs: _i, name: _n, ...rest } = opts;
  return {
    name: label,
    inputs: parsed.names,
    outputs: outputsOf(output, label),
    optional: new Set(parsed.optional),
    tuple: typeof output !== "string",
    options: rest,
  };
}

function labelOf(opts: NodeOptions, fnName: string | undefined): string {
  if (opts.name) return opts.name;
  if (fnName && fnName !== "anonymous" && fnName !== "default") return fnName;
  return typeof opts.output === "string" ? opts.output : opts.output.join("+");
}

/**
 * A pipeline node: `fn`'s parameters are its inputs (or `opts.inputs`), `opts.output` names
 * what it returns. Sync or async; `({ a, b }) => …` receives one object of its inputs.
 */
export function node<F extends AnyFunction>(opts: NodeOptions, fn: F): FunctionNode & F {
  if (typeof fn !== "function") throw new TypeError("node(opts, fn): fn must be a function.");
  const label = labelOf(opts, fn.name);
  const parsed = parseOrGiven(opts, label, () => parseParams(fn, label));
  const props: FunctionNode = {
    kind: "function",
    fn,
    objectParam: parsed.objectParam,
    ...baseOf(opts, label, parsed),
  };
  return callable((...args: never[]) => fn(...args), props) as FunctionNode & F;
}

/**
 * `call` with `props` as its own read-only properties: a node that is also a plain function
 * (`double(5)` calls the node's function; nothing of the pipeline machinery runs).
 */
export function callable<T extends object, F extends AnyFunction>(call: F, props: T): F & T {
  for (const [key, value] of Object.entries(props)) {
    // `name` (and any other own property of the function) is configurable, so it can be replaced.
    Object.defineProperty(call, key, {
      value,
      enumerable: true,
      writable: false,
      configurable: true,
    });
  }
  return call as F & T;
}

function parseOrGiven(
  opts: NodeOptions,
  label: string,
  parse: () => ReturnType<typeof parseParams>,
): ReturnType<typeof parseParams> {
  if (opts.inputs === undefined) return parse();
  const inputs = [...opts.inputs];
  if (new Set(inputs).size !== inputs.length) {
    throw new Error(`Node "${label}": inputs lists a name twice (${inputs.join(", ")}).`);
  }
  // Given names still honour an object pattern, so `({ a }) => …` keeps receiving an object.
  let objectParam = false;
  try {
    objectParam = parse().objectParam;
  } catch {
    objectParam = false;
  }
  return { names: inputs, optional: [], objectParam };
}

/** Options of `node.cls()` beyond the node options. */
export interface ClassNodeOptions {
  /** Constructor arguments, passed once per construction. */
  args?: readonly unknown[];
}

function isModuleRef(v: unknown): v is ModuleClassRef {
  return (
    typeof v === "object" &&
    v !== null &&
    typeof (v as ModuleClassRef).url === "string" &&
    typeof (v as ModuleClassRef).exportName === "string"
  );
}

/**
 * A stateful node: `cls` is constructed once per worker (or once per run on the main thread)
 * with `args`, then its `call(...inputs)` runs per item. Give the class itself, or
 * `fromModule(url, "Name")` so workers can load it (then `inputs` are required).
 */
function clsNode(
  opts: NodeOptions,
  cls: StatefulClass | ModuleClassRef,
  extra: ClassNodeOptions = {},
): ClassNode {
  const direct = typeof cls === "function";
  if (!direct && !isModuleRef(cls)) {
    throw new TypeError("node.cls(opts, cls): cls must be a class or fromModule(url, exportName).");
  }
  const label = labelOf(opts, direct ? cls.name : cls.exportName);
  const parsed = parseOrGiven(opts, label, () => {
    const call: unknown = direct ? cls.prototype?.call : undefined;
    if (typeof call !== "function") {
      throw new Error(
        `Node "${label}": ${direct ? "the class has no call() method to read inputs from" : "a class from fromModule() is loaded only when the node runs"}. ` +
          'Pass the input names: node.cls({ output, inputs: ["text"] }, cls, { args }).',
      );
    }
    return parseParams(call as AnyFunction, label);
  });
  return {
    kind: "class",
    cls,
    args: [...(extra.args ?? [])],
    objectParam: parsed.objectParam,
    ...baseOf(opts, label, parsed),
  };
}

/**
 * A stateful node: `cls` is constructed once per worker thread (or once per run on the main
 * thread) with `extra.args`, then its `call(...inputs)` runs per item. Pass `inputs` in `opts`
 * for a `fromModule()` class, else this throws.
 */
node.cls = clsNode;

/** The two implementations of a dual node. */
export interface DualImplementations<F extends AnyFunction> {
  /** Called per item, as a `node()` function is: `run`, and every engine's per-item path. */
  one: F;
  /**
   * Called once for all the items of a `map` call (and of a nested pipeline's `mapOver`): it
   * receives one array per input, in the order of `one`'s parameters (one object of arrays
   * when `one` destructures its inputs), and returns (or resolves to) an array with one result
   * per item, in the same order. It must give what `one` would.
   */
  batch: (...lists: never[]) => readonly unknown[] | Promise<readonly unknown[]>;
}

/**
 * A node with a per-item and a batch implementation. Inputs come from `one` (or
 * `opts.inputs`); `run` calls `one`, `map` calls `batch` once with every item's values. It runs
 * on the main thread (no `workers`); calling the node as a function calls `one`.
 */
node.dual = function dual<F extends AnyFunction>(
  opts: NodeOptions,
  impl: DualImplementations<F>,
): FunctionNode & F {
  if (typeof impl?.one !== "function" || typeof impl.batch !== "function") {
    throw new TypeError("node.dual(opts, { one, batch }): one and batch must both be functions.");
  }
  // `{ one: (x) => … }` names the function "one": the node is then named for its output.
  const fnName = impl.one.name === "one" ? undefined : impl.one.name;
  const made = node({ ...opts, name: labelOf(opts, fnName) }, impl.one);
  if (opts.workers !== undefined) {
    throw new Error(
      `Node "${made.name}": a dual node runs on the main thread, its batch once per map call. ` +
        "Leave out workers, or use node() with workers for a per-item function on worker threads.",
    );
  }
  Object.defineProperty(made, "batch", { value: impl.batch, enumerable: true, configurable: true });
  return made;
};
