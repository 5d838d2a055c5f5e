// The Pipeline: a checked graph of nodes plus the engine that runs it.
import type { Engine } from "./engines/engine.js";
import { SequentialEngine } from "./engines/sequential.js";
import { buildGraph, type Graph, planRun } from "./graph.js";
import { expandItems, type MapMode, mapOverNames } from "./mapping.js";
import { callable, type NestedPipelineNode, type Node } from "./node.js";

/** Options of `new Pipeline(nodes, opts)`. */
export interface PipelineOptions {
  /** Runs the nodes; default `new SequentialEngine()`. */
  engine?: Engine;
  /** Used in errors, callbacks and progress; default "pipeline". */
  name?: string;
}

/** Options of `Pipeline.run`. */
export interface RunOptions {
  /** Produce only these names (and run only the nodes they need); default every output. */
  outputs?: readonly string[];
}

/** Options of `Pipeline.map`; `mapOver` is required. */
export interface MapOptions extends RunOptions {
  /** Input names whose values are arrays: one item per element (zip) or combination (product). */
  mapOver: string | readonly string[];
  /** "zip" (default): the i-th elements together; "product": every combination. */
  mode?: MapMode;
}

/** Options of `Pipeline.asNode`; by default inner and outer names are the same. */
export interface AsNodeOptions {
  /** `{ outerName: innerName }`: which outer value feeds each inner input. */
  inputMap?: Readonly<Record<string, string>>;
  /**
   * `{ innerName: outerName }`: renames inner outputs as seen outside. When given, only the
   * outputs it names are exposed (and computed); without it, every inner output is.
   */
  outputMap?: Readonly<Record<string, string>>;
  /** Outer input names holding lists: the inner pipeline runs per element (zipped). */
  mapOver?: string | readonly string[];
  /** The node's name; default the pipeline's name. */
  name?: string;
}

/** Named values: the inputs given to a run, and what it resolves to (inputs plus outputs). */
export type Values = Record<string, unknown>;

/**
 * A graph of nodes wired by name (an input named like another node's output depends on it),
 * checked when built and run by its engine.
 */
export class Pipeline {
  /** Used in errors, callbacks and progress (default "pipeline"). */
  readonly name: string;
  /** The nodes, in the order given. */
  readonly nodes: readonly Node[];
  /** What runs `run` and `map` (default a SequentialEngine). */
  readonly engine: Engine;
  /** The checked dependency graph: topological order, producers, root inputs, outputs. */
  readonly graph: Graph;

  /** Default input values set by `bind`. */
  private bound: Values = {};

  /** Builds and checks the graph: a cycle or two producers of one name throw here. */
  constructor(nodes: readonly Node[], opts: PipelineOptions = {}) {
    if (!Array.isArray(nodes)) throw new TypeError("new Pipeline(nodes): nodes must be an array.");
    this.name = opts.name ?? "pipeline";
    this.nodes = [...nodes];
    this.engine = opts.engine ?? new SequentialEngine();
    this.graph = buildGraph(this.nodes, this.name);
  }

  /** Names the pipeline reads and no node produces. */
  get inputs(): readonly string[] {
    return this.graph.rootInputs;
  }

  /**
   * Sets default input values (merged into earlier ones, later calls winning) used by every
   * later `run`/`map` and by `asNode`; values given to `run`/`map` override them. A name no
   * node reads is kept and ignored, as an extra input is. Returns this pipeline.
   */
  bind(values: Values): this {
    checkInputs(values, `Pipeline "${this.name}".bind`);
    this.bound = { ...this.bound, ...values };
    return this;
  }

  /** Removes the bound values of `names` (all of them when none is named). Returns this. */
  unbind(...names: string[]): this {
    if (names.length === 0) this.bound = {};
    else {
      const next = { ...this.bound };
      for (const n of names) delete next[n];
      this.bound = next;
    }
    return this;
  }

  /** A copy of the values set by `bind`. */
  get boundInputs(): Values {
    return { ...this.bound };
  }

  /** The inputs (`inputs`) that have no bound value, in order. */
  get unfulfilledInputs(): readonly string[] {
    return this.graph.rootInputs.filter((i) => !(i in this.bound));
  }

  /** `Pipeline "name" (nodes: a, b; bound: x; needs: y)`. */
  toString(): string {
    const bound = Object.keys(this.bound);
    const needs = this.unfulfilledInputs;
    return (
      `Pipeline "${this.name}" (nodes: ${this.nodes.map((n) => n.name).join(", ") || "none"}` +
      `; bound: ${bound.join(", ") || "none"}; needs: ${needs.join(", ") || "nothing"})`
    );
  }

  /** What `console.log(pipeline)` prints: the same as `toString()`. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }

  /** Every name a node produces, in topological order. */
  get outputs(): readonly string[] {
    return this.graph.outputs;
  }

  /** A copy of this pipeline that runs on `engine`. */
  withEngine(engine: Engine): Pipeline {
    return new Pipeline(this.nodes, { engine, name: this.name }).bind(this.bound);
  }

  /** Runs once: resolves to the inputs (bound ones included) plus the produced outputs. */
  async run(given: Values = {}, opts: RunOptions = {}): Promise<Values> {
    checkInputs(given, `Pipeline "${this.name}".run`);
    const inputs = { ...this.bound, ...given };
    const plan = planRun(this.graph, new Set(Object.keys(inputs)), opts.outputs, this.name);
    const [result] = await this.engine.execute({ pipeline: this, plan, items: [{ ...inputs }] });
    return result!;
  }

  /** Runs once per item (see `mapOver`, `mode`); results come back in input order. */
  async map(given: Values, opts: MapOptions): Promise<Values[]> {
    const where = `Pipeline "${this.name}".map`;
    checkInputs(given, where);
    const inputs = { ...this.bound, ...given };
    if (!opts || opts.mapOver === undefined) {
      throw new Error(`${where}: pass { mapOver: "name" } to say which inputs are lists.`);
    }
    const items = expandItems(inputs, mapOverNames(opts.mapOver, where), opts.mode ?? "zip", where);
    const plan = planRun(this.graph, new Set(Object.keys(inputs)), opts.outputs, this.name);
    return this.engine.execute({ pipeline: this, plan, items, mapped: true });
  }

  /** This pipeline as one node of another pipeline. */
  asNode(opts: AsNodeOptions = {}): CallableNestedNode {
    const label = opts.name ?? this.name;
    const where = `Nested pipeline node "${label}"`;
    const inputMap = { ...(opts.inputMap ?? {}) };
    const outputMap: Record<string, string> = {};
    const outerOf = new Map<string, string>();
    for (const [outer, inner] of Object.entries(inputMap)) {
      if (!this.graph.rootInputs.includes(inner)) {
        throw new Error(
          `${where}: inputMap maps "${outer}" to "${inner}", which is not an input of the pipeline. ` +
            `Its inputs: ${this.graph.rootInputs.join(", ") || "(none)"}.`,
        );
      }
      outerOf.set(inner, outer);
    }
    for (const inner of Object.keys(opts.outputMap ?? {})) {
      if (!this.graph.outputs.includes(inner)) {
        throw new Error(
          `${where}: outputMap renames "${inner}", which no node of the pipeline produces. ` +
            `Its outputs: ${this.graph.outputs.join(", ")}.`,
        );
      }
    }
    if (opts.outputMap) Object.assign(outputMap, opts.outputMap);
    else for (const inner of this.graph.outputs) outputMap[inner] = inner;
    const outer = Object.values(outputMap);
    const twice = outer.find((o, i) => outer.indexOf(o) !== i);
    if (twice !== undefined) {
      throw new Error(
        `${where}: two inner outputs would both be called "${twice}" outside. Rename one in outputMap.`,
      );
    }
    // A bound inner input is fed by its bound value, unless inputMap maps an outer one to it.
    const inputs = this.graph.rootInputs
      .filter((inner) => outerOf.has(inner) || !(inner in this.bound))
      .map((inner) => outerOf.get(inner) ?? inner);
    const optional = new Set(
      [...this.graph.optionalInputs].map((inner) => outerOf.get(inner) ?? inner),
    );
    const mapOver = opts.mapOver === undefined ? [] : mapOverNames(opts.mapOver, where);
    for (const m of mapOver) {
      if (!inputs.includes(m)) {
        throw new Error(
          `${where}: mapOver names "${m}", which is not one of its inputs (${inputs.join(", ")}).`,
        );
      }
    }
    const props: NestedPipelineNode = {
      kind: "pipeline",
      name: label,
      pipeline: this,
      inputMap,
      outputMap,
      mapOver,
      boundInputs: { ...this.bound },
      unfulfilledInputs: inputs,
      inputs,
      outputs: Object.values(outputMap),
      optional,
      tuple: false,
      options: {},
    };
    // Called as a function, the node runs alone on this pipeline's engine (outer names in and out).
    const engine = this.engine;
    const self: CallableNestedNode = callable(async (given: Values = {}) => {
      const result = await new Pipeline([self], { engine, name: label }).run(given);
      const out: Values = {};
      for (const o of props.outputs) out[o] = result[o];
      return out;
    }, props);
    return self;
  }
}

/**
 * A nested pipeline node that is also a function: `await n({ x: 5 })` runs it alone (on the
 * nested pipeline's own engine) and resolves to its outputs, by outer name.
 */
export type CallableNestedNode = NestedPipelineNode & ((inputs?: Values) => Promise<Values>);

function checkInputs(inputs: unknown, where: string): asserts inputs is Values {
  if (typeof inputs !== "object" || inputs === null || Array.isArray(inputs)) {
    throw new TypeError(`${where}: inputs must be an object of named values, e.g. { text: "…" }.`);
  }
}
