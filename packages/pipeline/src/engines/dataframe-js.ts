// A node that runs on the main thread (async functions, and sync ones without workers) in a
// DataFrameEngine frame: a UDF projection whose calls read the node's inputs from the rows as
// JS values and write its outputs back there, so values never go through an Arrow column.
// Every item starts at once (up to the node's maxConcurrency) whether or not the node declares
// `returns`, objects keep every key, and class instances keep their methods.
import { col, type Expr, type UdfCallContext, udf } from "@deft/core";
import type { ClassNode, FunctionNode } from "../node.js";
import type { Pipeline, Values } from "../pipeline.js";
import { type Codec, fromColumnValue } from "./dataframe-values.js";
import type { Runner, RunState } from "./runner.js";

export interface JsNodeEnv {
  readonly pipeline: Pipeline;
  readonly runner: Runner;
  readonly state: RunState;
  /** The frame's rows: row r of the frame's DataFrame is `values[r]`, item `items[r]`. */
  readonly rows: { readonly values: Values[]; readonly items: readonly number[] };
}

/**
 * The expression of a main-thread node. `fromColumns` are the inputs that worker nodes of the
 * same frame compute (columns, decoded with their codecs); every other input is read from the
 * rows; `over` is any column of the frame when there are none (it only paces the rows). Its
 * column holds nulls; the outputs are in the rows once the frame ran.
 */
export function jsNodeExpr(
  n: FunctionNode | ClassNode,
  fromColumns: ReadonlyMap<string, Codec | undefined>,
  over: string,
  env: JsNodeEnv,
): Expr {
  const { rows } = env;
  const cols = [...fromColumns.keys()];
  const call = async (...a: unknown[]): Promise<null> => {
    const { row } = a[a.length - 1] as UdfCallContext;
    const v = rows.values[row]!;
    const args: Values = {};
    for (const name of n.inputs) if (name in v) args[name] = v[name];
    cols.forEach((name, k) => {
      args[name] = fromColumnValue(a[k], fromColumns.get(name));
    });
    const outs = await env.runner.runNode(env.pipeline, n, args, rows.items[row]!, env.state);
    n.outputs.forEach((o, i) => {
      v[o] = outs[i];
    });
    return null;
  };
  const f = udf(call, {
    returns: "null",
    maxConcurrency: n.options.maxConcurrency ?? 64,
    name: n.name,
  });
  return cols.length > 0 ? f(...cols.map((c) => col(c))) : f(col(over));
}
