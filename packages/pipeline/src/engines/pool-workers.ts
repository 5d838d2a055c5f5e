// PoolEngine's worker path: a sync node with workers runs each call as a one-row DataFrame
// through the core's worker UDF machinery (shared pool, shipped source or fromModule, udf.cls
// constructed once per thread) — the same compilation the DataFrameEngine uses.
import { DataFrame, toDataType } from "@deft/core";
import type { ClassNode, FunctionNode, Node } from "../node.js";
import type { Pipeline, Values } from "../pipeline.js";
import { ITEM, type WorkerExprs, workersFor } from "./dataframe-compile.js";
import {
  type Codec,
  checkWorkerInput,
  codecOfType,
  codecOfValue,
  declaredReturns,
  fromColumnValue,
  toColumnValue,
} from "./dataframe-values.js";
import { newRunState, type Runner } from "./runner.js";

type ValueNode = FunctionNode | ClassNode;

export class WorkerCalls {
  /** Output codecs learned from a node's first (inline) call when it declares no `returns`. */
  private readonly learned = new Map<Node, Codec[]>();
  constructor(
    private readonly engineWorkers: number,
    private readonly batchSize: number | undefined,
    /** The engine's, so a stateful node is built once per worker thread, not once per call. */
    private readonly compiled: WorkerExprs,
  ) {}

  /** True when the node should run on workers (once its output types are known). */
  wants(n: ValueNode): boolean {
    return workersFor(n, this.engineWorkers) > 0;
  }

  /** Records output types from an inline call's outputs. */
  learn(n: ValueNode, outs: readonly unknown[]): void {
    if (this.learned.has(n) || !this.wants(n)) return;
    const codecs = outs.map((v, i) => codecOfValue(v, `Node "${n.name}" output "${n.outputs[i]}"`));
    if (codecs.every((c) => c !== undefined)) this.learned.set(n, codecs as Codec[]);
  }

  /**
   * The call's outputs computed on a worker, or undefined when this call must run inline
   * (the node is not on workers, or its types are not known yet).
   */
  call(
    pipeline: Pipeline,
    n: ValueNode,
    args: Values,
    item: number,
    runner: Runner,
  ): Promise<unknown[]> | undefined {
    if (!this.wants(n)) return undefined;
    const w = workersFor(n, this.engineWorkers);
    for (const i of n.inputs) checkWorkerInput(n.name, w, i, args[i]);
    const declared = n.outputs.map((_, i) => declaredReturns(n, i));
    const out = declared.every((d) => d !== undefined)
      ? declared.map((d) => codecOfType(d!))
      : this.learned.get(n);
    if (!out) return undefined;
    return this.run(pipeline, n, args, item, out, runner);
  }

  private async run(
    pipeline: Pipeline,
    n: ValueNode,
    args: Values,
    item: number,
    out: Codec[],
    runner: Runner,
  ): Promise<unknown[]> {
    const columns = new Map<string, Codec | undefined>();
    const schema: Record<string, ReturnType<typeof toDataType>> = { [ITEM]: toDataType("float64") };
    const record: Values = { [ITEM]: item };
    for (const name of n.inputs) {
      if (!(name in args)) continue;
      const codec = codecOfValue(args[name], `Input "${name}" of node "${n.name}"`);
      columns.set(name, codec);
      schema[name] = codec?.type ?? toDataType("null");
      record[name] = toColumnValue(args[name]);
    }
    let df = DataFrame.fromRecords([record], { schema });
    const env = {
      pipeline,
      runner,
      state: newRunState(),
      workers: this.engineWorkers,
      batchSize: this.batchSize,
      columns,
      udfRetries: false,
    };
    for (const [name, expr] of this.compiled.compile([n], [out], env))
      df = df.withColumn(name, expr);
    let rows: Values[];
    try {
      rows = await df.select(...n.outputs).toRecords();
    } catch (err) {
      // The runner names the node, item and inputs; keep the node's own error as the cause.
      const e = err as { name?: string; cause?: unknown };
      throw e?.name === "UdfError" && e.cause !== undefined ? e.cause : err;
    }
    return n.outputs.map((o, i) => fromColumnValue(rows[0]![o], out[i]));
  }
}
