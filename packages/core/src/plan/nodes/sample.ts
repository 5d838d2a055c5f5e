import type { Schema } from "apache-arrow";
import { badPlan, type Json, type JsonObject } from "../json/values.js";
import type { NodeKindDef } from "../node-kind.js";
import type { PlanNode } from "../nodes.js";
import { PlanError } from "../resolve.js";
import { oneInput } from "./inputs.js";

/**
 * A seeded random sample of the input's rows, in input order: exactly `n` rows (all of them
 * when there are fewer), or each row with probability `fraction`. Which rows depends only on
 * the seed and the rows' positions, never on batch sizes or threads.
 */
export interface SampleNode {
  kind: "sample";
  schema: Schema;
  input: PlanNode;
  n?: number;
  fraction?: number;
  seed: number;
}

/** What `df.sample(opts)` takes. */
export interface SampleOptions {
  /** Exactly this many rows, chosen uniformly without replacement (all rows when fewer). */
  n?: number;
  /** Each row independently with this probability (0 to 1). */
  fraction?: number;
  /** The same seed picks the same rows (default: a random seed drawn when the plan is built). */
  seed?: number;
}

export function sampleNode(input: PlanNode, opts: SampleOptions): SampleNode {
  const { n, fraction } = opts;
  if ((n === undefined) === (fraction === undefined))
    throw new PlanError("sample() takes either { n } (a row count) or { fraction } (0 to 1).");
  if (n !== undefined && (!Number.isSafeInteger(n) || n < 0))
    throw new PlanError(`sample(): n must be a whole number >= 0, got ${n}.`);
  if (fraction !== undefined && (typeof fraction !== "number" || !(fraction >= 0 && fraction <= 1)))
    throw new PlanError(`sample(): fraction must be between 0 and 1, got ${fraction}.`);
  const seed = opts.seed ?? Math.floor(Math.random() * 2 ** 32);
  if (!Number.isSafeInteger(seed))
    throw new PlanError(`sample(): seed must be a whole number, got ${seed}.`);
  const node: SampleNode = { kind: "sample", input, seed, schema: input.schema };
  return n !== undefined ? { ...node, n } : { ...node, fraction: fraction! };
}

const numberAt = (j: Json | undefined, where: string): number | undefined => {
  if (j === undefined) return undefined;
  if (typeof j !== "number") throw badPlan(where, `expected a number, got ${JSON.stringify(j)}`);
  return j;
};

export const sampleKind: NodeKindDef<SampleNode> = {
  inputs: (node) => [node.input],
  withInputs: (node, [input]) => ({ ...node, input: input! }),
  refresh: (node) => ({ ...node, schema: node.input.schema }),
  explain: (node) =>
    `Sample: ${node.n !== undefined ? `n ${node.n}` : `fraction ${node.fraction}`}, seed ${node.seed}`,
  encode: (node): JsonObject =>
    node.n !== undefined
      ? { n: node.n, seed: node.seed }
      : { fraction: node.fraction!, seed: node.seed },
  decode: (json, inputs, _dec, where) => {
    const seed = numberAt(json.seed, `${where}.seed`);
    if (seed === undefined) throw badPlan(`${where}.seed`, "a sample needs its seed");
    return sampleNode(oneInput(inputs, where), {
      n: numberAt(json.n, `${where}.n`),
      fraction: numberAt(json.fraction, `${where}.fraction`),
      seed,
    });
  },
};
